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
from typing import Any

from composer.lang import detect_language
from composer.plan import Plan, phrasebook
from composer.schema import EmailOut, Paragraph

MIN_QUOTED_WORDS, MAX_QUOTED_WORDS = 4, 25
_FILL = re.compile(r"\[\[[^\]]+\]\]")
# A note that asks something, quotes a draft or talks about writing is for us, not the customer.
_NOT_A_STATEMENT = re.compile(
    r"[?？«»“”„「」『』\"]|(?:^|\s)'|\b(draft|bozza|borrador|write|reply|scriver\w*|rispond\w*|"
    r"escrib\w*|respond\w*|черновик\w*|написать|ответить|пишем|написали)\b|草稿|回复|能不能|合适吗|怎么写",
    re.IGNORECASE,
)


class OfflineBackend:
    """The default backend: deterministic, grounded in the plan, never invents a fact."""

    name = "offline"
    model = "phrasebook"

    def generate(self, request: Any) -> EmailOut:
        return write_offline(request.plan)


def _pick(options: str | list[str], seed: str, key: str) -> str:
    if isinstance(options, str):
        return options
    digest = hashlib.sha256(f"{seed}|{key}".encode()).digest()
    return options[digest[0] % len(options)]


def _fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def _incident_words(plan: Plan) -> str | None:
    """The incident as the support lead wrote it, when short and in the output language."""
    if _NOT_A_STATEMENT.search(plan.incident.text):
        return None
    text = " ".join(plan.incident.text.split()).rstrip(".!。！ ")
    words = text.split()
    if plan.language == "zh":
        if not 6 <= len(text) <= 60:
            return None
    elif not MIN_QUOTED_WORDS <= len(words) <= MAX_QUOTED_WORDS:
        return None
    detected = detect_language(text)
    if detected is not None and detected != plan.language:
        return None
    for phrase, you in (phrasebook(plan.language, plan.prompts).get("you_words") or {}).items():
        if plan.language == "zh":  # no word boundaries in Chinese; the phrases are whole
            text = text.replace(phrase, you)
        else:
            text = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", you, text, flags=re.IGNORECASE)
    return text


def write_offline(plan: Plan) -> EmailOut:
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

    quoted = _incident_words(plan)
    incident_line = ""
    if quoted:
        values["incident"] = quoted
        incident_line = say(book["incident_line"], "incident_line")
        if _flagged(incident_line, plan.language):
            incident_line = ""
    add("regret", say(book["regret"][tone], "regret"), incident_line)

    loss = plan.incident.loss
    impact = [say(book["impact"][category], "impact")]
    if loss is not None:
        impact.append(say(book["impact"]["money" if loss.is_money else "time"], "impact_loss"))
    add("impact", *impact)

    explanation = [say(book["explanation"], "explanation")]
    if category in ("outage", "data_loss", "security_breach"):
        explanation.append(say(book["scope"], "scope"))
    add("explanation", *explanation)
    add("responsibility", say(book["responsibility"][tone], "responsibility"))

    remedy = [say(book["remedy"][plan.triage.stage], "remedy")]
    remedy.append(say(book["prevention"], "prevention"))
    if category == "security_breach":
        remedy.append(say(book["security_advice"], "security_advice"))
    add("remedy", *remedy)

    comp = plan.compensation
    offer: list[str] = []
    if comp.offers_something:
        offer.append(say(book["compensation"][comp.type], "compensation"))
        if comp.delight:
            offer.append(say(book["delight"], "delight"))
    if comp.humour_allowed:
        offer.append(say(book["humour"], "humour"))
    if comp.offers_something:
        offer.append(say(book["door_open"], "door_open"))
    add("compensation", *offer)
    add("closing", say(book["closing"][tone], "closing"))

    named = plan.incident.channel in (None, "reply")
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


def _flagged(sentence: str, language: str) -> bool:
    """Whether the checker objects to a sentence on its own (a quoted note may hold a bad draft)."""
    from composer.checking import check

    report = check(sentence, language=language, embeddings=False)
    return bool(report.anti_patterns or report.compensation)


def fill_ins_in(text: str) -> list[str]:
    """The [[fill-ins]] left in a text, in order of first appearance."""
    return list(dict.fromkeys(_FILL.findall(text)))
