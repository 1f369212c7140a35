"""The optional LLM judge: a pinned model's view of the five rubric steps, cached on disk.

It is never the only signal. A step the patterns missed passes only when the judge says it is
there AND a sentence of the draft is close to that step's exemplars (a looser bar than the
embedding signal alone needs); a step the patterns found and the judge denies stays passed,
with a note. Verdicts are cached by a hash of the text, the rubric version and the model.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

from composer.backends.base import BackendError, JsonBackend
from composer.drafting.prompts import load_prompt
from composer.language.detect import LANGUAGE_NAMES

# A dated snapshot, so verdicts do not drift under a moving alias.
JUDGE_MODEL = "gpt-4o-mini-2024-07-18"
# Cosine similarity a sentence needs to back a judge's "present" (the embedding signal alone
# needs 0.91; see similarity.EMBED_THRESHOLDS). e5 similarities bunch between 0.78 and 0.97:
# at 0.85 a bland "This is about your account." backed a judge's "responsibility".
JUDGE_SUPPORT = 0.88


class StepVerdicts(BaseModel):
    regret: bool
    impact: bool
    explanation: bool
    responsibility: bool
    remedy: bool


@dataclass
class JudgeVerdict:
    model: str
    steps: dict[str, bool]
    cached: bool


class Judge:
    """Asks `backend` (pinned to one model) which rubric steps a draft has."""

    def __init__(self, backend: JsonBackend, cache_dir: Path | None = None) -> None:
        from platformdirs import user_cache_dir

        self.backend = backend
        self.cache_dir = cache_dir or Path(user_cache_dir("apology-composer")) / "judge"

    def _key(self, text: str, rubric_version: str) -> str:
        raw = f"{rubric_version}\n{self.backend.model}\n{text}".encode()
        return hashlib.sha256(raw).hexdigest()

    def __call__(self, text: str, language: str, rubric_version: str) -> JudgeVerdict:
        path = self.cache_dir / f"{self._key(text, rubric_version)}.json"
        if path.is_file():
            try:
                return JudgeVerdict(self.backend.model, json.loads(path.read_text()), True)
            except (OSError, json.JSONDecodeError):
                path.unlink(missing_ok=True)
        prompt = load_prompt("judge").render(
            language_name=LANGUAGE_NAMES.get(language, language), text=text
        )
        answer = self.backend.complete_json(
            [{"role": "user", "content": prompt}], StepVerdicts.model_json_schema()
        )
        try:
            verdicts = StepVerdicts.model_validate_json(answer).model_dump()
        except ValidationError as exc:
            raise BackendError(f"the judge's answer does not match its schema: {exc}") from exc
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(verdicts))
        tmp.replace(path)
        return JudgeVerdict(self.backend.model, verdicts, False)
