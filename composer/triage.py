"""Triage: what kind of incident this is, how bad, how far along, and whether to apologize at all.

Rules decide first (phrases per language, then the facts a support lead gave); when no phrase
matches, the categories of the retrieved cards vote, weighted by similarity, so an incident worded
in a way no rule foresaw still lands somewhere sensible. Everything here is offline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from functools import cache

from composer.incident import SEVERITIES, Incident
from composer.lang import SUPPORTED, detect_language

CATEGORIES: tuple[str, ...] = (
    "wrong_payment", "billing_error", "outage", "data_loss", "security_breach",
    "wrong_recipient", "wrong_content", "product_bug", "delivery_problem", "poor_service",
    "typo", "duplicate_send", "promo_code",
)
TRIVIAL_CATEGORIES = ("typo", "duplicate_send", "promo_code")
STAGES: tuple[str, ...] = ("investigating", "resolved", "proactive")

# Phrases per category, all five languages in each list; `_ORDER` says which is tried first.
_PATTERNS: dict[str, list[str]] = {
    "security_breach": [
        r"\b(breach|hack(ed|er)?|unauthori[sz]ed|leak(ed)?|compromised|phishing|stolen password)",
        r"\b(violazione|accesso non autorizzato|attacco informatico|hacker|dati rubati)",
        r"\b(brecha|acceso no autorizado|hackead|filtraci[oó]n|ataque inform[aá]tico)",
        r"(взлом|утечк|несанкционированн|хакер|скомпрометирован)",
        r"(泄露|被黑|入侵|未经授权|黑客|盗号)",
    ],
    "data_loss": [
        r"\b(data loss|(lost|deleted|erased|wiped) ([\w']+ ){0,3}(data|files|records|work|"
        r"photos|documents|backups))",
        r"\b((files|photos|data|records|documents|backups) (\w+ ){0,3}(are|were|is|was|got) "
        r"(lost|gone|deleted|erased|wiped))",
        r"\b(dati (persi|cancellati)|perso i (dati|file)|perdita (di )?dati"
        r"|(cancellat\w*|eliminat\w*|perso|pers[ie]) ([\w']+ ){0,3}(dati|file|foto|documenti|"
        r"album|archivi)\b|(dati|file|foto|documenti|album) ([\w']+ ){0,3}(sono|è|e') "
        r"(andat\w* )?(pers[ie]|cancellat\w*|eliminat\w*))",
        r"\b(p[eé]rdida de datos|datos (perdidos|borrados)|perdimos (los )?(datos|archivos)"
        r"|(borr|elimin|perd)\w* (\w+ ){0,3}(datos|archivos|fotos|documentos|registros)\b"
        r"|(datos|archivos|fotos|documentos|registros) (\w+ ){0,3}(se )?(perdieron|borraron|"
        r"perdidos|borrados|eliminados))",
        r"(потер\w* данн|данные (удален|потерян)|удалил\w* (данные|файлы)"
        r"|(удалил|потерял|стёрл|стерл|удален|потерян)\w* (\w+ ){0,3}(данн|файл|фото|документ)"
        r"|(данн|файл|фото|документ)\w* (\w+ ){0,3}(удален|потерян|утерян|стёрт|стерт))",
        r"(数据丢失|丢失了?[^，。；！？,.;]{0,12}数据|数据被删除|删除了?[^，。；！？,.;]{0,12}"
        r"(数据|文件|记录|照片)|(文件|照片|记录)丢失|(数据|文件|照片|记录)[^，。；！？,.;]{0,6}"
        r"(丢了|被删|无法恢复))",
    ],
    "wrong_payment": [
        r"\b(wrong|incorrect) (bank )?(account|iban|recipient account)",
        r"\b(transfer|payout|withdrawal|refund|payment)s? (went|sent|paid) to (the )?wrong",
        r"\b(conto|iban) sbagliat|\b(bonifico|pagamento|rimborso)\b.{0,30}\bsbagliat",
        r"\bcuenta (bancaria )?(equivocada|incorrecta|err[oó]nea)"
        r"|\b(transferencia|pago|reembolso)\b.{0,30}\b(equivocad|incorrect)",
        r"(не на тот счёт|не на тот счет|неверный счёт|неверный счет|ошибочн\w* (перевод|счёт|счет)"
        r"|(перевод|платёж|платеж|выплат)\w*.{0,20}не (туда|тому))",
        r"(转错|打错账户|错误的?(银行)?账户|汇错)",
    ],
    "billing_error": [
        r"\b(charged (\w+ ){0,3}(twice|double|two times)|double[- ]charged?|overcharg|"
        r"wrong (amount|price) (charged|billed)|billing (error|mistake)|"
        r"invoice (error|mistake)|wrong invoice)",
        r"\b(addebitat\w* (due volte|doppio)|doppio addebito|addebito (errato|sbagliato)"
        r"|fattura (errata|sbagliata))",
        r"\b(cobr(ad|amos|aron|é)\w*.{0,30}(dos veces|doble)|doble cobro|"
        r"cobro (err[oó]neo|indebido|duplicado)"
        r"|factura (err[oó]nea|equivocada))",
        r"(списал\w*.{0,30}дважды|дважды списал|двойн\w* списан|лишн\w* списан|"
        r"ошибк\w* в сч[её]те|неверн\w* сч[её]т)",
        r"(重复扣款|扣了两次|多扣|账单错误|收费错误)",
    ],
    "outage": [
        r"\b(outage|down(time)?\b|offline|unavailable|not loading|went dark|crash(ed)?\b"
        r"|(site|service|app|api|server)s? (was |were |is )?down)",
        r"\b(offline|disservizio|non (era )?raggiungibile|irraggiungibile|fuori servizio"
        r"|(sito|servizio|app)\b.{0,20}\b(gi[uù]|bloccat|non funziona))",
        r"\b(ca[ií]da|fuera de servicio|sin servicio|no disponible|inaccesible"
        r"|(sitio|servicio|web)\b.{0,20}\bca[ií]d)",
        r"(сбой|недоступ|не работал|лежал|упал\b|простой|отключ)",
        r"(宕机|故障|服务中断|无法访问|不可用|掉线|停机)",
    ],
    "wrong_recipient": [
        r"\b(wrong (person|recipient|customer|address|contact)|sent (it )?to the wrong|"
        r"to (old|former) (contacts|customers)|wrong (list|segment))",
        r"\b(destinatario sbagliato|inviat\w* (a|al) (persone|cliente|destinatari) sbagliat"
        r"|lista sbagliata|a un'altra persona|di un'altra persona"
        r"|a (vecchi|ex|ormai ex) (contatti|clienti|iscritti|abbonati))",
        r"\b(destinatario equivocado|enviad\w* a(l)? (la )?(persona|cliente|lista) equivocad"
        r"|a otra persona|de otra persona"
        r"|a (antiguos|viejos|ex) (contactos|clientes|suscriptores|socios|miembros))",
        r"(не тому (адресату|клиенту|получателю)|не тем (адресатам|клиентам|получателям)"
        r"|не по тому адресу|(бывшим|старым) (клиентам|контактам|подписчикам|участникам))",
        r"(发错(了)?(人|对象|收件人)|错发给|发(给|送给|到)了?[^，。；]{0,6}(老|以前的|过去的|前)"
        r"(客户|联系人|用户|会员|订阅者))",
    ],
    "wrong_content": [
        r"\b(wrong ([\w-]+ )?(date|dates|price|prices|offer|link|name|information|info|discount)|"
        r"incorrect (date|price|offer|link|information)|back in stock|draft (was )?sent|"
        r"sent (the |a )?draft)",
        r"\b((data|prezzo|offerta|link|nome) (errat|sbagliat)|bozza inviata)",
        r"\b((fecha|precio|oferta|enlace|nombre) (err[oó]ne|equivocad|incorrect)|borrador enviado)",
        r"((неправильн|неверн|ошибочн)\w* (дат|цен|ссылк|им|предложени)|отправил\w* черновик)",
        r"((日期|价格|链接|优惠|名字)(写)?错|发了草稿)",
    ],
    "delivery_problem": [
        r"\b(deliver(y|ed)|shipping|shipment|parcel|package|courier|order)\b.{0,40}\b(late|"
        r"delay|lost|missing|never arrived|wrong|damaged|broken)",
        r"\b(late|delayed|lost|missing|damaged) (delivery|shipment|parcel|package|order)",
        r"\b(consegna|spedizione|pacco|ordine)\b.{0,60}\b(ritard|pers|smarrit|mai arrivat|"
        r"sbagliat|danneggiat|rott)",
        r"\b(entrega|env[ií]o|paquete|pedido)\b.{0,60}\b(retras|perdid|nunca lleg|equivocad|"
        r"dañad|rot)",
        r"((доставк|посылк|заказ)\w*.{0,30}(задерж|опозд|потерял|не пришл|не доставл|повреж"
        r"|не тот))|(потерял\w*|повредил\w*|задержал\w*).{0,20}(заказ|посылк)|курьер",
        r"((快递|包裹|订单|配送|发货)\S{0,10}(延误|延迟|丢失|弄丢|丢了|没到|未送达|发错|送错|损坏))",
    ],
    "product_bug": [
        r"\b(bug|glitch|broken feature|crash(es)?|error message|doesn'?t work|stopped working|"
        r"not working|broken|defective|faulty|cracked|shattered|smashed|dented|freez(es|ing)|"
        r"(can'?t|cannot|can not|unable to|could ?n[o']t) (export|import|log ?in|sign ?in|save|"
        r"upload|download|open|sync|print|pay|check ?out|submit|edit)\b)",
        r"\b(bug|difett|non funziona|smesso di funzionare|rott|errore nell'app|si blocca|"
        r"va in crash|crasha|incrinat|scheggiat|non (riesce|riescono|può|possono) (più )?(a )?"
        r"(esportare|accedere|salvare|caricare|scaricare|aprire|pagare|sincronizzare))",
        r"\b(bug|fallo|error en la app|no funciona|dej[oó] de funcionar|defectuos|se cuelga|"
        r"se cierra sola|se bloquea|agrietad|rajad|no (puede|pueden|pod[ií]a|consigue|logra) "
        r"(\w+ )?(iniciar sesi[oó]n|entrar|exportar|guardar|subir|descargar|abrir|acceder|pagar|"
        r"sincronizar))",
        r"(баг|ошибк\w* в (приложени|программ)|не работает|перестал\w* работать|сломал|брак"
        r"|вылета\w*|зависа\w*|глючит|тресну\w*|не (может|могут|получается) (\w+ )?(войти|"
        r"выгрузить|экспортировать|сохранить|загрузить|оплатить|открыть))",
        r"(bug|漏洞|闪退|崩溃|不能用|无法使用|出错|坏了|没法用|用不了|打不开|裂了|碎了"
        r"|无法(登录|导出|保存|上传|下载|打开|支付))",
    ],
    "poor_service": [
        r"\b(rude|unhelpful|ignored|no (reply|response|answer)|waited (days|weeks|hours)|"
        r"slow (support|reply|response)|poor (service|support)|unheard|"
        r"(weren'?t|were not|not) listening)",
        r"\b(scortes|maleducat|nessuna risposta|senza risposta|"
        r"non (ha )?ricev\w* (una )?risposta|ignorat|attesa (di )?(giorni|settimane)|"
        r"servizio (scadente|pessimo)|inascoltat|non (li |ci )?(abbiamo )?ascoltat)",
        r"\b(grosero|maleducad|sin respuesta|no recib\w* (ninguna )?respuesta|ignorad|"
        r"esper[oó] (d[ií]as|semanas)|mal servicio|"
        r"mala atenci[oó]n|no (los |les |nos )?(hemos )?escuch\w*)",
        r"(грубо|хамств|не ответил|без ответа|игнорир|ждал\w* (дни|недел)|плох\w* обслуживан"
        r"|не слыша\w*|не слушал\w*)",
        r"(态度差|不理|没人回复|没有回复|等了(几|好几)?(天|周)|服务差|没在听|不听)",
    ],
    "duplicate_send": [
        r"\b(duplicate|double)[- ]?(send|sent|email|mail|newsletter|message)",
        r"\b(sent|send|went out|delivered|mailed|arrived|received)\b.{0,30}"
        r"\b(twice|two times|2 times)\b",
        r"\b(inviat\w*|invi\w*|spedit\w*|partit\w*|arrivat\w*|mandat\w*)\b.{0,30}\bdue volte\b"
        r"|\bdoppio invio\b",
        r"\b(envi\w*|mand\w*|lleg\w*|recib\w*)\b.{0,30}\bdos veces\b|\benv[ií]o duplicado\b",
        r"(отправил\w*|отправлен\w*|разослал\w*|разослан\w*|пришл\w*|ушл\w*)\b.{0,30}"
        r"(дважды|два раза)|дубл\w* (рассылк|письм)|повторн\w* (рассылк|отправк)",
        r"(发了两次|重复发送|发送了两次|重复发了|发(送)?了?两遍|收到了?两(封|次))",
    ],
    "typo": [
        r"\b(typo|misspel|spelling (mistake|error)|grammar (mistake|error))",
        r"\b(refuso|errore di battitura|errore (di )?ortografi)",
        r"\b(errata|error (tipogr[aá]fico|de tipeo|ortogr[aá]fico))",
        r"(опечатк|орфографическ\w* ошибк)",
        r"(错别字|拼写错误|笔误|打错字)",
    ],
    "promo_code": [
        r"\b(promo|discount|coupon|voucher) code\b",
        r"\bcodice (promo|promozionale|sconto|coupon)\b",
        r"\bc[oó]digo (promocional|de descuento|de cup[oó]n)\b",
        r"(промокод|купон)",
        r"(优惠码|折扣码|优惠券|兑换码)",
    ],
}

_BASE_SEVERITY: dict[str, str] = {
    "wrong_payment": "high", "billing_error": "medium", "outage": "medium", "data_loss": "high",
    "security_breach": "critical", "wrong_recipient": "medium", "wrong_content": "low",
    "product_bug": "medium", "delivery_problem": "medium", "poor_service": "low",
    "typo": "trivial", "duplicate_send": "trivial", "promo_code": "trivial",
}

# Hours or days of outage, or "all customers", make an incident high (rule.severity-levels).
_LONG_OR_WIDE = [
    r"\b(hours|days|all (customers|users)|everyone|production|whole (day|site))\b",
    r"\b(ore|giorni|tutti i clienti|intera giornata)\b",
    r"\b(horas|d[ií]as|todos los clientes)\b",
    r"(час|дн(я|ей)|сутки|все клиенты|всех клиентов)",
    r"(小时|整天|几天|所有(客户|用户))",
]
_SYSTEMIC = [
    r"\b(again|every time|keeps? happening|repeatedly|once more|third time|second time)\b",
    r"\b(di nuovo|ancora una volta|ogni volta|seconda volta|terza volta)\b",
    r"\b(otra vez|de nuevo|cada vez|segunda vez|tercera vez)\b",
    r"(снова|опять|каждый раз|второй раз|третий раз|в очередной раз)",
    r"(又|再次|每次|第二次|第三次)",
]
_INVESTIGATING = [
    r"\b(still|investigating|looking into|ongoing|not (yet )?(fixed|resolved)|no fix yet|"
    r"unknown cause|right now|is down|are down)\b",
    r"\b(ancora|stiamo (verificando|indagando)|in corso|non ancora risolt)",
    r"\b(todav[ií]a|a[uú]n|investigando|en curso|sin resolver)",
    r"(вс[её] ещ[её]|до сих пор|выясняем|разбираемся|продолжается)",
    r"(仍|还在|正在(调查|处理|排查)|尚未(修复|解决))",
]
_RESOLVED = [
    r"\b(fixed|resolved|restored|back (up|online)|was down for|were down for|recovered|"
    r"corrected|refunded)\b",
    r"\b(risolt|ripristinat|sistemat|(è|e') (rimasto|stato) (offline|gi[uù]) per|per \w+ ore)",
    r"\b(resuelt|restablecid|solucionad|corregid|estuvo (ca[ií]d|fuera))",
    r"(исправ|восстановл|устранен|не работал\w* (\d+|два|три|несколько))",
    r"(已(修复|恢复|解决)|恢复了|修好了|(宕机|中断|故障|停机)了?[^，。]{0,4}小时)",
]

# Data a stranger must never see: an email with it sent to the wrong person is a privacy breach,
# not a misdirected newsletter (rule.severity-levels: "security" is high or critical).
_SENSITIVE = [
    r"\b(medical|health|diagnos\w*|lab results?|test results?|prescription|bank (details|"
    r"statement)|passport|salary|payslip|pay slip|tax return|social security|password|"
    r"id card|identity card)",
    r"\b(medic\w*|sanitari\w*|referto|referti|analisi del sangue|diagnosi|ricetta|"
    r"estratto conto|dati bancari|passaporto|stipendio|busta paga|password|carta d'identit)",
    r"\b(m[eé]dic\w*|salud|diagn[oó]stico|an[aá]lisis cl[ií]nic|receta|extracto bancario|"
    r"datos bancarios|pasaporte|n[oó]mina|salario|contraseña|dni)",
    r"(медицинск|анализ\w* (крови|мочи)|диагноз|рецепт|выписк|банковск\w* (данн|реквизит)|"
    r"паспорт|зарплат|пароль|справк)",
    r"(体检|病历|诊断|化验|医疗|检查报告|处方|身份证|护照|工资|银行卡|银行账户|密码|流水)",
]
# A typo that changes a price (an amount, a currency figure) is a factual error: people may buy
# or pay on it, so it needs a correction with an apology, not a quiet fix (the exception in
# rule.when-not-to-apologize). A wrong date stays a correction line in the next mailing unless
# the user raises the severity (the advice says how).
_FACT_CHANGED = [
    r"(\b(price[sd]?|pricing|amount|cost|fee)\b|\d+\s?(eur|usd|gbp|€|\$|£)|[€$£]\s?\d)",
    r"(\b(prezz\w*|importo|costo|tariff\w*)\b|\d+\s?(eur|euro|€))",
    r"(\b(precio\w*|importe|coste|costo|tarifa)\b|\d+\s?(eur|euros?|€))",
    r"(цен\w*|сумм\w*|стоимост|тариф|\d+\s?(руб|₽|eur|€))",
    r"(价格|金额|价钱|费用|\d+\s?(元|欧|美元))",
]

ADVICE_CARD = "rule.when-not-to-apologize"


@dataclass
class Triage:
    """The decisions that shape the email: each field says what, `reasons` say why."""

    category: str
    severity: str
    stage: str
    should_apologize: bool
    language: str
    advice: str | None = None
    reasons: list[str] = field(default_factory=list)
    cards: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


_SIGNALS: dict[str, list[str]] = {
    "wide": _LONG_OR_WIDE, "sensitive": _SENSITIVE, "fact_changed": _FACT_CHANGED,
    "systemic": _SYSTEMIC, "investigating": _INVESTIGATING,
    "resolved": _RESOLVED, **_PATTERNS,
}


@cache
def _compiled(name: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in _SIGNALS[name])


def _matches(name: str, text: str) -> str | None:
    """The first phrase of the named table found in `text`, or None."""
    for pattern in _compiled(name):
        found = pattern.search(text)
        if found:
            return found.group(0)
    return None


# Specific before generic: a promo code that "did not work" is not an outage.
_ORDER = (
    "security_breach", "data_loss", "wrong_payment", "billing_error", "promo_code",
    "duplicate_send", "outage", "wrong_recipient", "wrong_content", "delivery_problem",
    "product_bug", "poor_service", "typo",
)


def classify(text: str, hits: Sequence = ()) -> tuple[str, str]:
    """The category and why: the first rule that matches, else a vote of the retrieved cards."""
    for category in _ORDER:
        found = _matches(category, text)
        if found:
            return category, f"category {category}: the incident says {found.strip()!r}"
    votes: dict[str, float] = {}
    for hit in hits:
        for category in hit.card.categories:
            if category in CATEGORIES:
                votes[category] = votes.get(category, 0.0) + max(hit.score, 0.0)
    if votes:
        best = max(votes, key=lambda c: votes[c])
        ids = ", ".join(h.card.id for h in hits if best in h.card.categories)
        return best, f"category {best}: no rule matched; the closest cards vote for it ({ids})"
    return "product_bug", "category product_bug: no rule matched and no card voted; the default"


def is_systemic(incident: Incident) -> bool:
    return incident.prior_failures > 0 or _matches("systemic", incident.text) is not None


def _bump(severity: str, levels: int = 1) -> str:
    return SEVERITIES[min(SEVERITIES.index(severity) + levels, len(SEVERITIES) - 1)]


def grade(incident: Incident, category: str) -> tuple[str, list[str]]:
    """Severity from the category, raised by long or wide impact, big losses and repeats."""
    if incident.severity:
        return incident.severity, [f"severity {incident.severity}: set by the user"]
    severity = _BASE_SEVERITY[category]
    reasons = [f"severity starts at {severity} for {category} (rule.severity-levels)"]
    if severity == "trivial":
        return severity, reasons
    wide = _matches("wide", incident.text)
    if wide and category in ("outage", "product_bug", "delivery_problem", "data_loss"):
        raised = _bump(severity)
        if raised != severity:
            reasons.append(f"raised to {raised}: {wide.strip()!r} means long or wide impact")
            severity = raised
    loss = incident.loss
    if loss is not None:
        floor = "medium"
        if loss.is_money and loss.amount >= Decimal(1000):
            floor = "high"
        long_wait = loss.unit == "days" or (loss.unit == "hours" and loss.amount >= 4)
        if not loss.is_money and long_wait:
            floor = "high"
        if SEVERITIES.index(severity) < SEVERITIES.index(floor):
            reasons.append(f"raised to {floor}: the customer lost {loss}")
            severity = floor
    sensitive = _matches("sensitive", incident.text)
    if sensitive and category == "wrong_recipient" and SEVERITIES.index(severity) < 3:
        reasons.append(
            f"raised to high: {sensitive.strip()!r} is sensitive data that reached a stranger, "
            "a privacy breach (rule.severity-levels)"
        )
        severity = "high"
    if incident.prior_failures > 0:
        raised = _bump(severity)
        reasons.append(
            f"raised to {raised}: {incident.prior_failures} earlier failure(s) for this customer "
            "(a repeat moves an incident up one level, rule.severity-levels)"
        )
        severity = raised
    return severity, reasons


def stage_of(incident: Incident) -> tuple[str, str]:
    if incident.channel in ("proactive", "newsletter"):
        return "proactive", f"stage proactive: the channel is {incident.channel}"
    if incident.fix_status == "fixed":
        return "resolved", "stage resolved: fix status is fixed"
    if incident.fix_status == "investigating":
        return "investigating", "stage investigating: fix status is investigating"
    if _matches("investigating", incident.text):
        return "investigating", "stage investigating: the incident says it is still open"
    if _matches("resolved", incident.text):
        return "resolved", "stage resolved: the incident says it is over"
    return "investigating", (
        "stage investigating: nothing says it is fixed, so the draft promises an update rather "
        "than claiming a fix (say --fact fix_status=fixed if it is)"
    )


def output_language(incident: Incident, override: str | None = None) -> tuple[str, str]:
    if override:
        return override, f"language {override}: set by the user"
    if incident.language:
        return incident.language, f"language {incident.language}: set on the incident"
    detected = detect_language(incident.text)
    if detected in SUPPORTED:
        return detected, f"language {detected}: detected from the incident text"
    return "en", f"language en: the incident's language ({detected or 'unknown'}) is not supported"


def triage(incident: Incident, hits: Sequence = (), language: str | None = None) -> Triage:
    """Decide category, severity, stage, language and whether a standalone apology is due."""
    category, why_category = classify(incident.text, hits)
    changed = _matches("fact_changed", incident.text) if category == "typo" else None
    if changed and not incident.severity:
        category = "wrong_content"
        why_category += (
            f"; but {changed.strip()!r} says the typo changed a price, so it is wrong content "
            f"that needs a correction ({ADVICE_CARD}, its exception)"
        )
    severity, why_severity = grade(incident, category)
    stage, why_stage = stage_of(incident)
    lang, why_lang = output_language(incident, language)
    reasons = [why_category, *why_severity, why_stage, why_lang]
    cards = ["rule.severity-levels"]
    should = severity != "trivial"
    advice = None
    if not should:
        advice = NO_APOLOGY_ADVICE.get(category, NO_APOLOGY_ADVICE["default"])
        reasons.append(f"no standalone apology: a trivial error ({ADVICE_CARD})")
        cards.append(ADVICE_CARD)
    elif category in TRIVIAL_CATEGORIES:
        reasons.append(
            f"apology due although {category} is usually trivial: severity is {severity}"
        )
        cards.append("rule.when-to-apologize")
    return Triage(category, severity, stage, should, lang, advice, reasons, cards)


NO_APOLOGY_ADVICE: dict[str, str] = {
    "duplicate_send": (
        "No standalone apology: a third email about a duplicate makes things worse. If you want "
        "to acknowledge it, add one line to the next regular mailing."
    ),
    "typo": (
        "No standalone apology: fix the typo where you can (web version, landing page) and "
        "proofread the next one. If the typo changed a fact (a date, an offer), it is a "
        "factual error: rerun with --severity low to write a correction (a changed price is "
        "treated as one already)."
    ),
    "promo_code": (
        "No standalone apology: make the mistyped code valid (or replace it), and answer "
        "individually anyone who writes in about it."
    ),
    "default": (
        "No standalone apology: fix it quietly, or add a line to the next regular mailing."
    ),
}
