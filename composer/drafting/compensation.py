"""What to offer, how much, and when, following the service-recovery research in the rule cards.

Type follows the loss (rule.compensation-type-match), size follows the loss (60-120%, never above
150%: rule.compensation-size), money now beats a voucher later (rule.immediate-over-delayed),
"delight" only behind the paradox gate (rule.paradox-gate), humour only behind the humour gate
(rule.humour-gate), and a policy cap always wins. Every decision carries the card ids behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from composer.understand.incident import Incident, Loss
from composer.understand.triage import Triage

AIM_LOW, AIM, AIM_HIGH, CEILING = Decimal("0.6"), Decimal("1.0"), Decimal("1.2"), Decimal("1.5")

# What restores the value lost, per category, when no loss is stated.
_TYPE_BY_CATEGORY: dict[str, str] = {
    "wrong_payment": "refund", "billing_error": "refund", "outage": "service_credit",
    "data_loss": "service_credit", "security_breach": "attention", "wrong_recipient": "attention",
    "wrong_content": "attention", "product_bug": "exchange", "delivery_problem": "redo",
    "poor_service": "attention",
}
_SERIOUS = ("wrong_payment", "billing_error", "data_loss", "security_breach")
COMPENSATION_TYPES = ("none", "refund", "service_credit", "exchange", "redo", "attention")

@dataclass
class Reason:
    """One decision and the cards it rests on."""

    text: str
    cards: list[str]


@dataclass
class CompensationPlan:
    """The offer the email makes. `amount` is None when the size is left to a visible fill-in."""

    type: str
    amount: Decimal | None = None
    unit: str | None = None
    share_of_loss: Decimal | None = None
    immediate: bool = True
    delight: bool = False
    humour_allowed: bool = False
    capped: bool = False
    reasons: list[Reason] = field(default_factory=list)
    # Of a refund past the loss (the paradox gate's 120%), the part the email gives on top of the
    # money returned; None when the whole amount is one refund.
    on_top: Decimal | None = None

    @property
    def offers_something(self) -> bool:
        return self.type not in ("none", "attention")

    @property
    def cards(self) -> list[str]:
        return list(dict.fromkeys(card for reason in self.reasons for card in reason.cards))

    def amount_text(self) -> str | None:
        if self.amount is None or self.unit is None:
            return None
        return f"{_plain(self.amount)} {self.unit}"

    def summary(self) -> str:
        if self.type == "none":
            return "nothing: no apology or gesture is due"
        if self.type == "attention":
            return "an apology and real attention; no money or voucher"
        if self.type in ("exchange", "redo"):
            what = "a replacement or refund" if self.type == "exchange" else "redo it at our cost"
            return what + (", plus a small personal gesture (delight)" if self.delight else "")
        if self.on_top is not None and self.amount is not None and self.unit:
            share = (f" (≈{int(self.share_of_loss * 100)}% of the loss)" if self.share_of_loss
                     else "")
            return (f"refund of {_plain(self.amount - self.on_top)} {self.unit} now, plus "
                    f"{_plain(self.on_top)} {self.unit} on top{share}, the delight")
        size = self.amount_text() or "an amount sized to the loss (fill in)"
        share = f" ≈{int(self.share_of_loss * 100)}% of the loss" if self.share_of_loss else ""
        when = "now" if self.immediate else "later"
        extra = ", plus a small personal gesture (delight)" if self.delight else ""
        return f"{self.type.replace('_', ' ')} of {size}{share}, {when}{extra}"

    def as_dict(self) -> dict:
        return {
            "type": self.type,
            "amount": _plain(self.amount) if self.amount is not None else None,
            "unit": self.unit,
            "share_of_loss": float(self.share_of_loss) if self.share_of_loss else None,
            "immediate": self.immediate,
            "delight": self.delight,
            "humour_allowed": self.humour_allowed,
            "capped": self.capped,
            "on_top": _plain(self.on_top) if self.on_top is not None else None,
            "summary": self.summary(),
            "reasons": [{"text": r.text, "cards": r.cards} for r in self.reasons],
        }


def _plain(amount: Decimal) -> str:
    """`120`, `58.80`: whole amounts without cents, others with two decimals."""
    cents = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return str(int(cents)) if cents == cents.to_integral_value() else format(cents, "f")


def paradox_gate(triage: Triage) -> bool:
    """Delight only for a mild, first, one-off failure (Magnini et al. 2007)."""
    return triage.severity in ("low", "medium") and not triage.repeated


def humour_gate(incident: Incident, triage: Triage) -> bool:
    """A joke only for low impact, a playful brand, no money or time lost, first of its kind,
    and a broad audience rather than one upset customer."""
    return (
        triage.severity in ("trivial", "low")
        and incident.tone == "playful"
        and incident.loss is None
        and not triage.repeated
        and triage.category not in _SERIOUS
        and incident.channel in ("proactive", "newsletter")
    )


def plan_compensation(
    incident: Incident, triage: Triage, max_compensation: Loss | None = None,
    credit: Loss | None = None,
) -> CompensationPlan:
    """Choose type, size and timing of compensation for this incident. `credit` is a credit of
    service time the incident already offers ("one week of free service"): it sizes a service
    credit that would otherwise be a fill-in."""
    humour = humour_gate(incident, triage)
    humour_reason = Reason(
        "humour allowed: low impact, playful tone, first of its kind, a broad mailing" if humour
        else "no humour: it needs low impact, a playful tone, a first failure and a broad mailing",
        ["rule.humour-gate"],
    )
    if not triage.should_apologize:
        return CompensationPlan("none", humour_allowed=False, reasons=[Reason(
            "nothing offered: a trivial error gets no apology email and no bonus",
            ["rule.when-not-to-apologize", "rule.compensation-size"],
        )])
    loss = incident.loss
    kind, reasons = _choose_type(loss, triage)
    plan = CompensationPlan(kind, reasons=reasons, humour_allowed=humour)
    if kind in ("refund", "service_credit"):
        plan.reasons.append(Reason(
            "immediate: money or credit now beats a voucher for later",
            ["rule.immediate-over-delayed"],
        ))
    _size_and_delight(plan, incident, triage)
    if kind == "service_credit" and plan.amount is None and credit is not None \
            and not credit.is_money:
        plan.amount, plan.unit = credit.amount, credit.unit
        plan.reasons.append(Reason(f"size {credit}: the credit the incident offers",
                                   ["rule.compensation-size"]))
    if max_compensation is not None and plan.offers_something:
        _apply_cap(plan, max_compensation, loss)
    if kind == "refund" and plan.delight and loss is not None and loss.is_money \
            and plan.amount is not None and plan.unit == loss.unit and plan.amount > loss.amount \
            and "gesture" not in incident.facts:
        # "refunding €288" for a €240 double charge reads as a mistake of its own: the email
        # returns the €240 and gives €48 on top, as the gesture (a gesture the lead gave stays)
        plan.on_top = plan.amount - loss.amount
    plan.reasons.append(humour_reason)
    return plan


def _choose_type(loss: Loss | None, triage: Triage) -> tuple[str, list[Reason]]:
    """The kind of compensation: the same type as the loss, else what fits the category."""
    reasons: list[Reason] = []
    if loss is not None:
        kind = "refund" if loss.is_money else "service_credit"
        reasons.append(Reason(
            f"{kind.replace('_', ' ')}: the customer lost {'money' if loss.is_money else 'time'} "
            f"({loss}), and compensation of the same type restores it best",
            ["rule.compensation-type-match"],
        ))
    else:
        kind = _TYPE_BY_CATEGORY.get(triage.category, "attention")
        if kind == "exchange" and not triage.faulty_goods:
            kind = "attention"
            reasons.append(Reason(
                "an apology, the fix and attention: a software bug with no stated loss; an "
                "exchange fits faulty goods, and a credit needs a loss (pass --loss)",
                ["rule.compensation-type-match"],
            ))
        elif triage.severity == "low" and kind not in ("attention", "redo"):
            kind = "attention"
            reasons.append(Reason(
                "an apology and attention: low severity needs a small gesture at most, and no "
                "loss was stated",
                ["rule.severity-levels", "rule.compensation-size"],
            ))
        else:
            reasons.append(Reason(
                f"{kind.replace('_', ' ')}: what restores the value lost in a "
                f"{triage.category.replace('_', ' ')}",
                ["rule.compensation-type-match"],
            ))
    return kind, reasons


def _size_and_delight(plan: CompensationPlan, incident: Incident, triage: Triage) -> None:
    """How much (a share of a money loss) and whether to aim past whole (the paradox gate)."""
    kind, loss = plan.type, incident.loss
    delight = kind != "attention" and paradox_gate(triage)
    if loss is not None and loss.is_money:
        share = AIM_HIGH if delight else AIM
        plan.amount = loss.amount * share
        plan.unit = loss.unit
        plan.share_of_loss = share
        plan.reasons.append(Reason(
            f"size {int(share * 100)}% of the {loss} lost: inside the 60-120% range where "
            "satisfaction rises most, far from the 150% ceiling",
            ["rule.compensation-size"],
        ))
    elif kind in ("refund", "service_credit"):
        plan.reasons.append(Reason(
            "size left as a fill-in: the loss is not known; aim for 60-120% of it, never above "
            "150% (pass --loss to have it computed)",
            ["rule.compensation-size"],
        ))
    if delight:
        plan.delight = True
        plan.reasons.append(Reason(
            "delight allowed: not severe, the customer's first failure, and a one-off cause",
            ["rule.paradox-gate"],
        ))
    elif kind != "attention":
        why = [f"severity is {triage.severity}"] if triage.severity not in ("low", "medium") else []
        if triage.repeated:
            why.append("it has happened before or looks systemic")
        plan.reasons.append(Reason(
            f"aim to make the customer whole, not to delight: {' and '.join(why)}",
            ["rule.paradox-gate"],
        ))


def _apply_cap(plan: CompensationPlan, cap: Loss, loss: Loss | None) -> None:
    if plan.amount is None or plan.unit != cap.unit:
        if plan.unit is None and plan.type in ("refund", "service_credit"):
            plan.reasons.append(Reason(
                f"policy cap {cap}: the fill-in amount must stay within it", ["policy"]
            ))
        elif plan.unit is not None:
            plan.reasons.append(Reason(
                f"policy cap {cap} is in another unit than the loss ({plan.unit}): check it by "
                "hand", ["policy"],
            ))
        return
    if plan.amount <= cap.amount:
        return
    plan.amount = cap.amount
    plan.capped = True
    plan.delight = False
    share = cap.amount / loss.amount if loss is not None else None
    plan.share_of_loss = share
    note = f"capped at {cap} by policy"
    if share is not None and share < AIM_LOW:
        note += (
            f": that is {int(share * 100)}% of the loss, below the 60% where compensation "
            "starts to satisfy; say so honestly and lean on the fix and the follow-up"
        )
    plan.reasons.append(Reason(note, ["policy", "rule.compensation-size"]))
