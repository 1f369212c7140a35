"""The offline composer: writes the email from the plan with phrasing written per language.

No model and no network. Wording varies with category, stage and tone, and among variants by
a hash of the incident, so the same incident always gets the same email. Unknown facts render
as visible fill-ins. The incident's own words appear when they are short and in the output
language, so the email talks about this incident, not a category.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Callable
from typing import Any

from composer.drafting.plan import Plan, phrasebook
from composer.language.detect import detect_language
from composer.schema import FILL_IN, EmailOut, Paragraph
from composer.understand.injection import instructions_in

MIN_QUOTED_WORDS, MAX_QUOTED_WORDS = 4, 25
# A note that asks something, quotes a draft or talks about writing is for us, not the customer.
_NOT_A_STATEMENT = re.compile(
    r"[?？«»“”„「」『』\"]|(?:^|\s)'|\b(draft|bozza|borrador|write|reply|scriver\w*|rispond\w*|"
    r"escrib\w*|respond\w*|черновик\w*|написать|ответить|пишем|напиши\w*)\b|草稿|回复|能不能|合适吗|怎么写",
    re.IGNORECASE,
)


# Sentences of the incident that say what was and was not affected, lost, exposed or charged:
# the scope an outage or breach email must give, or the reassurance a misdirected one leads with.
_SCOPE_SENTENCE = {
    "en": r"\b(not (been )?(affected|exposed|impacted|lost|touched|charged|accessed|leaked)|"
    r"unaffected|no (card|payment|password|bank)\w* (\w+ ){0,3}(were |was )?(exposed|affected|"
    r"stored|leaked|accessed)|(is|are|were|was) (lost|gone|safe)|won'?t be charged|backups?\b)",
    "it": r"\b(non (sono|è|e'|siamo) (stat\w* )?(coinvolt|toccat|espost|compromess)\w*|"
    r"(sono|è|e') (andat\w* )?(pers[ie]|pers[oa]|al sicuro)|non (verr\w*|sar\w*) addebitat|"
    r"nessun\w* (carta|dato|addebito)|backup)",
    "es": r"\b(no se (vieron|vio|han visto|ha visto) afectad|no (fueron|han sido|se han) "
    r"(afectad|expuest|comprometid)\w*|se (perdieron|perdi[oó])|est[aá]n? a salvo|no se (les |te |"
    r"le )?(va a )?cobrar|no guardamos|ninguna tarjeta|copia de seguridad|backup)",
    "ru": r"(не (были |был |была )?(затронут|пострадал|раскрыт|скомпрометирован)|потерян|утерян|"
    r"в безопасности|не будут? списан|резервн\w* коп|бэкап)",
    "zh": r"(未受影响|没有受到影响|不受影响|没有泄露|未泄露|未被泄露|无法恢复|已丢失|不会(被)?扣款|"
    r"备份|安全无虞)",
}
# An order or reference number the incident names, in any of the five languages.
_ORDER_ID = re.compile(
    r"(?:\border|\bordine|\bpedido|\bзаказ\w*|订单)\s*(?:#|no\.|n\.|nº|№|number|numero|número|"
    r"номер|号)?\s*[:：]?\s*([A-Za-z0-9][A-Za-z0-9-]{1,23})", re.IGNORECASE,
)
MAX_SCOPE_WORDS, MAX_SCOPE_CHARS_ZH = 30, 60


class OfflineBackend:
    """The default backend: deterministic, grounded in the plan, never invents a fact."""

    name = "offline"
    model = "phrasebook"

    def __init__(self, screen: Screen | None = None) -> None:
        self.screen = screen

    def generate(self, request: Any) -> EmailOut:
        return write_offline(request.plan, self.screen)


def _pick(options: str | list[str], seed: str, key: str) -> str:
    if isinstance(options, str):
        return options
    digest = hashlib.sha256(f"{seed}|{key}".encode()).digest()
    return options[digest[0] % len(options)]


def _fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def _has_instructions(text: str) -> bool:
    """Whether the prompt-injection guard finds instructions in `text` (never quote those)."""
    return bool(instructions_in(text))


def _sentences(text: str) -> list[str]:
    """The incident's sentences, whitespace normalised, end punctuation dropped."""
    parts = re.split(r"(?<=[.!?])\s+|(?<=[。！？])", " ".join(text.split()))
    return [p.strip().rstrip(".!。！ ") for p in parts if p.strip().rstrip(".!。！ ")]


def _speaks_to_customer(text: str, plan: Plan) -> str:
    """A support lead's words turned to the customer ("the customer" -> "you")."""
    for phrase, you in (phrasebook(plan.language, plan.prompts).get("you_words") or {}).items():
        if plan.language == "zh":  # no word boundaries in Chinese; the phrases are whole
            text = text.replace(phrase, you)
        else:
            text = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", you, text, flags=re.IGNORECASE)
    return text


def _size(text: str, language: str) -> int:
    return len(text) if language == "zh" else len(text.split())


def _quotable(plan: Plan) -> list[str] | None:
    """The incident's statements, in the output language, with nothing the guard objects to;
    None when none of it may be quoted."""
    text = plan.incident.text
    if _has_instructions(text):
        return None
    detected = detect_language(" ".join(text.split()))
    if detected is not None and detected != plan.language:
        return None
    quotable: list[str] = []
    for sentence in _sentences(text):
        if _NOT_A_STATEMENT.search(sentence):
            break  # a question or a note to us: it and what follows are not for the customer
        quotable.append(sentence)
    return quotable


def _incident_words(plan: Plan) -> str | None:
    """The incident as the support lead wrote it, when short and in the output language: its
    leading statements, as many as fit."""
    sentences = _quotable(plan)
    if not sentences:
        return None
    # What was or was not affected goes to the explanation's scope (`_scope_notes`), not here.
    scope = _scope_pattern(plan.language)
    sentences = sentences[:1] + [s for s in sentences[1:] if not scope.search(s)]
    zh = plan.language == "zh"
    low, high = (6, 60) if zh else (MIN_QUOTED_WORDS, MAX_QUOTED_WORDS)
    chosen: list[str] = []
    for sentence in sentences:
        if _size(("" if zh else " ").join([*chosen, sentence]), plan.language) > high:
            break
        chosen.append(sentence)
    text = ("。" if zh else ". ").join(chosen)
    if not chosen or _size(text, plan.language) < low or _has_instructions(text):
        return None
    return _speaks_to_customer(text, plan)


def _scope_notes(plan: Plan, quoted: str | None) -> list[str]:
    """The incident's own sentences on what was and was not affected, lost or charged, that the
    quoted words do not already carry."""
    pattern = _scope_pattern(plan.language)
    notes = []
    for sentence in _quotable(plan) or []:
        limit = MAX_SCOPE_CHARS_ZH if plan.language == "zh" else MAX_SCOPE_WORDS
        if not pattern.search(sentence) or _size(sentence, plan.language) > limit:
            continue
        note = _speaks_to_customer(sentence, plan)
        if quoted and note in quoted or _has_instructions(note):
            continue
        notes.append(note)
    return notes


def _scope_pattern(language: str) -> re.Pattern[str]:
    return re.compile(_SCOPE_SENTENCE.get(language, r"(?!)"), re.IGNORECASE)


def _order_id(plan: Plan) -> str | None:
    """The order the incident is about: given as a fact, or named in the incident's words."""
    given = plan.extras.get("order")
    if given:
        return given
    for found in _ORDER_ID.finditer(plan.incident.text):
        candidate = found.group(1).strip("-")
        if re.search(r"\d", candidate) and len(candidate) >= 3:
            return candidate
    return None


Screen = Callable[[str, str], bool]
"""Whether a sentence (in a language) is one the checker objects to on its own."""


def write_offline(plan: Plan, screen: Screen | None = None) -> EmailOut:
    """The email the plan describes, from the phrasebook. A sentence that carries a fact the lead
    typed is dropped when `screen` objects to it (a quoted note may hold a bad draft); the
    pipeline passes the checker's screen, so this module renders and never checks."""
    book = phrasebook(plan.language, plan.prompts)
    tone = plan.incident.tone or ("formal" if plan.triage.severity == "critical" else "warm")
    seed = plan.incident.text
    category = plan.triage.category
    values: dict[str, str] = {name: plan.value(name) for name in plan.fill_ins}
    values.update(plan.facts)
    values["topic"] = book["topic"][category]
    values["doing"] = book["doing"][category]

    def say(template: str | list[str], key: str) -> str:
        chosen = _pick(template, seed, key)
        return chosen.format_map({name: values[name] for name in _fields(chosen)})

    paragraphs: list[Paragraph] = []

    joiner = "" if plan.language == "zh" else " "

    def add(step: str, *sentences: str) -> None:
        text = joiner.join(s for s in sentences if s)
        if text:
            paragraphs.append(Paragraph(step=step, text=text))

    def given(name: str, value: str | None, template_key: str) -> str:
        """A sentence that carries a fact the incident gave; empty if the checker objects to it
        or the guard finds instructions in it (a quoted note may hold a bad draft)."""
        if not value or _has_instructions(value):
            return ""
        before = values.get(name)
        values[name] = value
        sentence = say(book[template_key], template_key)
        if screen is None or not screen(sentence, plan.language):
            return sentence
        if before is None:
            del values[name]
        else:
            values[name] = before
        return ""

    quoted = _incident_words(plan)
    incident_line = given("incident", quoted, "incident_line")
    if not incident_line:
        quoted = None
    order = _order_id(plan)
    order_line = "" if order and quoted and order in quoted else given(
        "order", order, "order_line")
    add("regret", say(book["regret"][tone], "regret"), incident_line, order_line)

    loss = plan.incident.loss
    impact = [say(book["impact"][category], "impact")]
    if loss is not None:
        impact.append(say(book["impact"]["money" if loss.is_money else "time"], "impact_loss"))
    add("impact", *impact)

    explanation = [say(book["explanation"], "explanation")]
    notes = _scope_notes(plan, quoted)
    sep = "。" if plan.language == "zh" else "; "
    if category in ("outage", "data_loss", "security_breach") or "scope" in plan.facts:
        if "scope" not in plan.facts and notes:
            explanation.append(given("scope", sep.join(notes), "scope")
                               or say(book["scope"], "scope"))
            notes = []
        else:
            explanation.append(say(book["scope"], "scope"))
    explanation.append(given("not_affected", plan.extras.get("not_affected"), "not_affected"))
    if notes:
        explanation.append(given("note", sep.join(notes), "clarify"))
    add("explanation", *explanation)
    add("responsibility", say(book["responsibility"][tone], "responsibility"))

    remedy = [say(book["remedy"][plan.triage.stage], "remedy")]
    remedy.append(given("tried", plan.extras.get("tried"), "tried"))
    remedy.append(say(book["prevention"], "prevention"))
    if category == "security_breach":
        remedy.append(say(book["security_advice"], "security_advice"))
    for link in ("postmortem", "status_page", "more_info"):
        remedy.append(given(link, plan.extras.get(link), link))
    add("remedy", *remedy)

    comp = plan.compensation
    offer: list[str] = []
    if comp.offers_something:
        offer.append(say(book["compensation"][comp.type], "compensation"))
        if comp.capped:
            offer.append(say(book["capped"], "capped"))
        if comp.delight:
            offer.append(say(book["delight"], "delight"))
    if comp.humour_allowed:
        offer.append(say(book["humour"], "humour"))
    if comp.offers_something:
        offer.append(say(book["door_open"], "door_open"))
    add("compensation", *offer)
    add("closing", say(book["closing"][tone], "closing"))

    # A known customer is greeted by name on any channel; a mailing to many greets everyone.
    named = bool(plan.incident.customer) or plan.incident.channel in (None, "reply")
    greeting = say(book["greeting"]["named" if named else "everyone"][tone], "greeting")
    sign_off = "\n".join([
        say(book["signoff"][tone], "signoff"), values["sender"], values["company"],
    ])
    subject = say(book["subject"][category], "subject")
    email = EmailOut(
        subject=subject, greeting=greeting, paragraphs=paragraphs, sign_off=sign_off,
        fill_ins=[],
    )
    email.fill_ins = fill_ins_in(email.text())
    return email


def fill_ins_in(text: str) -> list[str]:
    """The [[fill-ins]] left in a text, in order of first appearance."""
    return list(dict.fromkeys(FILL_IN.findall(text)))
