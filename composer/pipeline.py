"""`compose()`: incident in, a checked draft out. The CLI, notebooks and evals all call this.

understand the incident once (a Reading: instructions removed, cards retrieved, triage) →
compensation plan → plan → offline draft (always: it is the fallback that is never lost) → model
draft if a model backend is used → check → revise → Draft.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from composer.backends import get_backend
from composer.backends.base import DEFAULT_TIMEOUT, Backend, BackendError, Request, Usage
from composer.checking.checker import Report, check, objects_to
from composer.checking.policy import prompt_sources, violations
from composer.drafting.compensation import CompensationPlan, plan_compensation
from composer.drafting.offline import OfflineBackend, fill_ins_in, write_offline
from composer.drafting.plan import Plan, build_plan
from composer.errors import ComposerError
from composer.knowledge.retrieval import Hits, Retriever
from composer.knowledge.store import StoreConfig
from composer.language.detect import LANGUAGE_NAMES, SUPPORTED
from composer.schema import EmailOut, Paragraph, email_schema
from composer.understand.incident import Incident, Loss, incident_from_mapping, parse_loss
from composer.understand.injection import fence
from composer.understand.model_reading import AskModel
from composer.understand.reading import Reading, understand
from composer.understand.triage import Triage

if TYPE_CHECKING:  # only a model draft needs these: the offline path never imports jinja2
    from composer.backends.redact import Redactor
    from composer.drafting.prompts import Budget

DEFAULT_K = 6
DEFAULT_BUDGET = 1200  # tokens of retrieved guidance in the model prompt
# A model draft that misses this many rubric steps even after revision is worse than the
# offline draft, which passes all five by construction (tested per language).
MAX_MISSING_STEPS = 2
DEFAULT_REVISIONS = 2  # rounds of "here is what the checker found, fix it"


class FallbackError(ComposerError):
    """Strict mode: the model failed. The offline draft is kept on `.draft`, never discarded."""

    def __init__(self, message: str, draft: Draft) -> None:
        super().__init__(message)
        self.draft = draft


@dataclass
class Draft:
    """A composed apology (or the advice that none is due), with how it was decided."""

    subject: str
    body: str
    language: str
    triage: Triage
    compensation: CompensationPlan
    fill_ins: list[str]
    sources: list[dict[str, str]]
    paragraphs: list[Paragraph] = field(default_factory=list)
    backend: str = "offline"
    model: str = "phrasebook"
    report: Report | None = None
    revisions: int = 0
    warnings: list[str] = field(default_factory=list)
    hits: Hits = field(default_factory=Hits)
    budget: Budget | None = None
    rejected: Draft | None = None
    rounds: list[Round] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # breaks the plan: never shown as is
    reading: Reading | None = None  # how the incident was read (None for a hand-made Draft)
    # Besides the incident, where the draft's figures may come from (the plan's facts and
    # offer): what an edited draft is checked against for invented_fact.
    known: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        verdict = self.report.verdict if self.report and self.should_apologize else "no apology"
        return (f"<Draft {self.language} {self.triage.category} {verdict} via {self.backend}: "
                f"{self.subject or self.triage.advice!r}>")

    def missing_steps(self) -> list[str]:
        if self.report is None:
            return []
        return [n for n, s in self.report.steps.items() if s.evaluated and not s.passed]

    @property
    def should_apologize(self) -> bool:
        return self.triage.should_apologize

    @property
    def problems(self) -> list[str]:
        """What the guard and the checker still find, besides the fill-ins to complete."""
        if self.report is None:
            return list(self.refused)
        return [*self.refused, *(p for p in self.report.failed_items()
                                 if not p.startswith("placeholders_left"))]

    @property
    def tokens(self) -> tuple[int, int]:
        """Model tokens in and out over every round (0, 0 offline)."""
        return (sum(r.tokens_in for r in self.rounds), sum(r.tokens_out for r in self.rounds))

    def text(self) -> str:
        return f"{self.subject}\n\n{self.body}" if self.should_apologize else ""

    def as_dict(self, explain: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "should_apologize": self.should_apologize,
            "advice": self.triage.advice,
            "subject": self.subject,
            "body": self.body,
            "paragraphs": [p.model_dump() for p in self.paragraphs],
            "language": self.language,
            "category": self.triage.category,
            "severity": self.triage.severity,
            "stage": self.triage.stage,
            "compensation": self.compensation.as_dict(),
            "fill_ins": self.fill_ins,
            "sources": self.sources,
            "backend": self.backend,
            "model": self.model,
            "check": {
                "verdict": self.report.verdict, "score": self.report.score,
                "problems": self.problems,
            } if self.report else None,
            "revisions": self.revisions,
            "rounds": [asdict(r) for r in self.rounds],
            "warnings": self.warnings,
            "triage_reasons": self.triage.reasons,
        }
        if self.rejected is not None:
            data["rejected_model_draft"] = {
                "subject": self.rejected.subject, "body": self.rejected.body,
                "problems": self.rejected.problems,
            }
        if self.reading is not None:
            data["reading"] = self.reading.as_dict()
        if explain:
            data["retrieved"] = [hit.as_dict() for hit in self.hits]
            data["token_budget"] = self.budget.as_dict() if self.budget else None
        return data

    def _repr_markdown_(self) -> str:
        t = self.triage
        head = (f"*{t.category} · {t.severity} · {t.stage} · {self.language} · "
                f"{self.backend}*")
        if not self.should_apologize:
            return f"{head}\n\n**No standalone apology is due.** {t.advice}"
        body = self.body.replace("\n", "  \n")
        lines = [head, "", f"**{self.subject}**", "", body, "", "---",
                 f"**Compensation:** {self.compensation.summary()}"]
        if self.fill_ins:
            lines.append("**Fill in:** " + ", ".join(f"`{f}`" for f in self.fill_ins))
        if self.problems:
            lines.append("**Checker:** " + "; ".join(self.problems))
        lines.append("**Sources:** " + ", ".join(f"`{s['id']}`" for s in self.sources))
        lines.extend(f"> ⚠ {w}" for w in self.warnings)
        return "\n".join(lines)


def as_incident(incident: Incident | str | dict, fields: dict[str, Any]) -> Incident:
    if isinstance(incident, Incident):
        if fields:
            raise ComposerError(
                "give incident facts either on the Incident or as keyword arguments, not both"
            )
        return incident
    data = dict(incident) if isinstance(incident, dict) else {"text": incident}
    data.update(fields)
    return incident_from_mapping(data)


def compose(
    incident: Incident | str | dict,
    *,
    backend: Backend | str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    language: str | None = None,
    max_compensation: Loss | str | None = None,
    store: StoreConfig | None = None,
    retriever: Retriever | None = None,
    k: int = DEFAULT_K,
    token_budget: int = DEFAULT_BUDGET,
    revise: int = DEFAULT_REVISIONS,
    strict: bool = False,
    progress: bool = True,
    prompts: Path | str | None = None,
    redact: bool | None = None,
    **fields: Any,
) -> Draft:
    """Compose an apology for `incident` (text, a dict, or an Incident; extra keyword arguments
    are incident facts such as customer=, loss=, cause=).

    The offline composer is the default backend; `backend="openai"` (or a `base_url`) uses a
    model. If the model fails, the offline draft is returned with a warning, or, with
    `strict=True`, `FallbackError` is raised carrying that draft. `prompts` is a directory laid
    out like the shipped `prompts/` (a prompt variant to compare in evals). Personal data
    (names, emails, phones, IBANs, cards, accounts, addresses) is replaced by placeholders before
    a request leaves for a non-loopback server and restored in the draft; `redact` forces it on
    or off.
    Long because it is the pipeline written out in order, one stage per block.
    """
    prompts = Path(prompts) if prompts is not None else None
    incident = as_incident(incident, fields)
    if language is not None and language not in SUPPORTED:
        raise ComposerError(f"unknown language {language!r}: use one of {', '.join(SUPPORTED)}")
    cap = parse_loss(max_compensation) if isinstance(max_compensation, str) else max_compensation
    chosen = backend if backend is not None and not isinstance(backend, str) else get_backend(
        backend, model=model, base_url=base_url, timeout=timeout
    )
    retriever = retriever or Retriever.open(store or StoreConfig.resolve(), progress=progress)

    reading = understand(incident, language=language,
                         similar=lambda text: retriever.retrieve(text, k),
                         ask_model=_model_reader(chosen, incident, prompts, redact))
    decided, hits, notes = reading.triage, reading.similar, reading.warnings
    sources = _Sources(retriever)
    if not decided.should_apologize:
        return Draft(
            "", "", decided.language, decided, plan_compensation(reading.incident, decided), [],
            sources(decided.cards), hits=hits, backend="none", model="", warnings=notes,
            reading=reading,
        )

    credit = next((f.value for f in reading.facts_of("credit") if f.value is not None), None)
    compensation = plan_compensation(reading.incident, decided, cap, credit)
    # Cards about another kind of incident would only mislead the model.
    fitting = [h for h in hits if {decided.category, "any"} & set(h.card.categories)]
    offline_only = isinstance(chosen, OfflineBackend)
    # The offline composer sends no prompt, so it skips the tokenizer (~0.4 s cold) and jinja2.
    guidance, budget = "", None
    if not offline_only:
        from composer.drafting.prompts import pack_guidance

        guidance, budget = pack_guidance(fitting, token_budget)
    grounding = budget.included if budget else [h.card.id for h in fitting]
    plan = build_plan(
        reading, compensation, [*grounding, *decided.cards, *compensation.cards],
        prompts,
    )
    stage = _Stage(plan, reading, budget, sources(plan.cards))
    # The offline draft passes the patterns by construction (tested); no embedding fallback.
    draft = stage.draft(write_offline(plan, screen=objects_to), OfflineBackend(),
                        embeddings=False)
    draft.rounds = [Round.of(draft, "offline")]
    draft.warnings = list(notes)
    if offline_only:
        return draft
    return _with_model(chosen, stage, draft, guidance, prompts, revise, strict, redact)


class _Sources:
    """The cited cards as the Draft lists them: id, title and the source each comes from."""

    def __init__(self, retriever: Retriever) -> None:
        self.knowledge = retriever.knowledge
        self.cards = self.knowledge.by_id()

    def __call__(self, ids: list[str]) -> list[dict[str, str]]:
        out = []
        for card_id in dict.fromkeys(ids):
            card = self.cards.get(card_id)
            if card is None:
                continue
            doc = self.knowledge.sources[card.source.file]
            out.append({"id": card.id, "title": card.title, "source": doc.title,
                        "publisher": doc.publisher, "language": doc.language})
        return out


@dataclass
class _Stage:
    """What every draft of one incident is checked against: the plan, the reading the
    decisions were made from, and what grounded it."""

    plan: Plan
    reading: Reading
    budget: Budget | None
    sources: list[dict[str, str]]

    def draft(self, email: EmailOut, backend: Backend, leak_sources: list[str] | None = None,
              embeddings: bool = True) -> Draft:
        """A Draft of `email`, checked against the rubric for this incident; a model's draft
        (one with `leak_sources`) also against what the plan fixes."""
        plan = self.plan
        report = check(email.text(), self.reading, language=plan.language,
                       embeddings=embeddings, known=plan.sources_of_figures())
        refused = violations(email, plan, report, leak_sources) if leak_sources is not None \
            else []
        return Draft(
            subject=email.subject, body=email.body(), language=plan.language,
            triage=plan.triage, compensation=plan.compensation,
            fill_ins=fill_ins_in(email.text()), sources=self.sources,
            paragraphs=list(email.paragraphs), backend=backend.name, model=backend.model,
            hits=self.reading.similar, budget=self.budget, report=report, refused=refused,
            reading=self.reading, known=plan.sources_of_figures(),
        )


@dataclass
class _Conversation:
    """The model's side of one draft: its prompts, redaction, and the rounds it took."""

    backend: Backend
    system: str
    messages: list[dict[str, str]]
    plan_json: str
    schema_json: str
    redactor: Redactor | None
    rounds: list[Round]

    def ask(self, purpose: str, messages: list[dict[str, str]], plan: Plan,
            ) -> tuple[EmailOut, Request]:
        if self.redactor is not None:
            messages = self.redactor.redact_messages(messages)
        request = Request(purpose, messages, plan)
        return _restored(self.backend.generate(request), self.redactor), request


def _with_model(chosen: Backend, stage: _Stage, offline: Draft, guidance: str,
                prompts: Path | None, revise: int, strict: bool, redact: bool | None) -> Draft:
    """The model's draft, revised while the checker flags it; the offline draft when the model
    fails, is refused, or stays too weak."""
    from composer.drafting.prompts import load_prompt

    plan = stage.plan
    incident = plan.incident  # the facts as given; the model sees the text as pasted, fenced
    system = load_prompt("system", prompts).render(language_name=LANGUAGE_NAMES[plan.language])
    plan_json = json.dumps(plan.as_prompt_data(), ensure_ascii=False, indent=1)
    schema_json = json.dumps(email_schema())
    user = load_prompt("compose", prompts).render(
        incident=fence(stage.reading.original, "incident"),
        language_name=LANGUAGE_NAMES[plan.language],
        tone=incident.tone or "warm", channel=incident.channel or "reply",
        plan=fence(plan_json, "plan"), guidance=guidance or "(none)", schema=schema_json,
    )
    talk = _Conversation(chosen, system, [{"role": "system", "content": system},
                                          {"role": "user", "content": user}],
                         plan_json, schema_json, _redactor(chosen, incident, redact),
                         offline.rounds)
    try:
        email, request = talk.ask("compose", talk.messages, plan)
    except BackendError as exc:
        talk.rounds.append(Round(len(talk.rounds), "compose", chosen.name, error=str(exc)))
        message = f"{chosen.name} backend failed ({exc}); this is the offline draft instead"
        offline.warnings.append(message)
        if strict:
            raise FallbackError(message, offline) from exc
        return offline
    # A draft that breaks what the plan fixes (language, offer, format, the prompts' secrecy) is
    # refused whatever else it does right.
    leak_sources = prompt_sources(system, prompts)
    best = stage.draft(email, chosen, leak_sources)
    best.warnings = list(offline.warnings)
    talk.rounds.append(Round.of(best, "compose", len(talk.rounds), request.usage))
    best = _revised(talk, stage, best, email, leak_sources, prompts, revise)
    return _chosen(best, offline, talk, strict)


def _revised(talk: _Conversation, stage: _Stage, best: Draft, best_email: EmailOut,
             leak_sources: list[str], prompts: Path | None, revise: int) -> Draft:
    """Up to `revise` rounds of "here is what the checker found, fix it"; the best draft kept."""
    from composer.drafting.prompts import load_prompt

    plan = stage.plan
    for _ in range(revise):
        if not best.problems:
            break
        revise_prompt = load_prompt("revise", prompts).render(
            language_name=LANGUAGE_NAMES[plan.language], draft=fence(best_email.text(), "draft"),
            problems="\n".join(f"- {p}" for p in best.problems),
            plan=fence(talk.plan_json, "plan"), schema=talk.schema_json,
        )
        try:
            email, request = talk.ask(
                "revise", [talk.messages[0], {"role": "user", "content": revise_prompt}], plan)
        except BackendError as exc:
            talk.rounds.append(Round(len(talk.rounds), "revise", talk.backend.name,
                                     error=str(exc)))
            best.warnings.append(f"revision failed ({exc}); kept the previous draft")
            break
        candidate = stage.draft(email, talk.backend, leak_sources)
        talk.rounds.append(Round.of(candidate, "revise", len(talk.rounds), request.usage))
        if (len(candidate.refused), len(candidate.problems)) <= (len(best.refused),
                                                                 len(best.problems)):
            candidate.warnings = best.warnings
            best, best_email = candidate, email
    best.revisions = sum(1 for r in talk.rounds if r.purpose == "revise")
    return best


def _chosen(best: Draft, offline: Draft, talk: _Conversation, strict: bool) -> Draft:
    """The model's best draft, unless it was refused or misses too many steps."""
    missed = best.missing_steps()
    if best.refused:
        why = f"was refused ({'; '.join(best.refused)})"
    elif len(missed) >= MAX_MISSING_STEPS:
        why = f"still misses {', '.join(missed)} after {best.revisions} revision(s)"
    else:
        best.rounds = talk.rounds
        return best
    offline.rejected = best
    offline.revisions = best.revisions
    message = (f"the {talk.backend.name} draft {why}; this is the offline draft instead (the "
               "model's draft is under 'rejected_model_draft' in --json)")
    offline.warnings.append(message)
    if strict and best.refused:  # a refused draft is a failure; a weak one is the checker's call
        raise FallbackError(message, offline)
    return offline


@dataclass
class Round:
    """One attempt at the draft: who wrote it and what the checker said (or why it failed)."""

    number: int
    purpose: str  # offline | compose | revise
    backend: str
    verdict: str | None = None
    score: int | None = None
    problems: list[str] = field(default_factory=list)
    subject: str = ""
    body: str = ""
    error: str | None = None
    report: dict[str, Any] | None = None  # the checker's full report on this round's draft
    tokens_in: int = 0
    tokens_out: int = 0
    cached: bool = False  # the model's answer came from the response cache

    @classmethod
    def of(cls, draft: Draft, purpose: str, number: int = 0, usage: Usage | None = None,
           ) -> Round:
        report = draft.report
        usage = usage or Usage()
        return cls(number, purpose, draft.backend, report.verdict if report else None,
                   report.score if report else None, draft.problems, draft.subject, draft.body,
                   report=report.as_dict() if report else None, tokens_in=usage.tokens_in,
                   tokens_out=usage.tokens_out, cached=usage.cached)


def _model_reader(backend: Backend, incident: Incident, prompts: Path | None,
                  redact: bool | None) -> AskModel | None:
    """How a configured model reads the incident (None for a backend that does not read, such as
    the offline writer or a test double): the `read` prompt with the text fenced as data,
    personal data redacted as for a draft."""
    if not getattr(backend, "reads_incidents", False):
        return None
    from composer.drafting.prompts import load_prompt

    variant = prompts if prompts is not None and (prompts / "read.yaml").is_file() else None
    prompt = load_prompt("read", variant)
    redactor = _redactor(backend, incident, redact)

    def ask(text: str, schema: dict[str, Any]) -> str:
        messages = [{"role": "user", "content": prompt.render(
            incident=fence(text, "incident"), schema=json.dumps(schema))}]
        if redactor is not None:
            messages = redactor.redact_messages(messages)
        return backend.complete_json(messages, schema)  # type: ignore[attr-defined]

    return ask


def _redactor(backend: Backend, incident: Incident, redact: bool | None) -> Redactor | None:
    """Personal data stays on this machine: by default, redact for any non-loopback server."""
    from composer.backends.redact import redactor_for, should_redact

    if redact is None:
        redact = hasattr(backend, "base_url") and should_redact(backend.base_url, None)
    return redactor_for(incident) if redact else None


def _restored(email: EmailOut, redactor: Redactor | None) -> EmailOut:
    """The model's email with the placeholders it was sent turned back into the real values."""
    if redactor is None or not redactor.found:
        return email
    back = redactor.restore
    return email.model_copy(update={
        "subject": back(email.subject), "greeting": back(email.greeting),
        "paragraphs": [p.model_copy(update={"text": back(p.text)}) for p in email.paragraphs],
        "sign_off": back(email.sign_off), "fill_ins": [back(f) for f in email.fill_ins],
    })
