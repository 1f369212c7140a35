"""The library's front door: what a notebook user imports from `composer`."""

from __future__ import annotations

import pytest

import composer


def test_public_calls_are_importable_from_the_package(shipped_store):
    report = composer.check(
        "We apologize for any inconvenience.",
        composer.Incident("customer was charged twice", loss=composer.parse_loss("40 EUR")),
    )
    assert report.verdict == "needs_changes"
    assert "non_apology" in {finding.name for finding in report.anti_patterns}
    hits = composer.retrieve("cobro duplicado en la factura", k=3, store=shipped_store)
    assert len(hits) == 3 and hits[0].score >= hits[-1].score


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'compose_everything'"):
        composer.compose_everything  # noqa: B018
