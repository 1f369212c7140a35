"""The checker's sentence model and its newer checks: what a support lead sees in the report."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from typer.testing import CliRunner

from composer.checking.checker import check
from composer.checking.figures import figures, invented
from composer.checking.sentence_model import LABELS, SentenceModel, shipped_model
from composer.cli.app import app
from composer.evals import train_sentences as ts
from composer.evals.invented import plant
from composer.language import ngrams
from composer.pipeline import compose
from composer.understand.incident import Incident


def names(report) -> set[str]:
    return {f.name for f in report.anti_patterns}


# --- the model ---------------------------------------------------------------------------------


def test_the_shipped_model_was_trained_on_the_bank_in_the_tree():
    """A bank edit leaves the model stale: `compose kb train-checker` rebuilds it."""
    model = shipped_model()
    assert model is not None
    assert model.meta["bank"]["sha256"] == ts.load_bank().fingerprint, \
        "evals/sentences changed since the model was trained: run `compose kb train-checker`"
    assert model.labels == LABELS
    figures_ = model.meta["figures"]["by_document_cv_counted"]["all"]
    counted = [name for name, t in model.meta["counted_thresholds"].items() if t is not None]
    # Every label that counts in a verdict met the checker's precision target out of fold.
    floor = {name: ts.precision_floor(name) for name in counted}
    low = {name: figures_[name]["precision"] for name in counted
           if figures_[name]["precision"] < floor[name]}
    assert counted and not low, f"counted below their precision target: {low}"


def test_a_paraphrase_no_phrase_lists_is_caught_by_the_model():
    report = check("Rest assured, nothing like this will ever happen to you again.",
                   language="en")
    assert "over_promising" in names(report)
    label = next(lab for view in report.sentences for lab in view.labels
                 if lab.name == "over_promising")
    assert label.by == "model" and label.confidence >= 0.9
    report = check("We promise this will never, ever happen to a customer of ours again.",
                   language="en")
    assert "over_promising" in names(report)


def test_without_the_model_the_phrases_still_decide(monkeypatch):
    import composer.checking.learned as learned

    monkeypatch.setattr(learned, "shipped_model", lambda: None)
    report = check("Rest assured, nothing like this will ever happen to you again.",
                   language="en")
    assert "over_promising" not in names(report)
    assert any("sentence model is missing" in note for note in report.notes)


def test_ngram_columns_are_the_same_in_every_process():
    """The shipped weights are indexed by these columns: a process that hashed differently
    would read every sentence wrong (CRC-32, not Python's salted hash())."""
    text = "Ci scusiamo: un piccolo inconveniente, 小问题"
    code = ("from composer.language import ngrams; "
            f"print([int(c) for c in ngrams.rows([{text!r}])[0].columns])")
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2")}
    assert len(seen) == 1
    row = ngrams.rows([text])[0]
    assert seen.pop().strip() == str([int(c) for c in row.columns])
    assert abs(float(row.values @ row.values) - 1.0) < 1e-9  # a unit row, however long the text


def test_training_without_scipy_says_which_extra_to_install(monkeypatch):
    from composer.errors import ComposerError

    monkeypatch.setitem(sys.modules, "scipy", None)  # as if it were not installed
    with pytest.raises(ComposerError, match=r"apology-composer\[train\]"):
        ngrams.as_csr(ngrams.rows(["a sentence"]))


def test_a_model_file_with_mismatched_ngram_weights_is_refused(tmp_path):
    model = shipped_model()
    assert model is not None and model.gram_weight is not None  # the shipped model reads words
    path = tmp_path / "m.npz"
    np.savez(path, weight=model.weight, bias=model.bias, ngram_weight=model.gram_weight[:, :10],
             idf=model.idf)
    path.with_suffix(".json").write_text(json.dumps(model.meta), encoding="utf-8")
    with pytest.raises(ValueError, match="n-gram weights"):
        SentenceModel.load(path)


@pytest.mark.parametrize("lang,passive,owned", [
    ("es", "Hola Ana, sobre su pedido. Se ha producido un error en el sistema de pagos y el cargo "
           "se duplicó. Le devolvemos el importe hoy.", " El error fue nuestro."),
    ("ru", "Здравствуйте, Ирина. Произошла ошибка, и платёж был списан дважды. Деньги вернутся "
           "сегодня.", " Это наша ошибка."),
    ("zh", "您好。系统出现了问题，您的订单被重复扣款。今天会退款。", "这是我们的错。"),
    ("it", "Gentile cliente, si è verificato un errore e il pagamento è stato addebitato due "
           "volte. Il rimborso arriva oggi.", " L'errore è nostro."),
])
def test_passive_voice_evades_only_where_nobody_owns_the_fault(lang, passive, owned):
    """"An error occurred" with no one owning it is passive evasion; the same sentence in a draft
    that says the error is ours is a plain fact."""
    assert "passive_evasion" in names(check(passive, language=lang))
    assert "passive_evasion" not in names(check(passive + owned, language=lang))


def test_folds_never_split_a_document():
    docs = np.array(["en:a", "en:a", "en:b", "it:c", "it:c", "it:c"])
    folds = ts.doc_folds(docs)
    for doc in set(docs):
        assert len(set(folds[docs == doc])) == 1


def test_training_on_a_small_bank_writes_a_model_that_loads(tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    docs = []
    for i in range(10):
        docs.append({"doc": f"d{i}", "register": ["formal", "chatty"][i % 2], "sentences": [
            {"text": f"We are so sorry we lost parcel {i}.", "steps": ["regret"], "anti": []},
            {"text": f"Thanks for your patience with order {i}!", "steps": [],
             "anti": ["non_apology"]},
            {"text": f"The courier is to blame for delay {i}.", "steps": [],
             "anti": ["blame_shifting"]},
        ]})
    (bank / "en.yaml").write_text(json.dumps(docs), encoding="utf-8")
    report = ts.train(bank, tmp_path / "m.npz", cache_dir=tmp_path / "cache")
    model = SentenceModel.load(tmp_path / "m.npz")
    assert model.weight.shape == (len(LABELS), 384)
    assert report.meta["bank"]["documents"] == 10
    assert set(report.meta["figures"]["leave_one_register_out"]) == set(LABELS)


# --- newer checks -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang,text", [
    ("it", "Gentile signora Bianchi, La ringraziamo per la segnalazione. "
           "Ti rimborsiamo subito i 40 euro."),
    ("es", "Estimada señora López, le escribimos por su pedido. Te devolvemos el dinero hoy."),
    ("ru", "Уважаемая Ирина, приносим Вам извинения. Мы вернём тебе деньги сегодня."),
    ("zh", "您好，我们非常抱歉。你的退款今天会到账。"),
    ("de", "Sehr geehrte Frau Keller, wir entschuldigen uns bei Ihnen. Wir erstatten dir heute "
           "den Betrag."),
    ("en", "Dear Mr Patel, we are sorry for the failed transfer. No worries mate, it's sorted."),
])
def test_a_slip_of_register_is_named_with_the_sentence(lang, text):
    report = check(text, language=lang)
    assert "register_mixed" in names(report)


@pytest.mark.parametrize("lang,text", [
    ("it", "Ciao Marco, ci dispiace tanto: il tuo ordine è partito in ritardo per colpa nostra. "
           "Ti rimborsiamo la spedizione oggi."),
    ("es", "Hola Ana, sentimos mucho el retraso de tu pedido. Te devolvemos el envío hoy."),
    ("zh", "你好，真抱歉，你的订单发晚了，是我们的错。今天给你退运费。"),
    ("it", "Gentile signora Bianchi, La ringraziamo: il rimborso Le arriverà il 3 marzo. "
           "Sono passati sei giorni, lo sappiamo."),
])
def test_one_register_throughout_is_not_a_slip(lang, text):
    assert "register_mixed" not in names(check(text, language=lang))


def test_a_promise_with_no_time_is_flagged_and_a_dated_one_is_not():
    vague = check("We will get back to you soon about the refund.", language="en")
    assert "promise_without_date" in names(vague)
    for dated in ("We will get back to you by Friday about the refund.",
                  "We will get back to you within two days about the refund.",
                  "We will get back to you on [[date]] about the refund."):
        assert "promise_without_date" not in names(check(dated, language="en")), dated
    assert "promise_without_date" in names(check("Ti faremo sapere a breve.", language="it"))
    assert "promise_without_date" not in names(check("A presto,", language="it"))


def test_filler_is_boilerplate_in_every_language():
    for lang, text in (("en", "I hope this email finds you well."),
                       ("it", "La ringraziamo per la fiducia."),
                       ("zh", "感谢您一直以来的支持。"),
                       ("ru", "Благодарим Вас за то, что пользуетесь нашими услугами.")):
        assert "boilerplate" in names(check(text, language=lang)), text
    assert "boilerplate" not in names(check("尊敬的客户：", language="zh"))


def test_a_paragraph_in_another_language_is_flagged():
    text = ("Gentile signora Bianchi,\n\nci scusiamo davvero per il ritardo della consegna del "
            "Suo ordine: è stato un nostro errore di magazzino.\n\nWe have refunded the shipping "
            "cost and your parcel will arrive tomorrow morning, thanks for your patience.\n")
    report = check(text, language="it")
    finding = next(f for f in report.anti_patterns if f.name == "wrong_language_span")
    assert finding.evidence == ["We have refunded the shipping cost and your parcel will arrive "
                                "tomorrow morning, thanks for your patience."]
    only_italian = text.split("\n\nWe have")[0]
    assert "wrong_language_span" not in names(check(only_italian, language="it"))


# --- invented_fact ----------------------------------------------------------------------------


def test_figures_are_one_value_in_any_locale():
    assert figures("2,400.50") & figures("2.400,50") & figures("2 400,50")
    assert "55812" in figures("ordine IT-55812")
    assert not figures("[[importo]] e [[data]]")


def test_a_wrong_amount_is_an_invented_fact_and_the_right_one_is_not():
    incident = Incident(text="Customer charged twice, 149 EUR, order 55812")
    wrong = check("We refunded the 180 EUR you were charged twice on order 55812.", incident,
                  known=[])
    assert "invented_fact" in names(wrong)
    right = check("We refunded the 149 EUR you were charged twice on order 55812.", incident,
                  known=[])
    assert "invented_fact" not in names(right)
    # A person's own draft may know more than the one-line incident: not checked unless asked.
    assert "invented_fact" not in names(check(
        "We refunded the 180 EUR you were charged twice.", incident))
    assert invented(["A fill-in [[amount 99]] is not a figure."], []) == []


def test_a_composed_draft_invents_nothing_and_a_changed_figure_is_caught():
    draft = compose("Customer Dana Whitfield was charged twice for order 55812: 149 EUR each "
                    "time; refund the duplicate", progress=False)
    assert "invented_fact" not in names(draft.report)
    planted = plant(draft.body)
    assert planted is not None and planted != draft.body
    report = check(planted, draft.reading, language=draft.language, known=draft.known)
    assert "invented_fact" in names(report)


# --- what a person sees -----------------------------------------------------------------------


def test_explain_shows_each_sentence_with_its_labels_and_json_carries_them(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text("Dear Mr Patel,\nSorry for any inconvenience. We will be in touch soon.\n",
                    encoding="utf-8")
    runner = CliRunner()
    shown = runner.invoke(app, ["check", str(path), "--explain"])
    assert shown.exit_code == 1
    assert "sentence by sentence" in shown.output
    assert "promise_without_date" in shown.output and "non_apology" in shown.output
    as_json = runner.invoke(app, ["check", str(path), "--json"])
    data = json.loads(as_json.output)
    promise = next(s for s in data["sentences"] if s["text"] == "We will be in touch soon.")
    assert {lab["name"] for lab in promise["labels"]} == {"promise_without_date"}
    assert all(lab["by"] in ("phrases", "model") for lab in promise["labels"])


def test_the_notebook_view_is_a_table_of_sentences():
    report = check("Sorry for any inconvenience. We will be in touch soon.", language="en")
    html = report._repr_html_()
    assert "<table>" in html and 'scope="col"' in html and "promise_without_date" in html


def test_the_revise_loop_is_told_which_sentence_to_change():
    report = check("Sorry for any inconvenience. We will be in touch soon.", language="en")
    item = next(i for i in report.failed_items() if i.startswith("promise_without_date"))
    assert 'Change: "We will be in touch soon."' in item


@pytest.mark.parametrize("note,formal_word", [
    ("mandamos un reembolso de 3.200 € a la cuenta bancaria de otra persona y el cliente tenía "
     "que pagar la entrada del piso el viernes", "usted"),
    ("da tre giorni un cliente ci segnala un errore al checkout e non riusciamo a riprodurlo",
     "Lei"),
])
def test_an_informal_draft_never_quotes_the_note_in_formal_address(note, formal_word):
    """The note's "el cliente" would become "usted" in a tú draft: the quote is left out."""
    draft = compose(note, progress=False)
    assert "register_mixed" not in names(draft.report)
    assert formal_word not in draft.body.split()
