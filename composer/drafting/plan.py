"""The plan a draft follows: rubric steps in order, the offer, the known facts and the fill-ins.

Both the model prompt and the offline composer are built from the same plan, so what the email
may claim is decided once, here. A fact nobody gave us becomes a fill-in the sender must
complete, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from composer.drafting.compensation import CompensationPlan
from composer.errors import ComposerError
from composer.language.detect import LANGUAGES
from composer.language.money import Quantity, find_durations, format_duration, format_money
from composer.language.packs import languages_dir
from composer.understand.cues import about_the_customer
from composer.understand.facts import plain_view
from composer.understand.incident import Incident
from composer.understand.injection import instructions_in
from composer.understand.reading import Reading
from composer.understand.triage import Triage
from composer.yamlio import load_yaml

# The longest piece of the lead's note an email may carry (turned to the customer): below the
# 60 characters at which a stretch of the note counts as pasted. A longer one is the note.
MAX_NOTE_CHARS = 55
# Facts a phrasebook template may use; each is either known or a visible fill-in.
FACT_FIELDS = (
    "customer", "sender", "company", "cause", "scope", "eta", "done", "prevention", "amount",
    "credit", "gesture",
)
# Free facts (incident keys outside the known fields) the phrasebooks know how to place, by the
# role their key names: an order id near the top, what was tried and what was not affected in the
# explanation and remedy, links where the templates put them (status page, post-mortem, read more).
FREE_FACT_ROLES: dict[str, tuple[str, ...]] = {
    "order": ("order", "order_id", "order_number", "order_no", "order_ref", "order_reference"),
    "postmortem": ("postmortem", "post_mortem", "postmortem_link", "postmortem_url"),
    "status_page": ("status_page", "statuspage", "status_url", "status_link"),
    "more_info": ("more_info", "link", "url", "details", "details_link", "blog", "blog_post",
                  "read_more", "incident_page", "notice"),
    "tried": ("tried", "tried_so_far", "attempts", "what_we_tried"),
    "not_affected": ("not_affected", "unaffected", "what_was_not_affected"),
}
_LINK = re.compile(r"^(https?://|www\.)\S+$|^[\w-]+(\.[\w-]+)+/\S*$", re.IGNORECASE)


def free_fact_roles(facts: dict[str, str]) -> dict[str, str]:
    """The free facts a phrasebook can place, by role; a bare link under any other key is a
    "read more" link. Keys nobody foresaw stay out of the offline email (the model sees them)."""
    roles: dict[str, str] = {}
    for key, value in facts.items():
        value = " ".join(str(value).split())
        name = key.strip().lower().replace("-", "_").replace(" ", "_")
        if not value or name in FACT_FIELDS:
            continue
        role = next((r for r, names in FREE_FACT_ROLES.items() if name in names), None)
        if role is None and _LINK.match(value):
            role = "more_info"
        if role is not None:
            roles.setdefault(role, value)
    return roles


_RUBRIC = ("regret", "impact", "explanation", "responsibility", "remedy")
STEP_ORDER = (
    "regret", "impact", "explanation", "responsibility", "remedy", "compensation", "closing",
)
_STEP_GUIDANCE = {
    "regret": "Apologize sincerely and name the actual problem; no 'if', no 'any inconvenience'.",
    "impact": "Show you understand what it cost this customer: time, money, stress.",
    "explanation": "Explain in plain words what happened, without excuses; give the scope.",
    "responsibility": "Say plainly that it was our fault; no blaming vendors, no passive voice.",
    "remedy": "What we did, what happens next and when, and what changes so it does not recur; "
    "no 'this will never happen again'.",
    "compensation": "State the offer exactly (type, amount, timing) and keep the door open.",
    "closing": "Thank the customer; sign off.",
}


class PhrasebookError(ComposerError):
    """A phrasebook that is missing or malformed."""


def phrasebook(language: str, directory: Path | None = None) -> dict[str, Any]:
    """The offline phrasing for one language: the language pack's
    (`languages/<lang>/phrasebook.yaml`), or `<directory>/offline/<lang>.yaml` when a prompts
    variant directory is given and has one. Read once per version of the file: an edit is seen
    by the next call."""
    variant = directory / "offline" / f"{language}.yaml" if directory is not None else None
    path = variant if variant is not None and variant.is_file() else (
        languages_dir() / language / "phrasebook.yaml")
    if not path.is_file():
        raise PhrasebookError(f"no offline phrasing for language {language!r} ({path})")
    return _read_phrasebook(path, path.stat().st_mtime_ns, language)


@lru_cache(maxsize=64)
def _read_phrasebook(path: Path, mtime_ns: int, language: str) -> dict[str, Any]:
    try:  # the C parser: with the Python one, the six phrasebooks cost ~0.1 s of every compose
        data = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PhrasebookError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or data.get("language") != language:
        raise PhrasebookError(f"{path}: expected a mapping with language: {language}")
    return data


@dataclass
class PlanStep:
    name: str
    guidance: str
    cards: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """Everything a draft must say, and everything it must not invent."""

    reading: Reading
    compensation: CompensationPlan
    steps: list[PlanStep]
    facts: dict[str, str]
    fill_ins: dict[str, str]
    cards: list[str]
    prompts: Path | None = None  # a prompt variant's directory; None: the shipped prompts
    extras: dict[str, str] = field(default_factory=dict)  # free facts by role (FREE_FACT_ROLES)
    # What the incident's text states (amounts, durations, dates, ids, products), each written
    # for the customer in the output language; the writers state them, never the lead's sentence.
    stated: list[Stated] = field(default_factory=list)
    # The cause as the text states it, turned to the customer (`told_cause`); a writer uses it
    # for the explanation unless the checker objects, else the cause stays a fill-in.
    stated_cause: str | None = None
    # The sentence it is told in, where the word that introduced it governs its case (the
    # phrasebook's `cause_forms`: "weil {cause}"); None: the `explanation` template's colon.
    stated_cause_form: str | None = None

    @property
    def tone(self) -> str:
        """The tone asked for. Unasked, a critical incident, or a customer named with a title
        (the phrasebook's `titles`: "sig. Rinaldi", "Frau Vogt"), is written formally: "Ciao
        sig. Rinaldi" followed by "tu" is a register slip."""
        if self.incident.tone:
            return self.incident.tone
        name = self.facts.get("customer", "").split()
        titles = {t.casefold() for t in phrasebook(self.language, self.prompts).get("titles", ())}
        titled = bool(name) and name[0].casefold() in titles
        return "formal" if self.triage.severity == "critical" or titled else "warm"

    @property
    def incident(self) -> Incident:
        """The facts as given (tone, channel, loss, customer…); the text is the Reading's."""
        return self.reading.incident

    @property
    def triage(self) -> Triage:
        return self.reading.triage

    @property
    def language(self) -> str:
        return self.triage.language

    def value(self, name: str) -> str:
        """A known fact, or its visible fill-in."""
        return self.facts.get(name) or self.fill_ins[name]

    def sources_of_figures(self) -> list[str]:
        """Besides the incident, where a figure in a draft may come from: the facts given, the
        facts stated (as told to the customer), and the offer the plan sized. Anything else is
        invented (the checker's invented_fact)."""
        offer = self.compensation
        sized = [format(v, "f") for v in (offer.amount, offer.share_of_loss) if v is not None]
        if offer.share_of_loss is not None:
            sized.append(format(offer.share_of_loss * 100, "f"))
        return [*self.facts.values(), *self.extras.values(), *(s.told for s in self.stated),
                *sized]

    def open_fill_ins(self) -> list[str]:
        """The fill-ins a draft may need: every fact field nobody gave us."""
        return [label for name, label in self.fill_ins.items() if name not in self.facts]

    def as_prompt_data(self) -> dict[str, Any]:
        return {
            "category": self.triage.category,
            "severity": self.triage.severity,
            "stage": self.triage.stage,
            "steps": [{"step": s.name, "guidance": s.guidance} for s in self.steps],
            "compensation": self.compensation.summary(),
            "humour_allowed": self.compensation.humour_allowed,
            "failed_before": self.incident.prior_failures,
            "known_facts": {
                **self.facts,
                **{k: v for k, v in self.incident.facts.items() if k not in self.facts and v},
            },
            "stated_in_the_incident": [s.told for s in self.stated],
            "cause_as_stated": self.stated_cause,
            "fill_ins": self.open_fill_ins(),
        }


def build_plan(
    reading: Reading, compensation: CompensationPlan, cards: list[str],
    prompts: Path | None = None,
) -> Plan:
    incident, triage = reading.incident, reading.triage
    book = phrasebook(triage.language, prompts)
    facts: dict[str, str] = {
        key: value for key, value in {
            "customer": incident.customer, "sender": incident.sender,
            "company": incident.company, "cause": incident.cause, "eta": incident.eta,
            "prevention": incident.prevention,
        }.items() if value
    }
    facts.update({k: v for k, v in incident.facts.items() if k in FACT_FIELDS and v})
    named = reading.facts_of("customer_name")
    if "customer" not in facts and named:
        facts["customer"] = _as_greeted(named[0].text, book)
    dated = [f.value for f in reading.facts_of("eta") if isinstance(f.value, date)]
    if "eta" not in facts and dated:
        # "fix ships by 14 March": we write again by then (a date, in the customer's locale)
        facts["eta"] = book["eta_day"].format(day=day_text(dated[0], triage.language))
    if incident.loss is not None:
        facts["loss"] = quantity_text(incident.loss, triage.language)
    amount = (quantity_text(Quantity(compensation.amount, compensation.unit), triage.language)
              if compensation.amount is not None and compensation.unit else None)
    if amount:
        facts.setdefault("credit", amount)
        if compensation.on_top is not None and "amount" not in facts:
            # the loss returned, and the rest given on top as the gesture
            facts["amount"] = facts["loss"]
            facts["gesture"] = book["extra_on_top"].format(extra=quantity_text(
                Quantity(compensation.on_top, compensation.unit), triage.language))
        facts.setdefault("amount", amount)
    fill_ins = {name: f"[[{book['fill'][name]}]]" for name in FACT_FIELDS}
    steps = [
        PlanStep(name, _STEP_GUIDANCE[name], [f"step.{name}"] if name in _RUBRIC else [])
        for name in STEP_ORDER
        if name != "compensation" or compensation.offers_something
    ]
    steps[-1].cards.append("rule.keep-door-open")
    step_cards = [c for step in steps for c in step.cards]
    extras = free_fact_roles(incident.facts)
    plan = Plan(reading, compensation, steps, facts, fill_ins,
                list(dict.fromkeys([*cards, *step_cards])), prompts, extras,
                stated_facts(reading, book, [*facts.values(), *extras.values()]))
    if "cause" not in facts and (told := told_cause(reading, plan.tone, prompts)):
        plan.stated_cause, plan.stated_cause_form = told
    return plan


def told_cause(reading: Reading, tone: str,
               prompts: Path | None = None) -> tuple[str, str | None] | None:
    """The cause the text states ("because our courier mixed up two labels"), turned to the
    customer, with the sentence it is told in: `explanation`'s "Here is what happened: ...", or,
    where the word that introduced it governs its word order or case, the phrasebook's
    `cause_forms` sentence for that word (German "weil" puts the verb last), so it is told with
    it ("Das ist passiert, weil ..."); a language with forms tells no cause whose word has none.
    Only in the language it was typed in, and short (a longer one is the lead's note)."""
    lang = reading.language
    book = phrasebook(lang)
    if (not book.get("tells_stated_cause") or reading.instructions
            or reading.written_in not in (None, lang)):
        return None
    forms = {" ".join(k.casefold().split()): v for k, v in (book.get("cause_forms") or {}).items()}
    before, after = _triggers(lang, "cause_triggers"), _triggers(lang, "cause_after_triggers")
    for fact in reading.facts_of("cause"):
        # What follows the last "because", "due to" ... just before or inside the span, or what
        # comes right before "caused", "导致"; a cause guessed from its shape alone ("a glitch
        # in ...") is not stated as one, so it is not told.
        region = reading.text[max(0, fact.start - 30):fact.end]
        stated = list(before.finditer(region))
        kept = 0  # characters of the note a form repeats with the cause (its word)
        if stated:
            text = region[stated[-1].end():]
            word = " ".join(stated[-1].group(0).split())
            form = forms.get(word.casefold())
            kept = len(word) + 1 if form else 0
        elif after.match(reading.text, fact.end):
            text, form = fact.text, None
        else:
            continue
        if forms and form is None:
            continue  # a language whose causes need their word: only a word with a form
        text = " ".join(plain_view(text).split()).strip(" :：").rstrip(".;:,。；：，")
        for lead in book.get("cause_leads") or ():  # "原因是": the template says it
            text = text.removeprefix(lead)
        text = _first_clause(text, book.get("cause_cuts") or ())
        last = text.rsplit(" ", 1)
        if len(last) == 2 and last[1].lower() in (book.get("cause_loose_ends") or ()):
            text = last[0]  # "... broke pinned packages which": a clause the cut left open
        if (not 8 <= len(text) < MAX_NOTE_CHARS - kept or instructions_in(text)
                or _refused(text, lang)):
            continue
        turned = to_the_customer(text, lang, tone, prompts)
        if turned and about_the_customer(turned, lang) is None:
            return turned, form
    return None


# A quoted stretch: someone's words when it holds a clause (4+ words, or 8+ characters where
# words are not spaced); a quoted term ("network disruption") is only a name.
_QUOTED = re.compile(r"[\"«“„「『]([^\"«»“”„「」『』]*)[\"»”“」』]")


def _refused(cause: str, language: str) -> bool:
    """A cause that cannot be told out of its note: it holds a word of the phrasebook's
    `cause_refuses`, a pronoun whose person is left behind in the note ("weil sie oft ...",
    "because their ...") or the customer's own "I" ("weil ich ..."), or someone's quoted
    words («no había nadie en el domicilio»)."""
    quoted = any(len(q.split()) >= 4 or (not spaced(language) and len(q) >= 8)
                 for q in _QUOTED.findall(cause))
    return quoted or _triggers(language, "cause_refuses").search(cause) is not None


@lru_cache(maxsize=16)
def _triggers(language: str, table: str) -> re.Pattern[str]:
    """A phrasebook's list of cause words, longest first, as whole words where words are spaced
    (leading spaces allowed, for matching right after a span); an empty list matches nothing."""
    words = sorted(phrasebook(language).get(table) or (), key=len, reverse=True)
    alternation = "|".join(re.escape(w) for w in words) or "(?!)"
    if spaced(language):
        return re.compile(rf"\s*(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)
    return re.compile(rf"\s*(?:{alternation})", re.IGNORECASE)


def _first_clause(text: str, cuts: list[str]) -> str:
    """A long cause up to the last clause break that keeps it short ("a configuration error in
    cluster resource management, which prevented ..." -> its first part): what follows a
    "which" or a comma adds detail, and the cause must not become the lead's pasted note."""
    if len(text) < MAX_NOTE_CHARS:
        return text
    ends = [i for cut in cuts for i in range(MAX_NOTE_CHARS) if text.startswith(cut, i)]
    return text[:max(ends)].rstrip(" ,;，；") if ends else text


def spaced(language: str) -> bool:
    """Whether the language separates words with spaces (not Chinese)."""
    facts = LANGUAGES.get(language)
    return facts.spaced if facts is not None else True


def to_the_customer(text: str, language: str, tone: str, prompts: Path | None = None) -> str | None:
    """A support lead's words turned to the customer ("the customer" -> "you"); None when that
    takes a formal pronoun ("Lei", "usted") that a draft in an informal tone cannot use: the
    verb would have to change with it, and a slip of register is worse than no quote."""
    book = phrasebook(language, prompts)
    formal_only = set(book.get("formal_you") or ()) if tone in (
        book.get("informal_tones") or ()) else set()
    for phrase, you in (book.get("you_words") or {}).items():
        if not spaced(language):  # no word boundaries: the phrases are whole
            turned = text.replace(phrase, you)
        else:
            turned = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", you, text,
                            flags=re.IGNORECASE)
        if turned != text and you in formal_only:
            return None
        text = turned
    return text


def reported_clause(text: str, language: str, prompts: Path | None = None) -> str | None:
    """What a lead's "the customer says (that) ..." reports: the clause after the frame (the
    phrasebook's `reported_frames`), or None when the sentence opens with no such frame."""
    for frame in phrasebook(language, prompts).get("reported_frames") or ():
        found = re.match(frame, text)
        if found and found.end() < len(text):
            return text[found.end():]
    return None


def pronouns_to_customer(text: str, language: str, tone: str, prompts: Path | None = None
                         ) -> str | None:
    """The customer's pronouns turned to them in the tone's register ("his parcel" -> "your
    parcel", "il suo pacco" -> "il Suo pacco" or "il tuo pacco"); None when one is left that
    the pack cannot turn (a "he" whose verb would have to change)."""
    book = phrasebook(language, prompts)
    register = "informal" if tone in (book.get("informal_tones") or ()) else "formal"
    for pattern, replacement in (book.get("customer_pronouns") or {}).get(register) or ():
        text = re.sub(pattern, replacement, text)
    if any(re.search(p, text) for p in book.get("still_third_person") or ()):
        return None
    return text


# The kinds of fact the text states that an email repeats to the customer, in this order.
STATED_KINDS = ("order_id", "invoice_id", "ticket_id", "product", "money", "duration", "date",
                "time", "count", "eta")
# Kinds whose text is a phrase in the incident's language ("Pro plan", "14,200 subscribers",
# "Monday", "2pm", "by Friday"): repeated as typed only in an email in that language; in another
# language only their value (a day, a clock time, an amount), if they have one.
PHRASE_KINDS = ("product", "count", "date", "time", "eta")


@dataclass(frozen=True)
class Stated:
    """A fact the incident states: as it is told to the customer, and as it was typed."""

    told: str
    typed: str
    kind: str = ""


def stated_facts(reading: Reading, book: dict[str, Any], known: list[str]) -> list[Stated]:
    """The incident's facts written for the customer: amounts and durations in the output
    language's locale, dates in its month names, ids and product names as given. A fact the
    plan already carries (the loss, an order given as a fact) is not repeated."""
    forms = book.get("fact_forms") or {}
    lang = reading.language
    same_language = reading.written_in in (None, lang)
    out: list[Stated] = []
    for kind in STATED_KINDS:
        for fact in reading.facts_of(kind):
            if kind == "eta" and isinstance(fact.value, date):
                continue  # a dated ETA is when we write again (the remedy says it)
            value = _fact_text(fact, lang, book, same_language)
            if value is None or kind not in forms or any(value in k for k in known):
                continue
            value = _mid_sentence(value, book)
            form = forms[kind]
            if kind == "time" and _BARE_HOUR.match(value):
                form = forms["hour"]  # "7" was typed after "alle": told "alle 7"
            item = Stated(form.format(value=value), fact.text, kind)
            if all(item.told != o.told for o in out):
                out.append(item)
    return out


def _mid_sentence(text: str, book: dict[str, Any]) -> str:
    """A fact typed at the start of a sentence, as it reads in the middle of one: "El lunes 14"
    -> "el lunes 14" (the phrasebook's `sentence_start_words`; a name keeps its capital)."""
    first, space, rest = text.partition(" ")
    if space and first[:1].isupper() and first.lower() in (book.get("sentence_start_words") or ()):
        return first.lower() + space + rest
    return text


def day_text(day: date, lang: str) -> str:
    """A day as the customer writes it: "March 14", "14 marzo", "14 марта", "3月14日"."""
    from babel.dates import format_skeleton

    return format_skeleton("MMMMd", day, locale=LANGUAGES[lang].locale)


def _as_greeted(name: str, book: dict[str, Any]) -> str:
    """A name read from the note, with its title as a greeting takes it ("Herrn Weber" ->
    "Herr Weber"): the phrasebook's `title_forms`."""
    first, _, rest = name.partition(" ")
    forms = dict(book.get("title_forms") or ())
    return f"{forms[first]} {rest}" if first in forms and rest else name


_BARE_HOUR = re.compile(r"\d{1,2}(?![\d:.])")  # an hour read without its preposition
_DAY_NUMBER = re.compile(r"(?<!\d)\d{1,2}(?!\d)")


def _fact_text(fact: Any, lang: str, book: dict[str, Any], same_language: bool) -> str | None:
    if same_language and (
            fact.kind in ("time", "eta")  # "2pm", "14:02 UTC", "bis Freitag": zone, words kept
            or fact.kind == "money" and fact.value is None  # a range: "¥25 至 ¥150", "€3–€9"
            # a date typed in digits, and a range ("del 2 al 4 de mayo": told as its one day, it
            # would lose the rest), as typed; "yesterday" and "vom 2. Mai" become a day
            or fact.kind == "date" and (fact.text[:1].isdigit()
                                        or len(_DAY_NUMBER.findall(fact.text)) > 1)
            or fact.kind == "duration" and not find_durations(fact.text)):  # "3 months"
        return fact.text
    if isinstance(fact.value, Quantity):
        return quantity_text(fact.value, lang)
    if isinstance(fact.value, date):
        return day_text(fact.value, lang)
    if fact.kind in ("order_id", "invoice_id", "ticket_id", "time"):
        return str(fact.value or fact.text)
    if fact.kind == "count" and not any(c.isdigit() for c in fact.text) \
            and len(fact.text.split()) < 2:
        return None  # "twice", "дважды": the event, not a figure the customer needs restated
    if fact.kind in PHRASE_KINDS and same_language:  # a weekday, a product, "four staff"
        return fact.text
    return None


def quantity_text(quantity: Quantity, lang: str) -> str:
    """Money and time as the customer writes them: `€149`, `2.400 USD`, `3 490 ₽`, `3,5 ore`."""
    if quantity.is_money:
        return format_money(quantity.amount, quantity.unit, lang)
    return format_duration(quantity.amount, quantity.unit, lang)
