"""Screenshot the web page in real headless Chromium for the README (docs/serve.png).

    python scripts/screenshot_service.py [--out docs/serve.png] [--store DIR] [--width 1280]

Starts `compose serve`'s app on a free loopback port, composes an incident, fills in one
fill-in, runs "Check again", and saves the page. Needs Debian's chromium and chromium-driver
and the `browser` extra (selenium).
"""

from __future__ import annotations

import argparse
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from composer.knowledge.store import StoreConfig
from composer.service import Engine, create_app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/serve.png"))
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1400)
    args = parser.parse_args()

    engine = Engine.open(StoreConfig.resolve(path=args.store))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = uvicorn.Server(uvicorn.Config(create_app(engine), log_level="warning"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.02)

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    profile = tempfile.mkdtemp(prefix="chromium-shot-")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                 f"--window-size={args.width},{args.height}", "--hide-scrollbars"):
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    try:
        driver.get(url + "/")
        wait = WebDriverWait(driver, 30)
        wait.until(lambda d: d.execute_script("return document.body.dataset.ready === 'true'"))
        driver.find_element(By.ID, "incident").send_keys(
            "we charged the customer twice for the annual plan")
        driver.find_element(By.ID, "customer").send_keys("Ana")
        driver.find_element(By.ID, "loss").send_keys("49 EUR")
        driver.find_element(By.ID, "compose-btn").click()
        wait.until(lambda d: d.find_element(By.ID, "check").is_displayed())
        driver.find_elements(By.CSS_SELECTOR, "#email input.fill")[0].send_keys(
            "a retry in our billing job after a timeout")
        driver.find_element(By.ID, "check-btn").click()
        wait.until(lambda d: d.find_element(By.ID, "status").text.startswith("Checked"))
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(args.width, min(height, args.height))
        driver.execute_script("window.scrollTo(0, 0); document.activeElement.blur()")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(args.out))
        print(f"saved {args.out} ({args.width}x{min(height, args.height)})")
    finally:
        driver.quit()
        server.should_exit = True
        shutil.rmtree(profile, ignore_errors=True)
        engine.close()


if __name__ == "__main__":
    main()
