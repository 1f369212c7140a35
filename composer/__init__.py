"""Apology composer: grounded customer apology emails, checked against a research-based rubric."""

from __future__ import annotations

__version__ = "0.1.0"
