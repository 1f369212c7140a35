"""The checker as a support lead would notice it: verdicts, evidence, languages, CLI exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from composer.checking.checker import (
    CheckInputError,
    Report,
    check,
    find_amounts,
    split_sentences,
)
from composer.cli.app import app
from composer.evals.checker import TARGET, evaluate_check
from composer.language.detect import SUPPORTED
from composer.understand.incident import Incident, parse_loss

ROOT = Path(__file__).resolve().parent.parent

GOOD_EN = """Hi Priya,

I'm sorry we charged you twice for your annual plan this week. That was our mistake.
I know seeing an extra $129 leave your account is alarming, and you had to chase us for an answer.
What happened: a retry job in our billing system ran the payment again after a slow confirmation.
We have refunded the second charge of $129 in full; it will be back on your card within 5 days.
We've also disabled the retry job, and I'll write to you on Thursday to confirm the refund arrived.

Tom, Billing Support
"""


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run the console entry point the way `compose` does, so main()'s error handling applies."""
    code = (
        "import sys; from composer.cli.app import main; "
        "sys.argv = ['compose', *sys.argv[1:]]; main()"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, input=stdin, capture_output=True,
        timeout=120,
    )


def test_good_english_apology_is_ready() -> None:
    incident = Incident(text="charged twice", severity="high", loss=parse_loss("129 USD"))
    report = check(GOOD_EN, incident)
    assert report.verdict == "ready", report.failed_items()
    assert all(step.passed and step.evidence for step in report.steps.values())
    assert report.score >= 90
    assert report.failed_items() == []


def test_any_inconvenience_is_flagged_with_evidence() -> None:
    report = check("Dear customer,\n\nWe are sorry for any inconvenience this may have caused.")
    names = {f.name: f for f in report.anti_patterns}
    assert "non_apology" in names
    assert "any inconvenience" in names["non_apology"].evidence[0]
    assert not report.steps["regret"].passed
    assert report.verdict == "needs_changes"
    assert any(item.startswith("non_apology:") for item in report.failed_items())


def test_chinese_text_splits_into_sentences_and_passes_regret() -> None:
    text = (
        "王女士您好：\n非常抱歉，您的订单被我们发错了！"
        "这是我们的错。我们已经为您补发，明天送达。"
    )
    sentences = split_sentences(text)
    assert sentences == [
        "王女士您好：",
        "非常抱歉，您的订单被我们发错了！",
        "这是我们的错。",
        "我们已经为您补发，明天送达。",
    ]
    report = check(text)
    assert report.language == "zh"
    assert report.steps["regret"].passed
    assert report.steps["responsibility"].passed


def test_spanish_conditional_apology_is_flagged() -> None:
    text = (
        "Hola, Pablo:\n\nPedimos disculpas si te has visto afectado por los cobros duplicados. "
        "Ya hemos devuelto todos los cobros."
    )
    report = check(text)
    assert report.language == "es"
    assert "conditional_apology" in {f.name for f in report.anti_patterns}
    assert not report.steps["regret"].passed


def test_refund_over_150_percent_of_the_loss_is_flagged() -> None:
    incident = Incident(text="fee charged by mistake", severity="medium", loss=parse_loss("€80"))
    text = GOOD_EN.replace("$129 in full", "€200")
    report = check(text, incident)
    found = {f.name: f for f in report.compensation}
    assert "compensation_out_of_range" in found
    assert "€200" in found["compensation_out_of_range"].evidence[0]
    assert report.verdict == "needs_changes"


def test_voucher_only_for_money_lost_is_flagged() -> None:
    incident = Incident(text="paid for a rental car that was not there", loss=parse_loss("120 EUR"))
    text = (
        "Dear Mr. Fontana,\n\nI'm sorry the car you booked and paid for was not at the airport, "
        "and that you had to pay for a taxi. Your booking was assigned to another branch by a bug "
        "in our system, and that is our fault. We've sent you a €120 voucher for your next "
        "rental, and we have added a check for bookings without a car."
    )
    report = check(text, incident)
    assert "delayed_voucher_only" in {f.name for f in report.compensation}


def test_amounts_in_several_notations() -> None:
    assert find_amounts("a €50 refund") == [(Decimal("50"), "EUR")]
    assert find_amounts("rimborso di 50 euro") == [(Decimal("50"), "EUR")]
    assert find_amounts("退还50元") == [(Decimal("50"), "CNY")]
    assert find_amounts("вернём 4 500 ₽") == [(Decimal("4500"), "RUB")]


def test_unsupported_language_is_said_and_steps_not_evaluated() -> None:
    text = (
        "Bonjour {prénom},\n\nNous sommes désolés pour le retard de votre commande. "
        "C'est notre faute."
    )
    report = check(text)
    assert report.language == "fr"
    assert not report.language_supported
    assert all(not step.evaluated for step in report.steps.values())
    assert any("not supported" in note for note in report.notes)
    assert "placeholders_left" in {f.name for f in report.anti_patterns}
    assert report.verdict == "needs_changes"
    assert report.as_dict()["language_supported"] is False


def test_trivial_incident_needs_no_apology() -> None:
    incident = Incident(text="This morning's newsletter was sent twice")
    report = check("Sorry, you may have received this morning's newsletter twice.", incident)
    assert report.verdict == "no_apology_due"


def test_checker_runs_without_embeddings() -> None:
    report = check(GOOD_EN, embeddings=False)
    assert isinstance(report, Report)
    assert report.steps["regret"].passed


@pytest.mark.parametrize("bad", ["", "   \n ", "abc\x00def", "x" * 50_001])
def test_bad_text_raises_check_input_error(bad: str) -> None:
    with pytest.raises(CheckInputError):
        check(bad)


def test_cli_exit_codes_and_json(tmp_path: Path) -> None:
    runner = CliRunner()
    good = tmp_path / "good.txt"
    good.write_text(GOOD_EN, encoding="utf-8")
    result = runner.invoke(app, ["check", str(good), "--incident", "charged twice",
                                 "--severity", "high", "--loss", "129 USD", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["verdict"] == "ready"
    assert set(data["steps"]) == {"regret", "impact", "explanation", "responsibility", "remedy"}
    assert data["steps"]["regret"]["evidence"]

    bad = tmp_path / "bad.txt"
    bad.write_text("We apologize for any inconvenience.", encoding="utf-8")
    result = runner.invoke(app, ["check", str(bad)])
    assert result.exit_code == 1
    assert "non_apology" in result.output and "any inconvenience" in result.output

    result = runner.invoke(app, ["check", "-", "--json"], input="Sorry if you were affected.")
    assert result.exit_code == 1
    assert json.loads(result.output)["anti_patterns"][0]["name"] == "conditional_apology"


@pytest.mark.parametrize(
    ("content", "args"),
    [
        (b"", []),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00binary", []),
        (b"\xff\xfe\xfa not utf-8", []),
        (GOOD_EN.encode(), ["--severity", "apocalyptic"]),
        (GOOD_EN.encode(), ["--loss", "lots"]),
    ],
    ids=["empty", "binary", "not-utf8", "bad-severity", "bad-loss"],
)
def test_cli_usage_errors_are_one_line_exit_2(
    tmp_path: Path, content: bytes, args: list[str]
) -> None:
    path = tmp_path / "draft.txt"
    path.write_bytes(content)
    proc = run_cli("check", str(path), *args)
    assert proc.returncode == 2
    stderr = proc.stderr.decode()
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert stderr.startswith("error:")


def test_cli_missing_file_is_one_line_exit_2() -> None:
    proc = run_cli("check", "/nonexistent/draft.txt")
    assert proc.returncode == 2
    lines = proc.stderr.decode().strip().splitlines()
    assert lines == ["error: no such file: /nonexistent/draft.txt"]


def test_calibration_meets_targets() -> None:
    result = evaluate_check()
    assert result.cases >= 408  # every round of blind cases, folded in after measuring
    assert all(n >= 12 for n in result.by_language.values())
    assert set(result.by_language) == set(SUPPORTED)  # every supported language is calibrated
    assert result.below_target(TARGET) == [], result.mistakes
    assert result.verdict_accuracy >= TARGET


def test_eval_check_cli_json() -> None:
    result = CliRunner().invoke(app, ["eval", "check", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["steps"]["remedy"]["precision"] >= TARGET
    assert "verdict_accuracy" in data


# Generalization: each construction in several wordings per language, none copied from the cases.

OWNERSHIP = [
    ("en", "Sorry the parcel was late. That's on us."),
    ("en", "We dropped the ball on your order."),
    ("en", "The fault is ours, not the courier's."),
    ("en", "That failure is ours."),
    ("it", "È colpa nostra."),
    ("it", "Ci siamo sbagliati con il suo ordine."),
    ("it", "Abbiamo commesso un grave errore."),
    ("it", "La responsabilità è tutta nostra."),
    ("es", "Fue culpa nuestra."),
    ("es", "Nos equivocamos al preparar su pedido."),
    ("es", "Asumimos toda la responsabilidad."),
    ("es", "El fallo fue completamente nuestro."),
    ("ru", "Это наша ошибка."),
    ("ru", "Мы виноваты перед вами."),
    ("ru", "Мы допустили ошибку при сборке заказа."),
    ("ru", "Вина целиком наша, и я за неё отвечаю."),
    ("zh", "这是我们的责任。"),
    ("zh", "这是我们仓库的疏忽。"),
    ("zh", "我们做错了。"),
]


@pytest.mark.parametrize(("lang", "text"), OWNERSHIP)
def test_ownership_phrasings_pass_responsibility(lang: str, text: str) -> None:
    assert check(text, language=lang, embeddings=False).steps["responsibility"].passed


EXPLANATIONS = [
    ("en", "The reason was a broken sync job."),
    ("en", "Our billing system failed to apply your discount."),
    ("it", "Il gestionale ha ignorato la sua disdetta."),
    ("es", "La pasarela de pago falló durante la noche."),
    ("ru", "Сервер завис из-за нагрузки."),
    ("ru", "Наша система ошибочно списала деньги."),
    ("zh", "原因是服务器宕机。"),
    ("zh", "系统把您的订单标记为已取消。"),
]


@pytest.mark.parametrize(("lang", "text"), EXPLANATIONS)
def test_cause_phrasings_pass_explanation(lang: str, text: str) -> None:
    assert check(text, language=lang, embeddings=False).steps["explanation"].passed


CONDITIONALS = [
    ("en", "We apologize if you experienced any issues with the app."),
    ("en", "If the outage affected your work, we're sorry."),
    ("it", "Se ha avuto problemi con la consegna, ci scusiamo."),
    ("it", "Ci scusiamo se la cosa le ha creato disagi."),
    ("es", "Si le ha causado molestias, le pedimos disculpas."),
    ("ru", "Если вы столкнулись с проблемами при оплате, приносим извинения."),
    ("ru", "Приносим извинения, если это вас расстроило."),
    ("zh", "如果您受到影响，我们深表歉意。"),
    ("zh", "如果给您带来困扰，我们很抱歉。"),
]


@pytest.mark.parametrize(("lang", "text"), CONDITIONALS)
def test_conditional_apologies_are_flagged_and_do_not_count(lang: str, text: str) -> None:
    report = check(text, language=lang, embeddings=False)
    assert "conditional_apology" in {f.name for f in report.anti_patterns}
    assert not report.steps["regret"].passed


BLAME = [
    ("en", "The delay was due to an issue with our payment provider."),
    ("en", "You entered the wrong address at checkout."),
    ("en", "This was entirely on their side; nothing wrong with our platform."),
    ("it", "Il corriere ha smarrito il pacco, non è colpa nostra."),
    ("es", "El transportista extravió el paquete; no es culpa nuestra."),
    ("ru", "При оформлении вы адрес не проверили."),
    ("zh", "这是快递公司的失误导致的。"),
]


@pytest.mark.parametrize(("lang", "text"), BLAME)
def test_blame_shifting_is_flagged_and_fails_responsibility(lang: str, text: str) -> None:
    report = check(text, language=lang, embeddings=False)
    assert "blame_shifting" in {f.name for f in report.anti_patterns}
    assert not report.steps["responsibility"].passed


HARMLESS = [
    ("en", "If you need anything else, just reply. Sorry again for the double charge."),
    ("en", "You chose express shipping and we sent it by standard post: that was our mistake."),
    ("en", "Only card payments slower than thirty seconds were affected."),
    ("it", "Se ha bisogno di altro, mi scriva."),
    ("es", "Si necesita algo más, escríbanos."),
    ("ru", "Если у вас есть вопросы, напишите нам."),
    ("zh", "如果您还有问题，请随时联系我们。"),
]


@pytest.mark.parametrize(("lang", "text"), HARMLESS)
def test_ordinary_if_and_you_sentences_are_not_anti_patterns(lang: str, text: str) -> None:
    assert check(text, language=lang, embeddings=False).anti_patterns == []


def test_compensation_missing_only_for_a_stated_loss() -> None:
    text = "I'm sorry your account was locked for two days. That was our mistake."
    severe = check(text, Incident(text="account locked", severity="high"), embeddings=False)
    assert "compensation_missing" not in {f.name for f in severe.compensation}
    lost = check(text, Incident(text="account locked", severity="high",
                                loss=parse_loss("50 EUR")), embeddings=False)
    assert "compensation_missing" in {f.name for f in lost.compensation}


def test_corrected_promo_code_is_not_compensation_for_trivial() -> None:
    incident = Incident(text="wrong promo code in the newsletter", severity="trivial")
    fix = check("The valid code for the 15% discount is SPRING15, usable until Sunday.", incident,
                embeddings=False)
    assert fix.compensation == []
    gift = check("As an apology, we've added a 5 EUR voucher to your account.", incident,
                 embeddings=False)
    assert "compensation_for_trivial" in {f.name for f in gift.compensation}


# Constructions added after the blind review, in wordings that appear in none of the case files.

MONEY_BACK = [
    ("en", "We've wired 42.50 EUR back to your bank account this afternoon.", "42.50 EUR"),
    ("en", "A payment of 60 GBP has been returned to your card.", "60 GBP"),
    ("it", "Abbiamo bonificato 80 EUR sul suo conto corrente.", "80 EUR"),
    ("es", "Hoy le hemos ingresado 55 EUR en su cuenta.", "55 EUR"),
    ("ru", "Сегодня мы перечислили 2 000 RUB на вашу карту.", "2000 RUB"),
    ("zh", "我们已把150元打到您的银行卡。", "150 CNY"),
]


@pytest.mark.parametrize(("lang", "text", "loss"), MONEY_BACK)
def test_money_moved_back_counts_as_a_refund(lang: str, text: str, loss: str) -> None:
    incident = Incident(text="charged in error", severity="medium", loss=parse_loss(loss))
    report = check(text, incident, language=lang, embeddings=False)
    assert "refund" in {o.type for o in report.offers}
    assert report.compensation == [], report.compensation


SERVICE_CREDIT = [
    ("en", "We've added two free weeks to your subscription."),
    ("en", "We have waived next month's subscription fee."),
    ("it", "Le regaliamo due settimane di servizio senza costi."),
    ("es", "Te regalamos dos semanas de suscripción gratis."),
    ("ru", "Мы не будем списывать абонентскую плату за следующий месяц."),
    ("zh", "本月服务费全部免收。"),
    ("zh", "所有付费团队将获得 1 天服务时长补偿，3月8日前自动计入账户。"),
    # a macro's labelled line gives the offer
    ("es", "Compensación: 30,00 € de descuento en su factura de abril."),
    ("en", "Compensation: a 30 EUR discount on your April bill."),
    ("en", "Compensation: 30 EUR off your April bill."),
]


@pytest.mark.parametrize(("lang", "text"), SERVICE_CREDIT)
def test_service_credit_is_an_offer_for_lost_time(lang: str, text: str) -> None:
    incident = Incident(text="service down", severity="medium", loss=parse_loss("6 hours"))
    report = check(text, incident, language=lang, embeddings=False)
    assert "voucher" in {o.type for o in report.offers}
    assert "compensation_missing" not in {f.name for f in report.compensation}


def test_you_paid_more_is_not_an_offer() -> None:
    incident = Incident(text="hotel overbooked", severity="medium", loss=parse_loss("90 EUR"))
    report = check("You paid 90 EUR more for another room that night.", incident,
                   language="en", embeddings=False)
    assert report.offers == []
    assert "compensation_missing" in {f.name for f in report.compensation}


NEW_EXPLANATIONS = [
    ("en", "Our logs showed that the export job never finished."),
    ("it", "La consegna è saltata per un guasto al furgone."),
    ("es", "Revisamos su pedido: la etiqueta salió con la dirección antigua."),
    ("ru", "Мы проверили историю платежей: списание прошло дважды."),
    ("zh", "我们核实了一下：仓库把您的订单漏掉了。"),
]


@pytest.mark.parametrize(("lang", "text"), NEW_EXPLANATIONS)
def test_investigation_and_cause_phrasings_pass_explanation(lang: str, text: str) -> None:
    assert check(text, language=lang, embeddings=False).steps["explanation"].passed


COMPANY_VOICE = [
    ("en", "Harbor Telecom accepts full responsibility for the missed appointment."),
    ("it", "La responsabilità di questo disservizio è interamente nostra."),
    ("es", "La responsabilidad de este retraso recae en nosotros."),
    ("ru", "Мы несём за это полную ответственность."),
    ("ru", "Ответственность за сбой целиком на нас."),
    ("zh", "这是本公司的审核疏忽。"),
    ("zh", "责任归我们承担。"),
]


@pytest.mark.parametrize(("lang", "text"), COMPANY_VOICE)
def test_company_voice_ownership_passes_responsibility(lang: str, text: str) -> None:
    assert check(text, language=lang, embeddings=False).steps["responsibility"].passed


COMPLETED_ACTIONS = [
    ("en", "The faulty router was replaced on Tuesday morning."),
    ("it", "Il contatore è stato riparato ieri sera."),
    ("es", "El lector de tarjetas ya está reparado."),
    ("ru", "Неисправный модуль уже заменён."),
    ("zh", "损坏的路由器已更换完毕。"),
]


@pytest.mark.parametrize(("lang", "text"), COMPLETED_ACTIONS)
def test_completed_actions_without_we_pass_remedy(lang: str, text: str) -> None:
    assert check(text, language=lang, embeddings=False).steps["remedy"].passed


CORRECTIONS = [
    ("en", "The correct start time is 18:30, not 17:30."),
    ("it", "Il link corretto è questo: esempio.it/saldi."),
    ("es", "El horario correcto es de 10:00 a 14:00."),
    ("ru", "Действующий промокод — LETO5."),
    ("zh", "正确的活动日期为5月20日。"),
]


@pytest.mark.parametrize(("lang", "text"), CORRECTIONS)
def test_correction_of_a_trivial_slip_is_its_remedy(lang: str, text: str) -> None:
    incident = Incident(text="typo in the newsletter", severity="trivial")
    report = check(text, incident, language=lang, embeddings=False)
    assert report.steps["remedy"].passed
    assert report.verdict == "no_apology_due" and report.compensation == []


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "We promised a callback within 24 hours, but nobody called you."),
    ("zh", "我们答应三天内寄出，却一直没有发货。"),
])
def test_a_broken_promise_is_not_a_remedy(lang: str, text: str) -> None:
    assert not check(text, language=lang, embeddings=False).steps["remedy"].passed


NEW_TRIVIALIZING = [
    ("en", "Honestly, it was just a minor blip."),
    ("en", "Most of our clients never even noticed."),
    ("it", "La maggior parte dei nostri utenti non ha notato nulla."),
    ("es", "Se trató de un fallo sin importancia."),
    ("ru", "Большинство наших пользователей даже не почувствовали сбоя."),
    ("zh", "大部分的用户根本没有察觉。"),
]


@pytest.mark.parametrize(("lang", "text"), NEW_TRIVIALIZING)
def test_minimising_phrasings_are_trivializing(lang: str, text: str) -> None:
    report = check(text, language=lang, embeddings=False)
    assert "trivializing" in {f.name for f in report.anti_patterns}


NEW_BLAME = [
    ("en", "The responsibility for the delay lies entirely with the courier."),
    ("en", "We did our part; the parcel left our warehouse on time."),
    ("it", "La colpa del ritardo è esclusivamente del corriere."),
    ("es", "La responsabilidad es únicamente del transportista."),
    ("ru", "Ответственность за задержку полностью лежит на курьерской службе."),
    ("zh", "责任完全在快递公司。"),
]


@pytest.mark.parametrize(("lang", "text"), NEW_BLAME)
def test_responsibility_placed_on_others_is_blame(lang: str, text: str) -> None:
    report = check(text, language=lang, embeddings=False)
    assert "blame_shifting" in {f.name for f in report.anti_patterns}
    assert not report.steps["responsibility"].passed


def test_not_your_responsibility_is_not_blame() -> None:
    report = check("La responsabilidad es nuestra, no de la aerolínea ni tuya.", language="es",
                   embeddings=False)
    assert report.anti_patterns == [] and report.steps["responsibility"].passed


# --- round 3: constructions, not words (phrasings that appear in no case file) ----------------

ROUND3_EXPLANATIONS = [
    # a thing configured wrongly, in the passive
    ("en", "The booking widget was still linked to the previous calendar account."),
    ("it", "Il modulo era ancora collegato alla vecchia casella di posta."),
    ("es", "El formulario estaba todavía vinculado a una cuenta antigua."),
    ("ru", "Форма была по-прежнему привязана к старому почтовому ящику."),
    ("zh", "预约表单还绑定到了旧的邮箱。"),
    # a person on the team did the wrong thing
    ("en", "A technician mis-set the thermostat on the cold-room door."),
    ("it", "Il magazziniere che ha chiuso il collo ha dimenticato il libretto di istruzioni."),
    ("es", "Nuestro mensajero anotó mal el número del portal."),
    ("ru", "Кладовщик положил в коробку зарядку от другой модели."),
    ("zh", "仓库同事把两张面单贴反了。"),
    # the moment it came from: during the update / while doing X
    ("en", "Some invoices were duplicated during last night's database upgrade."),
    ("it", "Durante la migrazione del catalogo alcuni prezzi sono stati azzerati."),
    ("es", "Durante la migración de cuentas se borraron algunas direcciones."),
    ("ru", "В ходе переезда на новый склад часть заказов потерялась."),
    ("zh", "我们在切换支付通道时漏掉了部分退款申请。"),
    # something broke by itself
    ("en", "The freezer in our Leeds depot broke down overnight."),
    ("it", "Il compressore della cella frigorifera si è guastato domenica notte."),
    ("es", "La máquina de etiquetas se estropeó a media mañana."),
    ("ru", "Холодильная камера вышла из строя в ночь на субботу."),
    ("zh", "周日晚上冷库的压缩机突然出现故障。"),
    # causal connectives and a skipped step
    ("es", "Resultó que el transportista tenía una dirección antigua en su ficha."),
    ("es", "Por una avería en la centralita, las llamadas no entraban."),
    ("ru", "Заказ задержался потому, что склад закрылся на инвентаризацию."),
    ("en", "We pushed the new price list without checking the discount rules."),
    ("es", "Cerramos la reserva sin confirmar la fecha con el hotel."),
    ("zh", "具体情况是：门店系统的库存数字比实际多了三件。"),
]


@pytest.mark.parametrize(("lang", "text"), ROUND3_EXPLANATIONS)
def test_cause_constructions_pass_explanation(lang: str, text: str) -> None:
    assert check(text, language=lang, embeddings=False).steps["explanation"].passed


@pytest.mark.parametrize(("lang", "text"), [
    ("it", "Ci scusiamo perché il tecnico non è passato giovedì."),
    ("es", "Le pedimos disculpas porque el pedido llegó abierto."),
    ("ru", "Извините, что курьер так и не привёз заказ в среду."),
])
def test_the_problem_named_inside_the_apology_is_not_an_explanation(
    lang: str, text: str
) -> None:
    assert not check(text, language=lang, embeddings=False).steps["explanation"].passed


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "From now on, if a seat can't be kept, you'll get a text and a refund."),
    ("zh", "以后如果无法按时发货，系统会自动短信提醒您。"),
    ("ru", "Теперь при переносе заказа клиент получает СМС."),
])
def test_a_rule_for_the_future_is_neither_impact_nor_explanation(lang: str, text: str) -> None:
    report = check(text, language=lang, embeddings=False)
    assert not report.steps["impact"].passed and not report.steps["explanation"].passed


ROUND3_NON_APOLOGIES = [
    "由此给您造成的不便，还请谅解。",
    "不便之处，敬请见谅。",
    "施工给大家带来的麻烦，望您包涵。",
    "对于造成不便深表歉意。",
]


@pytest.mark.parametrize("text", ROUND3_NON_APOLOGIES)
def test_chinese_requests_for_understanding_are_non_apologies(text: str) -> None:
    report = check(text, language="zh", embeddings=False)
    assert "non_apology" in {f.name for f in report.anti_patterns}
    assert not report.steps["regret"].passed


ROUND3_TRIVIALIZING = [
    ("es", "La mayoría de nuestros socios ni se enteraron del corte."),
    ("es", "Casi nadie se dio cuenta, la verdad."),
    ("es", "Solo fueron unos pocos pedidos los que salieron tarde."),
    ("es", "No fue para tanto: todo volvió a funcionar enseguida."),
    ("es", "Fue un simple despiste de calendario."),
    ("en", "Most of the subscribers never even noticed the gap."),
    ("it", "Quasi nessuno se n'è accorto."),
    ("ru", "Почти никто не заметил перерыва."),
    ("zh", "绝大多数会员甚至都没有察觉。"),
]


@pytest.mark.parametrize(("lang", "text"), ROUND3_TRIVIALIZING)
def test_minimising_constructions_are_trivializing(lang: str, text: str) -> None:
    report = check(text, language=lang, embeddings=False)
    assert "trivializing" in {f.name for f in report.anti_patterns}


ROUND3_BLAME = [
    ("es", "El error se debió únicamente a la aerolínea, que cambió la hora sin avisar."),
    ("es", "Nosotros enviamos la documentación a tiempo, pero la agencia no la tramitó."),
    ("en", "The delay was entirely down to the airline's schedule change."),
    ("it", "Il ritardo è dovuto esclusivamente al vettore."),
    ("ru", "Задержка произошла исключительно по вине перевозчика."),
    ("zh", "这次延误完全是由于航空公司调整了航班。"),
]


@pytest.mark.parametrize(("lang", "text"), ROUND3_BLAME)
def test_cause_placed_solely_on_others_is_blame(lang: str, text: str) -> None:
    report = check(text, language=lang, embeddings=False)
    assert "blame_shifting" in {f.name for f in report.anti_patterns}
    assert not report.steps["responsibility"].passed


def test_solely_our_own_error_is_not_blame() -> None:
    text = "El fallo se debe únicamente a un error nuestro de planificación, y lo asumimos."
    report = check(text, language="es", embeddings=False)
    assert "blame_shifting" not in {f.name for f in report.anti_patterns}


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "That was a billing error on our end."),
    ("es", "No lo gestionamos bien y lo sabemos."),
    ("ru", "Это наша недоработка."),
    ("ru", "Мы просим прощения за сорванную доставку."),
])
def test_ownership_and_apology_constructions(lang: str, text: str) -> None:
    report = check(text, language=lang, embeddings=False)
    step = "regret" if "прощени" in text else "responsibility"
    assert report.steps[step].passed


def _comp(text: str, lang: str, incident: Incident) -> set[str]:
    return {f.name for f in check(text, incident, language=lang, embeddings=False).compensation}


def test_shop_discount_for_lost_time_is_the_wrong_type() -> None:
    incident = Incident(text="the pool was closed for a week without notice", severity="medium",
                        loss=parse_loss("7 days"))
    text = "Como compensación, tienes un 20 % de descuento en la tienda del club."
    assert _comp(text, "es", incident) == {"compensation_wrong_type"}
    text = "As compensation, here is a 10% discount code for our online shop."
    assert _comp(text, "en", incident) == {"compensation_wrong_type"}


def test_service_credit_for_lost_time_is_the_right_type() -> None:
    incident = Incident(text="the courier missed the slot", severity="medium",
                        loss=parse_loss("3 hours"))
    assert _comp("Мы начислили вам три бесплатные доставки.", "ru", incident) == set()
    assert _comp("We've added two free deliveries to your account.", "en", incident) == set()


@pytest.mark.parametrize(("lang", "text"), [
    ("zh", "为表歉意，我们给每位会员发放500积分。"),
    ("en", "To make up for it, we've added 200 bonus points to your account."),
    ("es", "Como disculpa, te hemos regalado 50 gemas."),
])
def test_points_and_in_game_currency_for_a_trivial_slip(lang: str, text: str) -> None:
    incident = Incident(text="wrong date in the event announcement", severity="trivial")
    assert _comp(text, lang, incident) == {"compensation_for_trivial"}


def test_language_that_is_not_a_code_is_a_usage_error() -> None:
    result = run_cli("check", "-", "--lang", "klingon", stdin=b"Sorry, our mistake.")
    assert result.returncode == 2
    assert result.stderr.decode().strip().splitlines() == [
        "error: unknown language 'klingon': use a two-letter code such as "
        + ", ".join(SUPPORTED)
    ]


# --- round 4: structural signals (phrasings that appear in no case file) -------------------------


def _step_hits(text: str, lang: str, step: str) -> list[str]:
    return check(text, language=lang, embeddings=False).steps[step].evidence


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Honestly, that oversight is ours."),
    ("it", "Si è trattato di una nostra grave disattenzione."),
    ("es", "Fue un descuido nuestro en el almacén."),
    ("ru", "Это недосмотр нашего склада."),
    ("zh", "这是我们仓库的疏忽。"),
])
def test_first_person_plus_fault_is_ownership(lang: str, text: str) -> None:
    assert _step_hits(text, lang, "responsibility") == [text]


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "That oversight was not ours."),
])
def test_negated_ownership_is_not_ownership(lang: str, text: str) -> None:
    assert _step_hits(text, lang, "responsibility") == []


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "We have now unlocked your profile and reissued the invoice."),
    ("it", "Abbiamo subito sbloccato il profilo e riparato la stampante."),
    ("es", "Ya hemos desbloqueado su perfil."),
    ("ru", "Мы разблокировали профиль, счёт исправлен."),
    ("zh", "我们已经为您解锁了账户。"),
])
def test_completed_corrective_acts_are_remedy(lang: str, text: str) -> None:
    assert _step_hits(text, lang, "remedy") == [text]


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Because of us you eventually had to reschedule the photographer."),
    ("it", "Ci dispiace averti fatto aspettare al freddo."),
    ("es", "Siento haberle hecho esperar en la puerta."),
    ("ru", "Простите, что заставили вас ждать курьера."),
    ("zh", "让您白等了一个下午。"),
])
def test_the_customer_as_the_one_who_bore_it_is_impact(lang: str, text: str) -> None:
    assert text in _step_hits(text, lang, "impact")


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "As a goodwill gesture, your next grooming session is complimentary."),
    ("it", "Per rimediare, il prossimo lavaggio è a nostro carico."),
    ("es", "Para compensarle, la próxima revisión es gratis."),
    ("ru", "В знак извинения следующая стрижка за наш счёт."),
    ("zh", "为表歉意，下次洗车全免。"),
])
def test_unknown_kind_of_offer_stops_compensation_missing(lang: str, text: str) -> None:
    incident = Incident(text="appointment moved without notice", loss=parse_loss("2 hours"))
    assert _comp(text, lang, incident) == set()


def test_a_gift_for_lost_time_is_the_wrong_type() -> None:
    incident = Incident(text="booked room given to someone else", loss=parse_loss("3 hours"))
    text = "By way of apology we are sending you a mug and a tote bag."
    assert _comp(text, "en", incident) == {"compensation_wrong_type"}


@pytest.mark.parametrize(("lang", "text", "name"), [
    ("en", "The glitch was on the courier's side, not ours.", "blame_shifting"),
    ("it", "Inserire il codice è responsabilità del cliente.", "blame_shifting"),
    ("es", "Si el cargo le pareció excesivo, le pedimos disculpas.", "conditional_apology"),
    ("zh", "要是这次延误让您不便，我们深表歉意。", "conditional_apology"),
])
def test_round4_anti_patterns(lang: str, text: str, name: str) -> None:
    report = check(text, language=lang, embeddings=False)
    assert name in {f.name for f in report.anti_patterns}


def test_happier_with_words_in_between() -> None:
    text = "We're sure you'll be more pleased with our service after this than before."
    assert "happier_promise" in {f.name for f in check(text, language="en").compensation}


THANKS_INSTEAD = {
    "en": ("Thank you for your patience while we sorted out the double charge on your card.",
           "We are sorry we charged you twice."),
    "it": ("Grazie per la pazienza mentre sistemavamo il doppio addebito sulla sua carta.",
           "Ci scusiamo per il doppio addebito."),
    "es": ("Gracias por su paciencia mientras resolvíamos el doble cargo en su tarjeta.",
           "Lamentamos mucho el doble cargo."),
    "ru": ("Спасибо за ваше терпение, пока мы разбирались с двойным списанием с вашей карты.",
           "Приносим извинения за двойное списание."),
    "zh": ("感谢您在我们处理重复扣款期间的耐心等待。", "对于重复扣款，我们深表歉意。"),
    "de": ("Vielen Dank für Ihre Geduld, während wir die doppelte Abbuchung geklärt haben.",
           "Es tut uns leid, dass wir Ihre Karte doppelt belastet haben."),
}
REFUNDED = {
    "en": "We have refunded the second charge of 49 EUR today.",
    "it": "Abbiamo rimborsato oggi il secondo addebito di 49 euro.",
    "es": "Hoy le hemos devuelto el segundo cargo de 49 euros.",
    "ru": "Сегодня мы вернули второе списание в 49 евро.",
    "zh": "我们今天已退还第二笔 49 欧元的扣款。",
    "de": "Wir haben die zweite Abbuchung von 49 EUR heute erstattet.",
}


@pytest.mark.parametrize("lang", sorted(THANKS_INSTEAD))
def test_thanks_for_patience_in_place_of_sorry_is_a_non_apology(lang: str) -> None:
    """Thanks that stands in for an apology is a non-apology; beside a real apology, or in a
    note where none is due, it is only thanks."""
    thanks, sorry = THANKS_INSTEAD[lang]
    due = Incident(text="charged twice", severity="medium", loss=parse_loss("49 EUR"))
    alone = check(f"{thanks} {REFUNDED[lang]}", due, language=lang)
    names = {f.name: f for f in alone.anti_patterns}
    assert "non_apology" in names, alone.failed_items()
    assert names["non_apology"].evidence == [thanks]
    assert alone.verdict == "needs_changes"
    with_sorry = check(f"{sorry} {thanks} {REFUNDED[lang]}", due, language=lang)
    assert "non_apology" not in {f.name for f in with_sorry.anti_patterns}
    trivial = check(thanks, Incident(text="newsletter sent twice", severity="trivial"),
                    language=lang)
    assert "non_apology" not in {f.name for f in trivial.anti_patterns}


POLITE_BLAME = {
    "en": ("Sorry that your card was declined on Saturday. The outage was caused by a faulty "
           "update that our payment processor rolled out overnight. Your card works again, and "
           "we refunded the 15 EUR fee today.",
           "That is our responsibility: we chose the processor and we should have tested the "
           "update."),
    "it": ("Ci scusiamo per il rifiuto della carta di sabato. Il blocco è stato causato da un "
           "aggiornamento difettoso installato dal nostro fornitore dei pagamenti. La carta "
           "funziona di nuovo e le abbiamo rimborsato oggi la commissione di 15 euro.",
           "La responsabilità è nostra: abbiamo scelto noi il fornitore e avremmo dovuto "
           "verificare l'aggiornamento."),
    "ru": ("Приносим извинения за то, что в субботу ваша карта не работала. Сбой произошёл из-за "
           "обновления, которое установил наш платёжный провайдер. Карта снова работает, "
           "комиссию 15 евро мы сегодня вернули.",
           "Это наша ответственность: провайдера выбрали мы, и мы должны были проверить "
           "обновление."),
    "zh": ("很抱歉周六您的银行卡无法使用。这次故障是由我们的支付服务商夜间推送的错误更新引起的。"
           "现在卡已恢复正常，15 欧元手续费我们今天已退还。",
           "这是我们的责任：服务商是我们选的，我们本应先测试这次更新。"),
}


@pytest.mark.parametrize("lang", sorted(POLITE_BLAME))
def test_an_outside_party_as_the_cause_is_blame_where_the_draft_owns_nothing(lang: str) -> None:
    """No "not our fault" needed: explaining the failure by a provider, in a draft that owns
    nothing, puts the blame there. The same explanation beside ownership is a fact."""
    draft, owned = POLITE_BLAME[lang]
    blamed = check(draft, language=lang)
    assert "blame_shifting" in {f.name for f in blamed.anti_patterns}, blamed.failed_items()
    assert not blamed.steps["responsibility"].passed
    fair = check(f"{draft} {owned}", language=lang)
    assert "blame_shifting" not in {f.name for f in fair.anti_patterns}, fair.failed_items()
    assert fair.steps["responsibility"].passed


HEDGED = [
    ("en", "We regret any frustration you may have felt when your room was not ready."),
    ("it", "Ci rammarichiamo per qualsiasi frustrazione che Lei possa aver provato."),
    ("es", "Lamentamos cualquier frustración que haya podido sentir con la entrega."),
    ("ru", "Мы сожалеем о любых неудобствах, которые Вы могли испытать при заселении."),
    ("zh", "对于您就诊时可能感受到的不便，我们深表遗憾。"),
]


# Sorry for the customer's feelings or impression, not for what we did.
FEELINGS_NOT_DEEDS = [
    ("en", "We regret your disappointment with the room you were given."),
    ("en", "I'm sorry you got that impression of our hotel."),
    ("de", "Es tut uns leid, dass Sie den Abend Ihrer Anreise so empfunden haben."),
    ("de", "Wir bedauern jede Enttäuschung, die Ihnen dadurch entstanden ist."),
    ("ru", "Нам жаль, что у вас сложилось такое впечатление о нашем отеле."),
    ("ru", "Ещё раз сожалеем о вашем разочаровании."),
    ("es", "Lamentamos que se sintiera decepcionado con la habitación."),
    ("es", "Lamentamos cualquier decepción que esta situación haya podido causarle."),
]


@pytest.mark.parametrize(("lang", "text"), HEDGED + FEELINGS_NOT_DEEDS)
def test_regret_for_the_customers_feelings_not_our_deed_is_a_non_apology(lang: str,
                                                                        text: str) -> None:
    report = check(text, language=lang, embeddings=False)
    assert "non_apology" in {f.name for f in report.anti_patterns}
    assert not report.steps["regret"].passed


def test_a_russian_word_ending_in_ya_is_not_the_pronoun_ya() -> None:
    """"версия ... ошибочно" is the supplier's version erring, not "я ... ошибочно" (I erred)."""
    other = check("Новая версия системы поставщика ошибочно заблокировала карты.",
                  language="ru", embeddings=False)
    assert not other.steps["responsibility"].passed
    ours = check("Я ошибочно заблокировал вашу карту.", language="ru", embeddings=False)
    assert ours.steps["responsibility"].passed


GIVEN_BACK = [
    # a replacement sent is an exchange; a fee that will not be charged is money not taken
    ("es", "Ayer le enviamos una cafetera nueva por mensajería urgente.", "89.90 EUR", "exchange"),
    ("en", "We shipped you a new kettle this morning by express courier.", "49 EUR", "exchange"),
    ("it", "Ieri le abbiamo spedito un frullatore nuovo con corriere espresso.", "79 EUR",
     "exchange"),
    ("it", "Il ticket di 48,60 € per l'esame non Le sarà addebitato.", "48.60 EUR", "refund"),
]


@pytest.mark.parametrize(("lang", "text", "loss", "kind"), GIVEN_BACK)
def test_a_replacement_or_a_waived_fee_is_an_offer(lang: str, text: str, loss: str,
                                                   kind: str) -> None:
    incident = Incident(text="faulty order", severity="medium", loss=parse_loss(loss))
    report = check(text, incident, language=lang, embeddings=False)
    assert kind in {o.type for o in report.offers}
    assert "compensation_missing" not in {f.name for f in report.compensation}


@pytest.mark.parametrize(("text", "slot"), [
    ("【客户姓名】您好：\n很抱歉您的订单延误了。", True),
    ("[客户姓名]您好：\n很抱歉您的订单延误了。", True),
    ("【店铺名称】客服：很抱歉您的订单延误了。", True),
    ("【联信通信 · 故障处理回复】\n很抱歉您的宽带中断了两天。", False),
    ("【招商银行】尊敬的客户，很抱歉昨晚的扣款重复了。", False),
])
def test_a_chinese_bracket_is_a_slot_when_it_names_a_field(text: str, slot: bool) -> None:
    """【...】 heads Chinese messages with the sender's name; a slot names a field."""
    report = check(text, language="zh", embeddings=False)
    assert ("placeholders_left" in {f.name for f in report.anti_patterns}) is slot


CLEARED_PARTNER = [
    ("ru", "Простите нас: мы отправили ваш заказ не в Тверь, а в Тулу. Ошибка произошла у нас "
           "на складе: сотрудник наклеил чужую этикетку, и курьерская служба доставила коробку "
           "по указанному адресу. Курьеры сделали всё правильно — ошиблись мы."),
    ("zh", "很抱歉理赔款延迟支付。因我司理赔专员录入账户时错输一位，该笔款项被收款银行退回。"
           "上述两项过失均由我司造成，与收款银行及修理厂无关。"),
    ("en", "I'm sorry your parcel went to the wrong town. Our warehouse printed the wrong label "
           "and the courier delivered it to the address on it. It was not the courier's fault."),
]


@pytest.mark.parametrize(("lang", "text"), CLEARED_PARTNER)
def test_clearing_the_outside_party_is_ownership_not_blame(lang: str, text: str) -> None:
    """"The couriers did everything right: we made the mistake" names a partner to clear it."""
    report = check(text, language=lang, embeddings=False)
    assert "blame_shifting" not in {f.name for f in report.anti_patterns}
    assert report.steps["responsibility"].passed


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "To put it in context, this was a brief disruption: the vast majority of our viewers "
           "watched the match without any problem."),
    ("en", "Compared with the outages other platforms had that weekend, the service held up."),
    ("zh", "好在这只是一次短暂的延误，绝大多数旅客也都顺利完成了当天的行程。"),
    ("zh", "说实话，与春运期间动辄取消的航班相比，这次的情况其实并不算严重。"),
])
def test_a_brief_disruption_or_a_comparison_with_others_is_trivializing(lang: str,
                                                                          text: str) -> None:
    report = check(text, language=lang, embeddings=False)
    assert "trivializing" in {f.name for f in report.anti_patterns}


def test_a_german_date_with_an_ordinal_is_one_sentence_and_the_payment_an_offer() -> None:
    text = ("Es tut uns leid, dass Ihr Koffer nicht angekommen ist. Die 186 € haben wir Ihnen "
            "am 8. August überwiesen.")
    report = check(text, Incident(text="Koffer verloren", severity="medium",
                                  loss=parse_loss("186 EUR")), language="de", embeddings=False)
    assert "Die 186 € haben wir Ihnen am 8. August überwiesen." in [o.evidence
                                                                  for o in report.offers]
    assert "compensation_missing" not in {f.name for f in report.compensation}


@pytest.mark.parametrize(("lang", "text", "loss"), [
    # the claim paid late is what the failure was about; the fee and interest compensate
    ("es", "Sabemos que tuvo que adelantar de su bolsillo los 2.340,00 € de la reparación y "
           "que el fontanero le cobró 85,00 € de recargo. Hemos ordenado la transferencia de "
           "2.340,00 € de indemnización y de 85,00 € de reembolso del recargo.", "85 EUR"),
    ("it", "Ci scusiamo per il ritardo nella liquidazione. Abbiamo disposto il pagamento "
           "dell'indennizzo di 3.850,00 € e il rimborso integrale del noleggio, pari a 420,00 €.",
     "420 EUR"),
    # a total restating its parts counts once
    ("en", "We will reimburse the £312 hire cost in full, together with £50 for your time. A "
           "payment of £362 was sent by bank transfer today.", "312 GBP"),
])
def test_money_owed_anyway_and_a_restated_total_are_not_extra_compensation(
        lang: str, text: str, loss: str) -> None:
    incident = Incident(text="claim paid late", severity="medium", loss=parse_loss(loss))
    assert "compensation_out_of_range" not in _comp(text, lang, incident)
    too_much = text.replace("85,00 € de reembolso", "85,00 € de reembolso y 900,00 € de "
                            "compensación").replace("420,00 €.", "420,00 € e un buono di 900 "
                            "€.").replace("£50", "£950").replace("£362", "£1,262")
    assert "compensation_out_of_range" in _comp(too_much, lang, incident)


def test_we_have_nothing_to_do_with_it_is_not_ownership() -> None:
    """Clearing a partner owns the fault; clearing ourselves ("Wir haben damit nichts zu tun")
    is the opposite."""
    denial = check("Wir haben damit nichts zu tun, der Paketdienst hat das Paket verloren.",
                   language="de", embeddings=False)
    assert not denial.steps["responsibility"].passed
    cleared = check("Unser Zusteller hat damit nichts zu tun: der Fehler lag bei uns im Lager.",
                    language="de", embeddings=False)
    assert cleared.steps["responsibility"].passed
