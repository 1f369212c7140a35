"""Canned answers for tests and demos; never the default."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from composer.backends.base import BackendError, Request, parse_email
from composer.schema import EmailOut


class FakeBackend:
    """Answers from a list, for tests and demos: JSON strings, dicts, EmailOut, or exceptions."""

    name = "fake"
    model = "fake"

    def __init__(self, answers: Iterable[str | dict | EmailOut | Exception]) -> None:
        self.answers = list(answers)
        self.requests: list[Request] = []

    def generate(self, request: Request) -> EmailOut:
        self.requests.append(request)
        answer = self._next()
        if isinstance(answer, EmailOut):
            return answer
        return parse_email(answer if isinstance(answer, str) else json.dumps(answer))

    def complete_json(self, messages: list[dict[str, str]], schema: dict[str, Any]) -> str:
        self.requests.append(Request("judge", messages, None, schema))  # type: ignore[arg-type]
        answer = self._next()
        if isinstance(answer, EmailOut):
            return answer.model_dump_json()
        return answer if isinstance(answer, str) else json.dumps(answer)

    def _next(self) -> str | dict | EmailOut:
        if not self.answers:
            raise BackendError("the fake backend has no answers left")
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


