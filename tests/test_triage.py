"""Triage decides what the email is about; a wrong call here makes every later step wrong."""

from __future__ import annotations

import pytest

from composer.understand.incident import Incident, parse_loss
from composer.understand.triage import triage


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("wrong bank account", "wrong_payment"),
        ("we charged the customer twice", "billing_error"),
        ("the site was down for three hours", "outage"),
        ("we lost some customers' files during the migration", "data_loss"),
        ("someone got unauthorized access to our user database", "security_breach"),
        ("the renewal reminder went to the wrong list", "wrong_recipient"),
        ("the newsletter announced the wrong sale dates", "wrong_content"),
        ("the export button stopped working after the update", "product_bug"),
        ("the parcel arrived damaged", "delivery_problem"),
        ("our agent was rude and nobody answered for a week", "poor_service"),
        ("typo in the subject line", "typo"),
        ("we sent the newsletter twice", "duplicate_send"),
        ("the promo code in yesterday's mailing does not work", "promo_code"),
        ("il sito è rimasto offline per tre ore", "outage"),
        ("abbiamo addebitato due volte l'abbonamento", "billing_error"),
        ("el pedido llegó dañado", "delivery_problem"),
        ("деньги ушли не на тот счёт", "wrong_payment"),
        ("服务器宕机了三个小时", "outage"),
        ("我们给客户重复扣款了", "billing_error"),
        ("cobramos dos veces al cliente", "billing_error"),
        ("enviamos la factura del cliente a otra persona", "wrong_recipient"),
        ("il pacco è arrivato con due settimane di ritardo", "delivery_problem"),
        ("no recibió respuesta del soporte", "poor_service"),
        ("промокод в рассылке не работал", "promo_code"),
        ("мы списали деньги с клиента дважды", "billing_error"),
        ("курьер потерял заказ клиента", "delivery_problem"),
        ("快递把客户的包裹弄丢了", "delivery_problem"),
        ("我们不小心删除了客户的数据", "data_loss"),
    ],
)
def test_category_from_the_incident_words(text, category):
    assert triage(Incident(text)).category == category


def test_trivial_errors_get_no_standalone_apology_and_advice_instead():
    for text in ("we sent the newsletter twice", "typo in the subject line"):
        decided = triage(Incident(text))
        assert decided.severity == "trivial"
        assert decided.should_apologize is False
        assert "No standalone apology" in decided.advice
        assert "rule.when-not-to-apologize" in decided.cards


def test_an_explicit_severity_overrides_the_trivial_default():
    decided = triage(Incident("typo in the price of the offer", severity="low"))
    assert decided.should_apologize is True


def test_severity_rises_with_long_outages_big_losses_and_repeats():
    assert triage(Incident("the app crashed")).severity == "medium"
    assert triage(Incident("the app was down for hours")).severity == "high"
    assert triage(Incident("the app crashed", loss=parse_loss("2000 EUR"))).severity == "high"
    assert triage(Incident("the app crashed", prior_failures=1)).severity == "high"
    assert triage(Incident("someone hacked an account", prior_failures=2)).severity == "critical"


@pytest.mark.parametrize("text", [
    "Сегодня утром был сбой, сайт был недоступен",  # 'дня' inside 'сегодня'
    "Сейчас сайт недоступен",  # 'час' inside 'сейчас'
    "Часть клиентов не может зайти: сайт недоступен",  # and inside 'часть'
])
def test_a_russian_word_that_contains_hour_or_day_is_not_a_long_outage(text):
    assert triage(Incident(text)).severity == "medium"
    assert triage(Incident("Сайт был недоступен 5 часов")).severity == "high"


def test_a_trivial_slip_that_happened_before_is_owed_an_apology():
    """"The second time you misspelt my name" is no harmless one-off: at least low, with an
    apology. A duplicate's "second time" is the duplicate itself, and stays trivial."""
    from composer.understand.reading import understand

    for text in ("This is the third time we misspelt her name on the certificate.",
                 "Second time we misspelt her name on the certificate.",
                 "È la seconda volta: nel certificato c'è un errore di battitura nel suo nome."):
        reading = understand(Incident(text))
        assert reading.triage.category == "typo", text
        assert reading.triage.severity == "low" and reading.should_apologize, text
    once = triage(Incident("We misspelt her name on the certificate."))
    assert once.severity == "trivial" and not once.should_apologize
    duplicate = triage(Incident("the same newsletter went out twice"), recurrence=2)
    assert duplicate.category == "duplicate_send" and duplicate.severity == "trivial"


def test_stage_follows_fix_status_channel_and_wording():
    assert triage(Incident("the site is down", fix_status="fixed")).stage == "resolved"
    assert triage(Incident("the site was down for two hours")).stage == "resolved"
    assert triage(Incident("the site is still down")).stage == "investigating"
    assert triage(Incident("the site is down", channel="newsletter")).stage == "proactive"
    # we write first about something already over: the email says it is fixed
    assert triage(Incident("the site was down for two hours", channel="proactive")).stage == \
        "resolved"
    assert triage(Incident("the site is still down", channel="proactive")).stage == "proactive"
    # Unknown: promise an update rather than claim a fix.
    assert triage(Incident("wrong bank account")).stage == "investigating"


def test_output_language_is_detected_unless_overridden():
    assert triage(Incident("il sito è rimasto offline per tre ore")).language == "it"
    assert triage(Incident("the site was down"), language="es").language == "es"
    french = triage(Incident("le site était en panne pendant trois heures, nous sommes désolés"))
    assert french.language == "en"
    assert "fr" in french.reasons[-1] and "not supported" in french.reasons[-1]


def test_reasons_explain_every_decision():
    decided = triage(Incident("the app was down for hours", prior_failures=1))
    text = " ".join(decided.reasons)
    for word in ("category outage", "raised to high", "earlier failure", "stage", "language"):
        assert word in text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("el boletín del lunes se envió dos veces a toda la base", "duplicate_send"),
        ("Priya can't export invoices to PDF since this morning's release", "product_bug"),
        ("приложение снова вылетает при оплате", "product_bug"),
        ("网站改版后读屏软件也没法用", "product_bug"),
        ("Enviamos por error el correo de renovación a antiguos contactos", "wrong_recipient"),
        ("Durante la migrazione abbiamo cancellato i dati di 40 album", "data_loss"),
        ("系统升级时删除了李娜店铺的商品数据", "data_loss"),
        ("Lamp arrived with a cracked glass shade", "product_bug"),
    ],
)
def test_wordings_the_first_rules_missed(text, category):
    assert triage(Incident(text)).category == category


def test_a_typo_that_changes_a_price_is_a_factual_error_not_a_trivial_slip():
    decided = triage(Incident("Typo in the newsletter: the price was printed as 19 EUR"))
    assert decided.category == "wrong_content" and decided.severity == "low"
    assert decided.should_apologize
    # A plain typo, or a wrong date, stays a quiet correction unless the user says otherwise.
    assert not triage(Incident("typo in the subject line")).should_apologize
    assert not triage(Incident("Refuso nella newsletter: la data era sbagliata")).should_apologize


def test_sensitive_data_sent_to_a_stranger_is_high():
    assert triage(Incident("把孙小姐的体检报告发错人了")).severity == "high"
    assert triage(Incident("we sent her medical report to the wrong person")).severity == "high"
    assert triage(Incident("the renewal reminder went to the wrong list")).severity == "medium"


# Wider vocabulary: sentences written for these tests (not taken from any eval set), in all five
# languages, for the categories whose first rules were too narrow.
@pytest.mark.parametrize(
    ("text", "category"),
    [
        # a named typo, or a quoted word instead of another
        ("Our product update email had two misspelled words in the headline", "typo"),
        ('The banner read "Summmer sale" instead of "Summer sale"', "typo"),
        ("Nell'oggetto della newsletter c'era un errore di battitura", "typo"),
        ("En el asunto del correo había una falta de ortografía", "typo"),
        ("В заголовке письма пропущена буква", "typo"),
        ("邮件标题里有个错字", "typo"),
        # a code-like token next to "code", or a coupon, in any language
        ("The SPRING20 code from the newsletter was rejected at checkout", "promo_code"),
        ("Il codice SCONTO10 della newsletter non veniva accettato", "promo_code"),
        ("El cupón del correo semanal había caducado", "promo_code"),
        ("Код скидки VESNA5 из рассылки не принимался на кассе", "promo_code"),
        ("邮件里的折扣码输入后提示无效", "promo_code"),
        # marked delivered but missing, the wrong item, damage in transit
        ("Tracking shows delivered but the customer never got the box", "delivery_problem"),
        ("We shipped the wrong model of headphones to Ana", "delivery_problem"),
        ("Il corriere segna il pacco come consegnato ma non è mai arrivato", "delivery_problem"),
        ("El pedido figura como entregado pero el cliente no lo ha recibido", "delivery_problem"),
        ("Клиенту привезли не тот размер куртки", "delivery_problem"),
        ("物流显示已签收，但客户没收到包裹", "delivery_problem"),
        ("The sofa arrived crushed because the packaging was too thin", "delivery_problem"),
        # a parcel at the wrong address is a delivery problem; a message there, a wrong recipient
        ("Wir haben das Paket an die falsche Adresse geschickt", "delivery_problem"),
        ("Die E-Mail mit den Befunden ging an die falsche Adresse", "wrong_recipient"),
        ("We sent the parcel to the wrong address", "delivery_problem"),
        ("The newsletter went to the wrong address", "wrong_recipient"),
        ("Мы отправили посылку не по тому адресу", "delivery_problem"),
        ("Письмо с результатами ушло не по тому адресу", "wrong_recipient"),
        # tickets closed unanswered, nobody replying
        ("The customer's ticket was closed without a reply twice", "poor_service"),
        ("L'operatore ha chiuso la chat senza rispondere alla domanda", "poor_service"),
        ("Nadie le respondió durante dos semanas", "poor_service"),
        ("Оператор закрыл обращение, так и не ответив клиенту", "poor_service"),
        ("客服把工单自动关闭了，一直没人回复", "poor_service"),
        # someone's document sent to another customer
        ("We sent Maria's order confirmation to another customer by mistake", "wrong_recipient"),
        ("Abbiamo inviato per errore la fattura di Marco a un altro cliente", "wrong_recipient"),
        ("Enviamos el presupuesto de Laura a otro cliente", "wrong_recipient"),
        ("Мы отправили договор клиента другому клиенту", "wrong_recipient"),
        ("把客户的合同误发给了另一位客户", "wrong_recipient"),
        # insiders, account takeovers, data left public
        ("A former contractor still had admin access and downloaded the customer list",
         "security_breach"),
        ("Several accounts were taken over through credential stuffing", "security_breach"),
        ("Un ex dipendente ha scaricato l'elenco clienti dopo aver lasciato l'azienda",
         "security_breach"),
        ("Cuentas de clientes comprometidas tras un ataque de fuerza bruta", "security_breach"),
        ("Бывший сотрудник выгрузил базу клиентов после увольнения", "security_breach"),
        ("前员工离职后仍能登录后台并导出了客户资料", "security_breach"),
        ("The backup bucket with customer records was publicly accessible for a week",
         "security_breach"),
        # overwritten or unrecoverable work
        ("The sync bug overwrote customers' notes with an older version", "data_loss"),
        ("La sincronizzazione ha sovrascritto le note degli utenti", "data_loss"),
        ("La sincronización sobrescribió los documentos de los usuarios", "data_loss"),
        ("Синхронизация перезаписала заметки пользователей", "data_loss"),
        ("同步后用户的笔记被旧版本覆盖了，部分无法恢复", "data_loss"),
        # the app closing, a blank page
        ("The iOS app closes as soon as you try to attach a photo", "product_bug"),
        ("L'app si chiude appena si apre la fotocamera", "product_bug"),
        ("La app se cierra al intentar adjuntar un archivo", "product_bug"),
        ("Приложение вылетает при попытке прикрепить файл", "product_bug"),
        ("App 的订单页面一直白屏", "product_bug"),
        # tax and charges after cancelling
        ("Invoice applied 20% VAT instead of 10%", "billing_error"),
        ("La fattura aveva l'IVA sbagliata", "billing_error"),
        ("В счёте указали НДС 20% вместо 10%", "billing_error"),
        ("发票税率开错了，多收了客户钱", "billing_error"),
        ("The subscription kept being charged after she cancelled", "billing_error"),
        # wrong photo, venue or date in a mailing
        ("The mailing showed a photo of the wrong product", "wrong_content"),
        ("The event invitation had the wrong venue", "wrong_content"),
        ("Nella newsletter la foto del prodotto era sbagliata", "wrong_content"),
        ("В рассылке указали неверную дату вебинара", "wrong_content"),
        ("活动邮件里的图片放错了", "wrong_content"),
        ("La newsletter aveva il link al catalogo rotto", "wrong_content"),
        # money to an old or someone else's card or account
        ("The refund was sent to her old card that she had closed", "wrong_payment"),
        ("Il rimborso è finito su un vecchio conto del cliente", "wrong_payment"),
        ("Возврат ушёл на старую карту клиента", "wrong_payment"),
        ("退款打到了客户以前的银行卡", "wrong_payment"),
        ("Четырёхчасовой простой сервиса", "outage"),
    ],
)
def test_wider_vocabulary_in_every_language(text, category):
    assert triage(Incident(text)).category == category


@pytest.mark.parametrize(
    ("text", "not_category"),
    [
        ("Вопрос простой: как выгрузить отчёт?", "outage"),  # "простой" is also "simple"
        ("The hotel gave her a voucher for dinner, but the room was never cleaned", "promo_code"),
        ("The password reset email never arrives", "security_breach"),
        ("新版本覆盖了所有用户，但导出按钮无法使用", "data_loss"),  # 覆盖 is also "covers"
        ("Another customer reported the same bug in the export", "wrong_recipient"),
    ],
)
def test_words_with_a_second_meaning_do_not_trigger_a_category(text, not_category):
    assert triage(Incident(text)).category != not_category


def test_a_broken_coupon_page_is_a_bug_not_a_promo_code_slip():
    for text in ("The coupons page in the app shows a blank screen",
                 "App 里的优惠券页面一直白屏", "La pagina dei coupon nell'app è bianca e "
                 "l'app si chiude"):
        decided = triage(Incident(text))
        assert decided.category == "product_bug" and decided.should_apologize, text
    assert triage(Incident("The coupon in the newsletter was expired")).category == "promo_code"


@pytest.mark.parametrize("text", [
    "Code SPRING20 was shown in the basket but not applied: 300 customers paid full price.",
    "URGENTE: el codigo VERANO20 suma en vez de restar, la gente paga mas",
    "Con il codice AMICO10 si vede addebitare 55 € invece di 45 €",
    "промокод VESNA пересчитывает доставку, люди переплачивают по 299 р.",
    "promo code SUMMER50 没生效，客户按原价支付，多付了 ¥50",
    "Der Code SCHULE20 wurde nicht abgezogen, 640 Kunden haben den vollen Preis bezahlt.",
])
def test_a_code_that_made_customers_pay_more_is_a_billing_error_with_an_apology(text):
    decided = triage(Incident(text))
    assert decided.category == "billing_error" and decided.should_apologize, text


@pytest.mark.parametrize("text", [
    "Il codice SCONTO10 valeva 10 € fissi invece del 10 %, ma nessuno ha pagato di più.",
    "El código DESC10 se configuró mal, pero nadie ha pagado de más.",
    "Промокод МИНУС300 настроили как 30 %, скидка вышла больше. Переплат нет.",
])
def test_a_code_slip_where_nobody_paid_more_stays_a_promo_code_slip(text):
    decided = triage(Incident(text))
    assert decided.category == "promo_code" and not decided.should_apologize, text


@pytest.mark.parametrize("text", [
    "A customer got the same password-reset email three times and asked if it was phishing.",
    "Клиентка получила два одинаковых смс и спрашивает, не мошенники ли это.",
    "Il cliente ha ricevuto due volte la stessa mail e chiede se è una truffa.",
    "La clienta recibió el mismo SMS dos veces y pregunta si es una estafa.",
    "Der Kunde bekam die Rechnung doppelt per Mail und fragt, ob das Phishing ist.",
    "用户收到两条一模一样的短信，问是不是诈骗。",
])
def test_a_customer_asking_if_our_duplicate_message_is_a_scam_gets_no_breach_email(text):
    """The attack word is the customer's worry: the draft used to apologise for a critical
    security breach. A real phishing campaign is still a breach."""
    decided = triage(Incident(text))
    assert decided.category != "security_breach" and decided.severity != "critical", text
    assert triage(Incident("Attackers sent phishing emails with our logo to 2,000 customers "
                           "and stole 40 passwords.")).category == "security_breach"


@pytest.mark.parametrize("text", [
    "The customer never received the refund of $59.",
    "Il sig. Rinaldi non ha ricevuto il rimborso di 236 €.",
    "La clienta sigue esperando el reembolso de 129 €.",
    "Клиентка не получила возврат 590 ₽.",
    "客户没有收到 59 元退款。",
    "Frau Brandt hat die Erstattung von 59 € nie erhalten.",
])
def test_a_refund_that_never_arrived_is_how_we_handled_it_not_a_wrong_transfer(text):
    """No rule used to match, and the model read money sent to the wrong account: an apology
    for a cause nobody stated. A refund that went to the wrong card is still a wrong payment."""
    assert triage(Incident(text)).category == "poor_service", text
    assert triage(Incident("The refund went to the old card instead of the new one.")
                  ).category == "wrong_payment"


def test_a_typo_with_the_prices_stated_correct_stays_trivial():
    decided = triage(Incident("Typo in the intro of the newsletter; links and prices all correct"))
    assert decided.category == "typo" and not decided.should_apologize
    assert not triage(Incident("通讯标题里有错别字，正文和价格都没错")).should_apologize
    # ...but a typo in a price is still a factual error.
    assert triage(Incident("Typo in the newsletter: the price was printed as 19 EUR")
                  ).should_apologize


def test_when_no_rule_matches_the_incident_words_decide_and_never_a_trivial_category():
    decided = triage(Incident("Il cliente ha atteso due giorni una risposta dall'assistenza"))
    assert decided.category == "poor_service"
    assert "point to it" in decided.reasons[0]
    # Words of a trivial category alone never silence the apology: that needs a rule.
    guess = triage(Incident("Customers wrote in about the promo duplicates"))
    assert guess.category not in ("promo_code", "duplicate_send") and guess.should_apologize
    assert triage(Incident("Something odd happened")).category == "product_bug"


def test_a_fix_eta_in_days_does_not_make_a_bug_high_but_a_long_outage_is():
    assert triage(Incident("The app closes when attaching a photo; the fix needs 2-3 days")
                  ).severity == "medium"
    assert triage(Incident("The site was down for two days")).severity == "high"


def test_overwritten_notes_are_data_loss_and_high():
    decided = triage(Incident("Sync bug: offline edits were overwritten by the server copy"))
    assert decided.category == "data_loss" and decided.severity == "high"


def test_a_code_offered_as_the_remedy_is_not_a_promo_code_incident():
    for text in ("Order arrived 5 days late; we would like to offer a discount code",
                 "Il pacco è arrivato in ritardo, vorremmo regalare un codice sconto",
                 "Посылка пришла с опозданием, хотим подарить промокод",
                 "包裹延误了三天，我们想送她一张优惠券"):
        decided = triage(Incident(text))
        assert decided.category == "delivery_problem" and decided.should_apologize, text
    assert triage(Incident("The discount code in the newsletter was wrong")).category == (
        "promo_code")


def test_an_incident_that_hit_everyone_is_at_least_high():
    """The reader's scope feeds severity: every customer makes an outage high, every region
    ("global", "all regions") makes it critical, "some users" does neither."""
    from composer.understand.reading import understand

    def severity(text: str) -> str:
        return understand(Incident(text=text)).triage.severity

    assert severity("Global outage due to an undiscovered software bug.") == "critical"
    assert severity("The checkout was down across all regions for 20 minutes.") == "critical"
    assert severity("Login was down for all customers for an hour.") == "high"
    # "everywhere she goes" is one customer's everywhere
    assert severity("The app is down for her everywhere she goes.") != "critical"
    assert severity("The site was slow for some users this morning.") == "medium"


def test_a_breach_is_critical_at_scale_and_high_for_one_account():
    """A person's rule: one account taken over is high; a breach of thousands of records, or of
    everyone, is critical. The reason line names the words that made it so."""
    from composer.understand.reading import understand

    def decided(text: str):
        return understand(Incident(text=text)).triage

    one = decided("Account takeover: an attacker logged into the customer's account and "
                  "changed her password; we have locked it.")
    assert (one.category, one.severity) == ("security_breach", "high")
    many = decided("Attackers accessed the account data of 3,812 customers through a leaked "
                   "admin password; we have locked it.")
    assert (many.category, many.severity) == ("security_breach", "critical")
    assert any("3,812" in r and "breach at scale" in r for r in many.reasons)
    assert decided("客户账户被盗，黑客登录了他的账户并修改了密码").severity == "high"
    # counts of what was not hit, or of things that are no people or records, are no scale
    for text in ("An attacker took over Dana's account with a leaked password; our 2,000 other "
                 "customers were not affected.",
                 "We saw 1200 login attempts with leaked passwords; one account was taken over.",
                 "Hackers stole 2000 loyalty points from the customer's account.",
                 "Someone hacked into all her accounts and changed the passwords."):
        assert decided(text).severity == "high", text
    assert decided("Хакеры получили доступ к данным 9 400 клиентов через утёкший пароль."
                   ).severity == "critical"


def test_how_much_data_was_lost_is_not_how_long_the_impact_lasted():
    """"The drafts of the last 7 days were deleted" is high, not critical: the days measure the
    data lost. Lost data of every customer is still raised."""
    from composer.understand.reading import understand

    def severity(text: str) -> str:
        return understand(Incident(text=text)).triage.severity

    assert severity("A cleanup job deleted the drafts saved in the last 7 days by the customer; "
                    "they cannot be recovered.") == "high"
    assert severity("Un job di pulizia ha cancellato le bozze degli ultimi 7 giorni del cliente, "
                    "non sono recuperabili.") == "high"
    assert severity("A cleanup job deleted the drafts of all customers; they cannot be "
                    "recovered.") == "critical"


def test_a_payout_made_twice_is_a_wrong_amount_not_a_wrong_account():
    """Paid twice is the wrong amount, however many words stand between "paid" and "twice"."""
    for text in ("Our payout run on 28 March paid 142 sellers twice, about EUR 96,000 in total.",
                 "We sent a duplicate payout to every seller."):
        decided = triage(Incident(text))
        assert decided.category == "wrong_payment" and decided.wrong_amount, text
    assert not triage(Incident("The payout was paid twice to the wrong account.")).wrong_amount
    # "twice" in another clause is not the payment's
    assert not triage(Incident("The payout to the seller was paid late, and he wrote twice."
                               )).wrong_amount


@pytest.mark.parametrize(("text", "charged"), [
    ("The digest went out twice; you have not been charged twice.", "charged twice"),
    ("The reminder went out twice, and nobody has been billed twice.", "billed twice"),
    ("Die Erinnerung ging zweimal raus, es wurde nichts doppelt berechnet.",
     "doppelt berechnet"),
    ("Die Rechnungs-Erinnerung ging heute an alle Kunden doppelt raus, gleicher Inhalt, "
     "niemand wurde doppelt belastet", "doppelt belastet"),
    ("Il documento è lo stesso e non è stato addebitato nulla in più.", "addebitato"),
    ("El correo salió dos veces, pero no se ha cobrado nada dos veces.", "cobrado"),
    ("Письмо ушло дважды, никому не списали дважды.", "списали дважды"),
    ("兑换码在App里不认，没人多付钱。", "多付"),
])
def test_a_text_that_takes_the_charge_back_is_no_billing_error(text, charged):
    """"nobody has been billed twice" names a charge only to say there was none: the billing
    phrase does not decide (the pack's `no_overcharge`), so the model reads the rest."""
    from composer.understand.triage import phrase_rule

    rule = phrase_rule(text)
    assert rule is None or rule.category != "billing_error", rule
    assert charged in text
