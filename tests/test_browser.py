"""The web page at `/` in a real headless Chromium (Debian's chromium + chromium-driver).

Skipped with a reason where the browser, its driver or selenium is missing; `.ci/run` installs
them. The service runs in-process on loopback over the session's shared store.
"""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time

import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed (pip install '.[serve]')")
webdriver = pytest.importorskip(
    "selenium.webdriver", reason="selenium is not installed (pip install '.[browser]')")
from selenium.common.exceptions import TimeoutException, WebDriverException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from composer.backends import get_backend  # noqa: E402
from composer.service import Engine, create_app  # noqa: E402

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


def chromium_options(user_data_dir: str, width: int = 1280, height: int = 1000):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-extensions",
                 f"--user-data-dir={user_data_dir}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    return options


def start_browser(user_data_dir: str, width: int = 1280, height: int = 1000):
    """Headless Debian Chromium through its matching chromedriver (no Selenium Manager)."""
    service = webdriver.ChromeService(executable_path=DRIVER)
    return webdriver.Chrome(service=service, options=chromium_options(user_data_dir, width,
                                                                       height))


class LiveServer:
    """uvicorn on 127.0.0.1 in a thread, over an app built by create_app()."""

    def __init__(self, app) -> None:
        import uvicorn

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@pytest.fixture(scope="module")
def live(shipped_retriever):
    engine = Engine(shipped_retriever, get_backend("offline"))
    with LiveServer(create_app(engine)) as server:
        yield server
    engine.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory, live):
    if CHROMIUM is None or DRIVER is None:
        pytest.skip("Chromium or chromedriver not found: apt-get install -y chromium "
                    "chromium-driver (.ci/run does this as root)")
    try:
        driver = start_browser(str(tmp_path_factory.mktemp("chromium-profile")))
    except WebDriverException as exc:
        pytest.skip(f"headless Chromium did not start: {exc.msg or exc}")
    driver.set_page_load_timeout(30)
    # Let the page write to and the test read from the clipboard (headless has no prompt).
    driver.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": live.url, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    yield driver
    driver.quit()


def wait(driver, condition, seconds: float = 30):
    return WebDriverWait(driver, seconds).until(condition)


def open_page(driver, live) -> None:
    driver.get(live.url + "/")
    wait(driver, lambda d: d.execute_script("return document.body.dataset.ready === 'true'"))


def fill(driver, field_id: str, text: str) -> None:
    element = driver.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(text)


def compose_incident(driver, incident: str, **fields: str) -> None:
    fill(driver, "incident", incident)
    for field_id, value in fields.items():
        fill(driver, field_id, value)
    driver.find_element(By.ID, "compose-btn").click()


def status(driver) -> str:
    return driver.find_element(By.ID, "status").text


def draft_shown(driver):
    wait(driver, ec.visibility_of_element_located((By.ID, "draft")))
    wait(driver, lambda d: d.find_element(By.ID, "check").is_displayed())


def clipboard(driver) -> str:
    return driver.execute_async_script(
        "const done = arguments[0]; navigator.clipboard.readText().then(done, "
        "(e) => done('ERROR ' + e));")


def test_compose_in_english_fill_in_check_again_and_copy(browser, live):
    open_page(browser, live)
    compose_incident(browser, "we charged the customer twice for the annual plan",
                     customer="Ana", loss="49 EUR")
    draft_shown(browser)
    assert browser.find_element(By.ID, "subject").get_attribute("value")
    tags = [t.text.lower() for t in browser.find_elements(By.CSS_SELECTOR, "#email .tag")]
    assert {"regret", "impact", "responsibility", "remedy"} <= set(tags)
    assert "Ana" in browser.find_element(By.ID, "email").text
    fills = browser.find_elements(By.CSS_SELECTOR, "#email input.fill")
    assert fills, "the offline draft leaves fill-ins for facts nobody gave"
    first = fills[0]
    placeholder = first.get_attribute("placeholder")
    first.send_keys("a retry in our billing job after a timeout")
    browser.find_element(By.ID, "check-btn").click()
    wait(browser, lambda d: status(d).startswith("Checked"))
    verdict = browser.find_element(By.ID, "verdict").text
    assert "score" in verdict and "/100" in verdict
    # The typed value survives the re-render and goes into the copied text.
    again = browser.find_elements(By.CSS_SELECTOR, "#email input.fill")[0]
    assert again.get_attribute("value") == "a retry in our billing job after a timeout"
    assert browser.find_elements(By.CSS_SELECTOR, "#steps li")
    # Compensation reasons carry card links; a click opens the card's text.
    summary = browser.find_element(By.ID, "comp-summary").text
    offered = re.search(r"(\d+(?:\.\d+)?) EUR", summary)
    assert offered and "of the loss" in summary, summary
    link = browser.find_element(By.CSS_SELECTOR, "#comp-reasons .card-link")
    card_id = link.text
    link.click()
    dialog = wait(browser, ec.visibility_of_element_located((By.ID, "card-dialog")))
    assert card_id in browser.find_element(By.ID, "card-meta").text
    assert len(browser.find_element(By.ID, "card-body").text) > 40
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait(browser, lambda d: not dialog.is_displayed())
    assert browser.switch_to.active_element.text == card_id  # focus back where it was
    browser.find_element(By.ID, "copy-btn").click()
    wait(browser, lambda d: status(d).startswith("Copied"))
    copied = clipboard(browser)
    assert not copied.startswith("ERROR"), copied
    assert copied.startswith(browser.find_element(By.ID, "subject").get_attribute("value"))
    assert "a retry in our billing job after a timeout" in copied
    assert f"[[{placeholder}]]" not in copied
    assert "Ana" in copied and offered.group(1) in copied  # the offer the panel explains


def test_compose_in_chinese_with_the_keyboard(browser, live):
    open_page(browser, live)
    incident = browser.find_element(By.ID, "incident")
    incident.send_keys("客户的钱转错了账户，已经三天了")
    incident.send_keys(Keys.CONTROL, Keys.ENTER)  # compose without the mouse
    draft_shown(browser)
    assert browser.find_element(By.ID, "draft").get_attribute("lang") == "zh"
    body = browser.find_element(By.ID, "email").text
    assert sum("\u4e00" <= ch <= "\u9fff" for ch in body) > 50
    assert browser.find_elements(By.CSS_SELECTOR, "#email .tag")
    # The draft region takes focus, so a keyboard user lands on the result.
    assert browser.switch_to.active_element.get_attribute("id") == "draft"
    browser.find_element(By.ID, "copy-btn").send_keys(Keys.ENTER)
    wait(browser, lambda d: status(d).startswith("Copied"))
    assert "转" in clipboard(browser) or "账户" in clipboard(browser)


def test_a_finding_is_highlighted_on_its_sentence_with_the_reason(browser, live):
    open_page(browser, live)
    compose_incident(browser, "the website was down for three hours")
    draft_shown(browser)
    browser.find_element(By.ID, "edit-btn").click()
    area = browser.find_element(By.ID, "edit-area")
    area.send_keys(Keys.CONTROL, Keys.END)
    area.send_keys("\n\nWe apologize for any inconvenience this may have caused.")
    browser.find_element(By.ID, "check-btn").click()
    wait(browser, lambda d: status(d).startswith("Checked"))
    marks = browser.find_elements(By.CSS_SELECTOR, "#email mark.finding")
    assert any("any inconvenience" in m.text for m in marks)
    notes = browser.find_element(By.CSS_SELECTOR, "#email .notes").text
    assert "non apology" in notes.lower()
    findings = browser.find_element(By.ID, "findings").text.lower()
    assert "non apology" in findings and "needs changes" in browser.find_element(
        By.ID, "verdict").text


def test_no_apology_due_shows_the_advice(browser, live):
    open_page(browser, live)
    compose_incident(browser, "we sent the newsletter twice")
    advice = wait(browser, ec.visibility_of_element_located((By.ID, "advice")))
    assert "No standalone apology" in advice.text
    assert not browser.find_element(By.ID, "draft").is_displayed()


def test_errors_are_shown_on_the_page(browser, live):
    open_page(browser, live)
    compose_incident(browser, "late parcel", loss="lots of money")
    error = wait(browser, ec.visibility_of_element_located((By.ID, "error")))
    assert "cannot read loss" in error.text
    assert error.get_attribute("role") == "alert"
    fill(browser, "loss", "")
    fill(browser, "incident", " ")
    browser.find_element(By.ID, "compose-btn").click()
    wait(browser, lambda d: "Describe the incident" in d.find_element(By.ID, "error").text)


def test_every_control_is_labelled_and_reachable_by_keyboard(browser, live):
    open_page(browser, live)
    unlabelled = browser.execute_script("""
        return [...document.querySelectorAll('input, select, textarea, button')]
          .filter((el) => !el.closest('[hidden]') && el.type !== 'hidden')
          .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                          && !el.textContent.trim())
          .map((el) => el.outerHTML.slice(0, 80));""")
    assert unlabelled == []
    assert browser.find_elements(By.CSS_SELECTOR, "header") and browser.find_elements(
        By.CSS_SELECTOR, "main") and browser.find_elements(By.CSS_SELECTOR, "footer")
    body = browser.find_element(By.TAG_NAME, "body")
    reached = []
    for _ in range(30):
        body = browser.switch_to.active_element
        body.send_keys(Keys.TAB)
        reached.append(browser.switch_to.active_element.get_attribute("id"))
        if reached[-1] == "compose-btn":
            break
    assert "incident" in reached and "compose-btn" in reached
    outline = browser.execute_script(
        "return getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")  # focus is visible


def test_phone_width_has_no_sideways_scrolling(browser, live, tmp_path):
    browser.set_window_size(390, 844)
    try:
        open_page(browser, live)
        compose_incident(browser, "we charged the customer twice for the annual plan",
                         loss="49 EUR")
        draft_shown(browser)
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        shot = tmp_path / "phone.png"
        assert browser.save_screenshot(str(shot)) and shot.read_bytes()[:4] == b"\x89PNG"
    finally:
        browser.set_window_size(1280, 1000)


def test_a_service_that_went_away_is_an_error_not_a_blank(browser, live, shipped_retriever):
    engine = Engine(shipped_retriever, get_backend("offline"))
    gone = LiveServer(create_app(engine, warm=False))
    with gone:
        browser.execute_cdp_cmd("Browser.grantPermissions", {
            "origin": gone.url, "permissions": ["clipboardReadWrite"]})
        open_page(browser, gone)
    engine.close()
    compose_incident(browser, "late parcel")
    try:
        error = wait(browser, ec.visibility_of_element_located((By.ID, "error")), 15)
    except TimeoutException:  # pragma: no cover - shown for a clearer failure
        pytest.fail("no error shown when the service is unreachable")
    assert "Cannot reach the service" in error.text
