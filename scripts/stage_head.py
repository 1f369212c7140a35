"""Would a learned stage help where no stage phrase decides? Measured on the corpus, each
incident predicted by a head fitted without its writing style (never the blind set): the
phrases alone (else "investigating", what the pipeline does) against the phrases, then a softmax
head over the e5 vector and the character n-grams.

    python scripts/stage_head.py          # one line per setting

Needs the `train` extra (scipy); a few minutes on two cores. Session 16's result, in the README:
accuracy 0.620 -> at best 0.647, but the head's "resolved" is right only about half the time.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from composer.evals import train_triage as tt  # noqa: E402
from composer.evals.softmax import fit_softmax  # noqa: E402
from composer.evals.triage_corpus import load_corpus  # noqa: E402
from composer.language import ngrams  # noqa: E402
from composer.understand.triage import STAGES, stage_phrase  # noqa: E402

SAID = {"open": "investigating", "over": "resolved", "told_as_over": "resolved"}


def main() -> None:
    items = load_corpus()
    texts = [it.text for it in items]
    idf = ngrams.document_frequency_idf([t.strip() for t in texts])
    features = tt.Features.of(tt.embed_texts(texts), texts, idf)  # as `compose kb train` reads
    dim = features.vectors.shape[1]
    truth = np.array([it.stage for it in items])
    styles = np.array([it.style for it in items])
    said = np.array([SAID.get(stage_phrase(it.text) or "", "") for it in items])
    targets = np.eye(len(STAGES))[[STAGES.index(s) for s in truth]]

    def report(name: str, pred: np.ndarray) -> None:
        hit = (pred == "resolved") & (truth == "resolved")
        print(f"{name:32s} accuracy {np.mean(pred == truth):.3f}  'resolved' right "
              f"{hit.sum() / max(1, (pred == 'resolved').sum()):.2f}, found "
              f"{hit.sum() / (truth == 'resolved').sum():.2f}")

    report("phrases, else investigating", np.where(said == "", "investigating", said))
    for c in (0.01, 0.1, 1.0):
        for weight in (0, 10, 30):
            proba = np.zeros((len(items), len(STAGES)))
            for style in sorted(set(styles)):
                test = styles == style
                train = features[~test]
                w, b = fit_softmax(train.vectors, targets[~test], c,
                                   extra=train.grams * weight if weight else None)
                if weight:  # the n-gram scale folded in, as train_triage.fit_head does
                    w = np.concatenate([w[:, :dim], w[:, dim:] * weight], axis=1)
                proba[test] = tt.head_proba(w, b, features[test])
            head = np.array(STAGES)[proba.argmax(axis=1)]
            report(f"phrases, then head C={c} n-grams x{weight}", np.where(said == "", head, said))


if __name__ == "__main__":
    main()
