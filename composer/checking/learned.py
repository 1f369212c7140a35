"""The sentence model's part in a check: what it may add to the phrases, and the labels of every
sentence for `compose check --explain`.

The phrase tables stay first: they are exact, and they quote the words that matched. The model
adds what they miss, for the labels where that was measured to help on the calibration cases
(`compose eval check`) without costing precision; the others are shown but do not count.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from composer.checking.sentence_model import SentenceLabels, shipped_model
from composer.checking.similarity import SIGNAL
from composer.schema import FILL_IN

# The labels whose model hits count in the verdict (when over their counted threshold); for the
# rest, the phrases decide alone and the model's view is shown in --explain only. Placeholders
# and register are rules by nature (a slot is a string, a slip needs the whole draft); the
# conditional apology's phrases already catch every case in the calibration set, where the
# model added only false alarms ("sorry that ..., although ...").
COUNTED: frozenset[str] = frozenset({
    "regret", "impact", "explanation", "responsibility", "remedy",
    "non_apology", "blame_shifting", "passive_evasion", "trivializing", "over_promising",
    "boilerplate", "promise_without_date",
})
MAX_SENTENCES = 80
MAX_CHARS = 300


@dataclass
class Learned:
    """Per sentence, the model's probabilities and the labels at or over their thresholds."""

    sentences: list[SentenceLabels] = field(default_factory=list)

    def flagged(self, label: str) -> list[str]:
        """The sentences the model gives `label`, when that label counts."""
        if label not in COUNTED:
            return []
        return [s.text for s in self.sentences if label in s.counted]

    def likely(self, label: str) -> list[str]:
        """The sentences the model more likely than not gives `label` (its best-F1 threshold):
        enough to confirm a weak phrase cue, not to count alone."""
        return [s.text for s in self.sentences if label in s.labels]


def learn(sentences: list[str], notes: list[str]) -> Learned:
    """The model's labels for `sentences`; empty (with a note) when the model or the embedder
    is not there, so the phrases alone decide."""
    model = shipped_model()
    if model is None:
        notes.append("the sentence model is missing from the package; phrases only")
        return Learned()
    if not SIGNAL.ready():
        notes.append(f"sentence model unavailable ({SIGNAL.error}); phrases only")
        return Learned()
    texts = [s for s in sentences if len(s.strip()) >= 3][:MAX_SENTENCES]
    if not texts:
        return Learned()
    # A fill-in's words are the sender's to replace ("[[what we change so it does not happen
    # again]]" promises nothing): the model reads the sentence without them.
    read = [FILL_IN.sub("…", t)[:MAX_CHARS] for t in texts]
    try:
        vectors = SIGNAL.vectors(read)
    except Exception as exc:  # a broken model mid-run must not break the check
        notes.append(f"sentence model failed ({type(exc).__name__}); phrases only")
        return Learned()
    return Learned(model.label(texts, vectors, read))
