"""Compensation: what a draft offers, read from the text the customer will see, and whether it
fits the loss (service-recovery research, DOMAIN.md: money back for money lost, an exchange for a
faulty product, a redo or credit for a failed service, about 60-150% of the loss)."""

from __future__ import annotations

import re
from decimal import Decimal

from composer.checking.matching import any_match, hits
from composer.checking.phrases import OFFER_TYPES, Phrases
from composer.checking.report import COMP_SUGGESTIONS, Finding, Offer
from composer.language.money import Found, find_money
from composer.understand.reading import Reading

RANGE_LOW, RANGE_HIGH = Decimal("0.6"), Decimal("1.5")
_PERCENT = re.compile(r"(?P<num>\d{1,3}(?:[.,]\d+)?)\s?%|百分之(?P<zh>\d{1,3})")


def find_amounts(sentence: str) -> list[tuple[Decimal, str]]:
    """Money amounts with ISO currency, language-independent (the one money reader)."""
    return [(f.quantity.amount, f.quantity.unit) for f in find_money(sentence)]


def find_offers(sentences: list[str], phrases: Phrases) -> list[Offer]:
    """Compensation offers: one per sentence and type, with amounts and percents when given."""
    offers: list[Offer] = []
    for evidence in sentences:
        # "cancelled the job without refunding you", "400 EUR menos": no offer in those words
        sentence = evidence
        for pattern in phrases.table("not_an_offer"):
            sentence = pattern.sub(" ", sentence)
        money = find_money(sentence)
        amounts = [(f.quantity.amount, f.quantity.unit) for f in money]
        types = _offer_types(sentence, amounts, phrases)
        if types:
            given = [(f.quantity.amount, f.quantity.unit) for f in _not_owed(sentence, money,
                                                                             phrases)]
            offers += _priced(types, evidence, sentence, given, phrases)
    return offers


def _not_owed(sentence: str, money: list[Found], phrases: Phrases) -> list[Found]:
    """The amounts a sentence gives, without money that was owed anyway ("the claim payment
    of €3,850", "18,600元赔款": the pack's `owed_money`): paying a claim is not compensation."""
    spans = [m.span() for pattern in phrases.table("owed_money")
             for m in pattern.finditer(sentence)]
    owed = {f.quantity.amount for f in money if any(a <= f.start < b for a, b in spans)}
    return [f for f in money if f.quantity.amount not in owed]


def _offer_types(sentence: str, amounts: list[tuple[Decimal, str]], phrases: Phrases) -> list[str]:
    """The kinds of offer a sentence makes, in the order they are listed."""
    cues = phrases.table("offer_given")
    types = [t for t in OFFER_TYPES if any_match(phrases.offer_type(t), sentence)]
    # Money moved back is a refund unless the sentence is about a code or voucher
    # ("начислили промокод на 6000 рублей" is a voucher).
    moved = "voucher" not in types and any_match(phrases.table("money_back"), sentence)
    credit = any_match(phrases.table("service_credit"), sentence)
    if "voucher" in types and not credit and not any_match(cues, sentence):
        types.remove("voucher")  # a code or a sale mentioned, not given
    if credit and "voucher" not in types:
        types.append("voucher")
    if "upgrade" not in types and any_match(phrases.table("perks"), sentence) and (
        any_match(cues, sentence) or any_match(phrases.table("amends"), sentence)
    ):
        types.append("upgrade")  # a perk given: a card upgrade, lounge access, a data bundle
    if amounts and moved and "refund" not in types:
        types.insert(0, "refund")  # an amount credited, transferred or returned to them
    if not types and any_match(phrases.table("amends"), sentence):
        # Given in a form the type tables do not know ("tu próxima limpieza corre de
        # nuestra cuenta", "为表歉意…帆布袋"): enough to say something was offered.
        types = ["gift" if any_match(phrases.table("gift"), sentence) else "goodwill"]
    return types


def _priced(
    types: list[str], evidence: str, sentence: str, amounts: list[tuple[Decimal, str]],
    phrases: Phrases,
) -> list[Offer]:
    """One offer per type, with the sentence's amount or percent where they apply."""
    percents = [m.group("num") or m.group("zh") for m in _PERCENT.finditer(sentence)]
    full = any_match(phrases.table("full_refund"), sentence)
    delayed = any_match(phrases.table("for_later"), sentence)
    offers: list[Offer] = []
    for kind in types:
        offer = Offer(type=kind, evidence=evidence, delayed=delayed or kind == "voucher")
        if kind in ("refund", "voucher") and amounts:
            offer.amount = str(max(a for a, _ in amounts))
            offer.currency = amounts[0][1]
            offer.amounts = [str(a) for a in dict.fromkeys(a for a, _ in amounts)]
        if kind in ("refund", "voucher") and percents:
            offer.percent = percents[0].replace(",", ".")
        if kind == "refund" and full and not amounts and not percents:
            offer.percent = "100"
        offers.append(offer)
    return offers


def _offered_value(offers: list[Offer], loss_amount: Decimal, loss_unit: str,
                   problem: set[Decimal]) -> Decimal | None:
    """Total money value offered, comparable with the loss; None when it cannot be told.
    `problem` holds the amounts the draft names where it offers nothing: money the failure is
    about ("we paid your €1,240 claim seven weeks late"), which paying now does not compensate,
    unless it is the loss itself."""
    values: set[Decimal] = set()
    for offer in offers:
        if offer.type not in ("refund", "voucher"):
            continue
        if offer.amount is not None:
            if offer.currency and offer.currency != loss_unit:
                continue
            values.update(Decimal(a) for a in offer.amounts or [offer.amount])
        elif offer.percent is not None and offer.type == "refund":
            values.add(loss_amount * Decimal(offer.percent) / 100)
    values -= problem - {loss_amount}
    # A total restating the parts ("£312 ... together with £50 ... a payment of £362") once.
    if len(values) > 2:
        values = {v for v in values if v != sum(values - {v}, Decimal(0))}
    return sum(values, Decimal(0)) if values else None


def check_compensation(
    sentences: list[str], phrases: Phrases | None, reading: Reading | None,
    severity: str | None,
) -> tuple[list[Offer], list[Finding]]:
    """Compensation rules from service-recovery research (DOMAIN.md), per sentence.
    `phrases` is None for a language the checker does not support: amounts only."""
    findings: list[Finding] = []
    if phrases is None:
        return _numbers_only(sentences, reading)
    offers = find_offers(sentences, phrases)
    happier = hits(phrases.table("happier_promise"), sentences)
    if happier:
        findings.append(Finding("happier_promise", happier, COMP_SUGGESTIONS["happier_promise"]))
    if reading is None:
        return offers, findings
    return offers, findings + _against_incident(offers, reading, severity, phrases,
                                                 sentences)


def _against_incident(
    offers: list[Offer], reading: Reading, severity: str | None, phrases: Phrases,
    sentences: list[str],
) -> list[Finding]:
    """The offers judged against the incident: due at all, of the right type, in range."""
    findings: list[Finding] = []

    def add(name: str, evidence: list[str]) -> None:
        findings.append(Finding(name, evidence, COMP_SUGGESTIONS[name]))

    loss = reading.incident.loss
    if severity == "trivial":
        # Only money, credit, a voucher or a discount is compensation; the corrected promo
        # code or the right link is the fix itself.
        paid = [o.evidence for o in offers if o.type in ("refund", "voucher")]
        if paid:
            add("compensation_for_trivial", list(dict.fromkeys(paid)))
        return findings
    if not offers:
        # Due only for a stated loss (money or time); severity alone does not require it
        # (the security-notice template offers none).
        if loss is not None:
            add("compensation_missing", [])
        return findings
    wrong = _wrong_type(offers, reading, phrases)
    if wrong:
        add(wrong, list(dict.fromkeys(o.evidence for o in offers)))
    if loss is not None and loss.is_money:
        offering = {o.evidence for o in offers}
        problem = {a for s in sentences if s not in offering for a, unit in find_amounts(s)
                   if unit == loss.unit}
        value = _offered_value(offers, loss.amount, loss.unit, problem)
        if value is not None and not RANGE_LOW <= value / loss.amount <= RANGE_HIGH:
            ratio = int(value / loss.amount * 100)
            priced = [o.evidence for o in offers if o.amount or o.percent]
            findings.append(Finding(
                "compensation_out_of_range", list(dict.fromkeys(priced)),
                f"{COMP_SUGGESTIONS['compensation_out_of_range']} (offered ≈{ratio}% of "
                f"{loss})",
            ))
    return findings


def _wrong_type(offers: list[Offer], reading: Reading, phrases: Phrases) -> str | None:
    """The finding when the offers do not fit the kind of loss, else None."""
    types = {o.type for o in offers}
    loss = reading.incident.loss
    money_lost = loss is not None and loss.is_money
    time_lost = loss is not None and not loss.is_money
    faulty = reading.triage.faulty_goods
    credit = phrases.table("service_credit")
    known = types - {"goodwill"}  # an offer of unknown type is not judged on its type
    if money_lost and known and "refund" not in types:
        # Store value for later is a delayed voucher; free months or an extended subscription
        # (service credit), goods or perks (a card upgrade, lounge access, a data bundle) do not
        # give the money back at all.
        later = [o for o in offers if o.type == "voucher" and not any_match(credit, o.evidence)]
        only_later = later and known <= {"voucher"}
        return "delayed_voucher_only" if only_later else "compensation_wrong_type"
    if faulty and not loss and known and not types & {"exchange", "refund"}:
        return "compensation_wrong_type"
    if time_lost and known and known <= {"gift"}:
        return "compensation_wrong_type"  # goods do not give the time back
    if time_lost and types == {"voucher"} and not any(
        any_match(credit, o.evidence) for o in offers
    ):
        # Time lost on a failed service: credit the service or redo it. A discount on other
        # products or a future purchase does not give the time back (Roschk & Gelbrich 2014).
        return "compensation_wrong_type"
    return None


def _numbers_only(
    sentences: list[str], reading: Reading | None
) -> tuple[list[Offer], list[Finding]]:
    """Unsupported language: only money amounts can be compared with a known loss."""
    loss = reading.incident.loss if reading else None
    offers: list[Offer] = []
    for sentence in sentences:
        for amount, currency in find_amounts(sentence):
            offers.append(Offer("unknown", sentence, str(amount), currency))
    findings: list[Finding] = []
    if loss is not None and loss.is_money:
        comparable = [o for o in offers if o.currency == loss.unit]
        largest = max((Decimal(o.amount or 0) for o in comparable), default=Decimal(0))
        if largest > loss.amount * RANGE_HIGH:
            findings.append(Finding(
                "compensation_out_of_range", [o.evidence for o in comparable],
                COMP_SUGGESTIONS["compensation_out_of_range"],
            ))
    return offers, findings
