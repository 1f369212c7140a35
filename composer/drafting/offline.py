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
from functools import cache
from typing import Any

from composer.drafting.plan import (
    MAX_NOTE_CHARS,
    Plan,
    Stated,
    phrasebook,
    pronouns_to_customer,
    reported_clause,
    spaced,
    to_the_customer,
)
from composer.language.detect import LANGUAGES, SUPPORTED
from composer.schema import FILL_IN, EmailOut, Paragraph
from composer.understand.cues import about_the_customer
from composer.understand.injection import instructions_in

# How much of the incident may be quoted, and how long a scope note may be: in words, or in
# characters for a language written without spaces between words.
# Shorter than this, the note's first statement is a title, not a statement to quote.
MIN_QUOTED_WORDS, MIN_QUOTED_CHARS = 4, 6
# A note that asks something, quotes a draft or talks about writing is for us, not the customer:
# a question mark or a quote in any script, or a phrasebook's `reading.note_words`.
_QUESTION_OR_QUOTE = r"[?？«»“”„「」『』\"]|(?:^|\s)'"


def _reading(language: str) -> dict[str, Any]:
    """The `reading` tables of a language's own phrasebook (never a prompts variant's)."""
    return phrasebook(language).get("reading") or {}


@cache
def _not_a_statement(langs: tuple[str, ...] = SUPPORTED) -> re.Pattern[str]:
    """Every language's note words (whole words where words are spaced), in one pattern."""
    whole = [w for lang in langs if spaced(lang) for w in _reading(lang).get("note_words", ())]
    unspaced = [w for lang in langs if not spaced(lang)
                for w in _reading(lang).get("note_words", ())]
    words = ([rf"\b({'|'.join(whole)})\b"] if whole else []) + unspaced
    return re.compile("|".join([_QUESTION_OR_QUOTE, *words]), re.IGNORECASE)


@cache
def _spoken_line(langs: tuple[str, ...] = SUPPORTED) -> re.Pattern[str]:
    """A transcript's speaker label in any language ("Customer: ...", "客服：..."): what follows
    is someone's own words, not a statement to quote."""
    speakers = [w for lang in langs for w in _reading(lang).get("speaker_words", ())]
    # at the start, or after one label of its own ("Chat log: cust: ...")
    return re.compile(rf"^(?:[^:：]{{0,20}}[:：]\s*)?(?:{'|'.join(speakers) or '(?!)'})\s*[:：]",
                      re.IGNORECASE)


@cache
def _order_pattern(langs: tuple[str, ...] = SUPPORTED) -> re.Pattern[str]:
    """An order or reference number the incident names, in any of the languages."""
    tables = [_reading(lang) for lang in langs]

    def words(name: str) -> list[str]:
        return [w for table in tables for w in table.get(name, ())]

    orders = "|".join(words("order_words")) or "(?!)"
    numbers = "|".join(["#", *words("number_abbreviations"), *words("number_words")])
    return re.compile(rf"(?:{orders})\s*(?:{numbers})?\s*[:：]?\s*"
                      r"(?P<id>[A-Za-z0-9][A-Za-z0-9-]{1,23})", re.IGNORECASE)


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


def _quotable(plan: Plan) -> list[str] | None:
    """The incident's statements, in the output language, with nothing the guard objects to;
    None when none of it may be quoted."""
    reading = plan.reading
    if reading.instructions:
        return None
    if reading.written_in is not None and reading.written_in != plan.language:
        return None
    quotable: list[str] = []
    for sentence in _sentences(reading.text):
        if _not_a_statement().search(sentence) or _spoken_line().search(sentence):
            break  # a question, a note to us or a transcript: not for the customer
        quotable.append(sentence)
    return quotable


def _incident_words(plan: Plan, tone: str) -> str | None:
    """The incident's first statement, turned to the customer ("we charged you twice for the
    annual plan"), when it is short and says what we did: a longer note is the lead's, and its
    facts are told instead. None when it still talks about the customer ("Francesca segnala
    che ...")."""
    sentences = _quotable(plan)
    if not sentences:
        return None
    # "The customer says we sent his parcel ...": what is reported, turned to the customer below
    reported = reported_clause(sentences[0], plan.language, plan.prompts)
    text = reported if reported is not None else sentences[0]
    words = spaced(plan.language)
    short = len(text) < MAX_NOTE_CHARS and len(text.split() if words else text) >= (
        MIN_QUOTED_WORDS if words else MIN_QUOTED_CHARS)
    if not short or _has_instructions(text):
        return None
    ours = _ours(plan.language)
    if ours is not None and not ours.search(text):
        return None  # not a statement of what we did ("the parcel is late"): its facts are told
    if reported is not None and not re.match(_reading(plan.language).get("we_first") or "(?!)",
                                             text):
        return None  # "заплатила дважды": the customer's own verb, which cannot be turned
    turned = to_the_customer(text, plan.language, tone, plan.prompts)
    if turned is not None:
        pronouns = pronouns_to_customer(turned, plan.language, tone, plan.prompts)
        # Pronouns are the customer's only in a report of what they said; elsewhere "his" may
        # be anyone's, so a sentence with one is not quoted at all.
        turned = pronouns if reported is not None or pronouns == turned else None
    if turned is None or about_the_customer(turned, plan.language) is not None:
        return None
    return _customer_named(turned, plan)


# What each kind of stated fact tells: its label in the phrasebook's `fact_labels` ("when: March
# 3, 10:42; how long: 2 weeks"), so the line reads as a record, not a run of fragments. Ids and
# ETAs carry their own words ("order 55812", "by Friday").
FACT_GROUPS = {"date": "when", "time": "when", "duration": "how_long", "count": "how_many",
               "product": "product", "money": "amount"}


def _labelled(items: list[Stated], book: dict[str, Any]) -> str:
    """The facts grouped by what they tell, each group after its label, in first-seen order."""
    labels, forms = book.get("fact_labels") or {}, book.get("fact_line_forms") or {}
    groups: dict[str, list[str]] = {}
    for item in items:
        group = FACT_GROUPS.get(item.kind, "")
        key = group if group in labels else f"-{item.told}"
        groups.setdefault(key, []).append(item.told)
    parts = [forms.get("labelled", "{label}: {values}").format(
                 label=labels[key], values=forms.get("values_sep", ", ").join(values))
             if key in labels else values[0] for key, values in groups.items()]
    return forms.get("groups_sep", "; ").join(parts)


def _customer_named(text: str, plan: Plan) -> str | None:
    """`text` with the customer's name turned to them (the phrasebook's `customer_named`: "把孙小姐
    的体检报告" -> "把您的体检报告"); None when the name is still there ("le cobramos ... a
    Marta", "Dana Whitfield was charged", whose verb would have to change)."""
    turns = phrasebook(plan.language, plan.prompts).get("customer_named") or ()
    edge = (r"(?<!\w)", r"(?!\w)") if spaced(plan.language) else ("", "")
    for name in sorted({f.text for f in plan.reading.facts_of("customer_name")}, key=len,
                       reverse=True):
        for pattern, replacement in turns:
            found = re.escape(pattern.format(name=name))
            text = re.sub(f"{edge[0]}{found}{edge[1]}", lambda _, to=replacement: to, text)
        if name in text:
            return None
    return text


@cache
def _ours(language: str) -> re.Pattern[str] | None:
    """The phrasebook's `reading.we_words`: a sentence that says what we did. None where the
    language drops its subjects (Chinese: "把报告发错人了" is ours with no "we" in it)."""
    words = "|".join(_reading(language).get("we_words") or ())
    if not words:
        return None
    return re.compile(rf"\b(?:{words})\b" if spaced(language) else words, re.IGNORECASE)


def _scope_notes(plan: Plan, quoted: str | None, tone: str) -> list[str]:
    """The incident's own short sentences on what was and was not affected, lost or charged
    ("Nobody has been charged yet"), turned to the customer. Only short ones: the email never
    pastes the lead's note, and a longer sentence is the note, not a reassurance."""
    pattern = _scope_pattern(plan.language)
    notes = []
    for sentence in _quotable(plan) or []:
        if not pattern.search(sentence) or len(sentence) >= MAX_NOTE_CHARS:
            continue
        note = to_the_customer(sentence, plan.language, tone, plan.prompts)
        if (note is None or quoted and note in quoted or _has_instructions(note)
                or about_the_customer(note, plan.language) is not None):
            continue  # "用户说 ...": still the lead's report about the customer
        notes.append(note)
    return notes


@cache
def _scope_pattern(language: str) -> re.Pattern[str]:
    """The phrasebook's `reading.scope`: what was and was not affected, lost or charged."""
    pieces = _reading(language).get("scope")
    return re.compile("".join(pieces) if pieces else r"(?!)", re.IGNORECASE)


def _order_id(plan: Plan) -> str | None:
    """The order the incident is about: given as a fact, or named in the incident's words."""
    given = plan.extras.get("order")
    if given:
        return given
    for found in _order_pattern().finditer(plan.reading.text):
        candidate = found.group("id").strip("-")
        if re.search(r"\d", candidate) and len(candidate) >= 3:
            return candidate
    return None


Screen = Callable[[str, str], bool]
"""Whether a sentence (in a language) is one the checker objects to on its own."""


def write_offline(plan: Plan, screen: Screen | None = None) -> EmailOut:
    """The email the plan describes, from the phrasebook. A sentence that carries a fact the lead
    typed is dropped when `screen` objects to it (a quoted note may hold a bad draft); the
    pipeline passes the checker's screen, so this module renders and never checks."""
    writer = _Writer(plan, screen)
    quoted = writer.regret()
    writer.impact()
    writer.explanation(quoted)
    writer.remedy()
    writer.offer()
    return writer.email()


class _Writer:
    """One email being rendered: the phrasebook, the values its templates may use, and the
    paragraphs written so far, one method per part of the email."""

    def __init__(self, plan: Plan, screen: Screen | None) -> None:
        self.plan, self.screen = plan, screen
        self.book = book = phrasebook(plan.language, plan.prompts)
        self.tone = plan.tone
        self.seed = plan.reading.original  # picks among variants, stable per incident
        self.category = category = plan.triage.category
        # What the wording is about: the category, or a wrong payment's wrong amount
        self.about = "wrong_amount" if plan.triage.wrong_amount else category
        self.values: dict[str, str] = {name: plan.value(name) for name in plan.fill_ins}
        self.values.update(plan.facts)
        self.values["topic"] = book["topic"][self.about]
        self.values["doing"] = book["doing"][self.about]
        self.joiner = " " if spaced(plan.language) else ""
        self.paragraphs: list[Paragraph] = []

    def say(self, template: str | list[str], key: str) -> str:
        chosen = _pick(template, self.seed, key)
        return chosen.format_map({name: self.values[name] for name in _fields(chosen)})

    def add(self, step: str, *sentences: str) -> None:
        text = self.joiner.join(s for s in sentences if s)
        if text:
            self.paragraphs.append(Paragraph(step=step, text=text))

    def given(self, name: str, value: str | None, template_key: str,
              template: str | None = None) -> str:
        """A sentence that carries a fact the incident gave (in the phrasebook's `template_key`
        sentence, or `template`); empty if the checker objects to it or the guard finds
        instructions in it (a quoted note may hold a bad draft)."""
        if not value or _has_instructions(value):
            return ""
        before = self.values.get(name)
        self.values[name] = value
        sentence = self.say(template or self.book[template_key], template_key)
        if self.screen is None or not self.screen(sentence, self.plan.language):
            return sentence
        if before is None:
            del self.values[name]
        else:
            self.values[name] = before
        return ""

    def regret(self) -> str | None:
        """The apology, the incident's first statement when short (turned to the customer),
        then what the incident states, told to the customer: never the lead's note itself.
        Returns the words quoted."""
        book, plan = self.book, self.plan
        quoted = _incident_words(plan, self.tone)
        incident_line = self.given("incident", quoted, "incident_line")
        if not incident_line:
            quoted = None
        order = _order_id(plan)
        order_line = "" if order and quoted and order in quoted else self.given(
            "order", order, "order_line")
        self.add("regret", self.say(book["regret"][self.tone], "regret"), incident_line,
                 order_line, self.stated(quoted, order_line))
        return quoted

    def stated(self, *already: str | None) -> str:
        """What the incident states that the sentences above do not carry yet."""
        said = " ".join(a for a in already if a)
        items = [s for s in self.plan.stated if s.typed not in said and s.told not in said]
        if not items:
            return ""
        self.values["facts"] = _labelled(items, self.book)
        return self.say(self.book["facts_line"], "facts_line")

    def impact(self) -> None:
        loss = self.plan.incident.loss
        impact = [self.say(self.book["impact"][self.about], "impact")]
        if loss is not None:
            impact.append(self.say(self.book["impact"]["money" if loss.is_money else "time"],
                                   "impact_loss"))
        # A repeat is worse, and the customer knows it. Told only for a counted repeat
        # (prior_failures, "the third time"): triage's broader `repeated` ("again") only
        # gates delight, since "we sent it again" is no earlier failure to tell of.
        if self.plan.incident.prior_failures:
            impact.append(self.say(self.book["repeated"][self.tone], "repeated"))
        self.add("impact", *impact)

    def explanation(self, quoted: str | None) -> None:
        """What happened and what it touched, then whose fault it was."""
        book, plan, say, given = self.book, self.plan, self.say, self.given
        cause = plan.stated_cause
        if cause and quoted and cause in quoted:
            cause = None  # the quoted statement already says it
        explanation = [given("cause", cause, "explanation", plan.stated_cause_form)
                       or say(book["explanation"], "explanation")]
        notes = _scope_notes(plan, quoted, self.tone)
        sep = LANGUAGES[plan.language].clause_join
        if self.category in ("outage", "data_loss", "security_breach") or "scope" in plan.facts:
            if "scope" not in plan.facts and notes:
                explanation.append(given("scope", sep.join(notes), "scope")
                                   or say(book["scope"], "scope"))
                notes = []
            else:
                explanation.append(say(book["scope"], "scope"))
        explanation.append(given("not_affected", plan.extras.get("not_affected"), "not_affected"))
        if notes:
            explanation.append(given("note", sep.join(notes), "clarify"))
        self.add("explanation", *explanation)
        self.add("responsibility", say(book["responsibility"][self.tone], "responsibility"))

    def remedy(self) -> None:
        book, plan, say = self.book, self.plan, self.say
        remedy = [say(book["remedy"][plan.triage.stage], "remedy")]
        remedy.append(self.given("tried", plan.extras.get("tried"), "tried"))
        remedy.append(say(book["prevention"], "prevention"))
        if self.category == "security_breach":
            remedy.append(say(book["security_advice"], "security_advice"))
        for link in ("postmortem", "status_page", "more_info"):
            remedy.append(self.given(link, plan.extras.get(link), link))
        self.add("remedy", *remedy)

    def offer(self) -> None:
        book, say, comp = self.book, self.say, self.plan.compensation
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
        self.add("compensation", *offer)
        self.add("closing", say(book["closing"][self.tone], "closing"))

    def email(self) -> EmailOut:
        """The paragraphs framed by greeting, sign-off and subject."""
        book, say, tone, incident = self.book, self.say, self.tone, self.plan.incident
        # A known customer is greeted by name on any channel; a mailing to many greets everyone.
        named = bool(incident.customer) or incident.channel in (None, "reply")
        greeting = say(book["greeting"]["named" if named else "everyone"][tone], "greeting")
        sign_off = "\n".join([
            say(book["signoff"][tone], "signoff"), self.values["sender"], self.values["company"],
        ])
        subject = say(book["subject"][self.about], "subject")
        email = EmailOut(
            subject=subject, greeting=greeting, paragraphs=self.paragraphs, sign_off=sign_off,
            fill_ins=[],
        )
        email.fill_ins = fill_ins_in(email.text())
        return email


def fill_ins_in(text: str) -> list[str]:
    """The [[fill-ins]] left in a text, in order of first appearance."""
    return list(dict.fromkeys(FILL_IN.findall(text)))
