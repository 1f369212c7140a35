"""Reports on eval-suite results: one offline HTML file and a markdown summary (run-to-run diffs
are in `composer.evals.compare`).

Everything works on the plain result dict that `compose eval run` produces (and saves with
`--json OUT`), so a saved run can be reported on or compared later without re-running anything:

    result = load_result("run.json")
    Path("report.html").write_text(render_html(result), encoding="utf-8")
    print(render_markdown(result))

The functions tolerate missing keys (older runs, a null gate, error cases without an email): a
value that is not there shows as "–" rather than failing the report.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from composer.language.detect import LANGUAGE_NAMES
from composer.schema import FILL_IN

STEPS = ("regret", "impact", "explanation", "responsibility", "remedy")
STATUSES = ("error", "fail", "pass")


@dataclass(frozen=True)
class Metric:
    """A scorecard number: where it lives, how to show it, and which way is better."""

    key: str  # dotted path into the scorecard, e.g. "steps.regret" or "languages.en.pass_rate"
    label: str
    kind: str  # rate | count | float | ms | tokens | usd
    lower_is_better: bool = False


HEADLINE = (
    Metric("pass_rate", "pass rate", "rate"),
    Metric("errors", "errors", "count", lower_is_better=True),
    Metric("compensation_appropriate", "compensation appropriate", "rate"),
    Metric("anti_pattern_rate", "anti-pattern rate", "rate", lower_is_better=True),
    Metric("triage_accuracy", "triage accuracy", "rate"),
    Metric("triage.apologize", "triage: apologize", "rate"),
    Metric("triage.category", "triage: category", "rate"),
    Metric("triage.severity", "triage: severity", "rate"),
    Metric("language_correct", "language correct", "rate"),
    Metric("fill_ins_per_draft", "fill-ins per draft", "float", lower_is_better=True),
    Metric("latency_ms.p50", "latency p50", "ms", lower_is_better=True),
    Metric("latency_ms.p95", "latency p95", "ms", lower_is_better=True),
    Metric("tokens.in", "tokens in", "tokens", lower_is_better=True),
    Metric("tokens.out", "tokens out", "tokens", lower_is_better=True),
    Metric("cost.usd", "cost (USD)", "usd", lower_is_better=True),
)


# ----------------------------------------------------------------------------- shared helpers


def load_result(path: str | Path) -> dict[str, Any]:
    """Read a result saved by `compose eval run --json OUT`."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _get(data: Any, key: str) -> Any:
    """A dotted lookup, None for anything missing, so old or partial runs still report."""
    for part in key.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def metric_value(scorecard: dict[str, Any], metric: Metric) -> float | None:
    """The metric's number, or None when absent; an unpriced cost is unknown, not free."""
    if metric.key == "cost.usd" and (scorecard.get("cost") or {}).get("priced") is False:
        return None
    value = _get(scorecard, metric.key)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def fmt_value(value: float | None, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "rate":
        return f"{value * 100:.1f}%"
    if kind in ("count", "tokens"):
        return f"{round(value):,}"
    if kind == "ms":
        return f"{value:,.0f} ms"
    if kind == "usd":
        return f"${value:,.4f}" if 0 < value < 1 else f"${value:,.2f}"
    return f"{value:.2f}"


def fmt_delta(delta: float | None, kind: str) -> str:
    if delta is None:
        return "–"
    sign = "+" if delta > 0 else "−" if delta < 0 else "±"
    size = abs(delta)
    if kind == "rate":
        return f"{sign}{size * 100:.1f} pp"
    if kind in ("count", "tokens"):
        return f"{sign}{round(size):,}"
    if kind == "ms":
        return f"{sign}{size:,.0f} ms"
    if kind == "usd":
        return f"{sign}${size:,.4f}"
    return f"{sign}{size:.2f}"


def steps_of(scorecard: dict[str, Any]) -> list[str]:
    """Steps in rubric order, then any the scorecard has that this module does not know yet."""
    present = list((scorecard.get("steps") or {}).keys())
    for lang in (scorecard.get("languages") or {}).values():
        present += [s for s in (lang.get("steps") or {}) if s not in present]
    return [s for s in STEPS if s in present] + [s for s in present if s not in STEPS]


def languages_of(scorecard: dict[str, Any]) -> list[str]:
    """Languages in the scorecard's own order (the suite lists supported languages first)."""
    return list((scorecard.get("languages") or {}).keys())


def _lang_label(code: str) -> str:
    name = LANGUAGE_NAMES.get(code)
    return f"{code} · {name}" if name else code


def _case_sort_key(case: dict[str, Any]) -> int:
    status = case.get("status")
    return STATUSES.index(status) if status in STATUSES else 0


def _compensation_text(case: dict[str, Any]) -> str:
    comp = case.get("compensation")
    if not isinstance(comp, dict) or not comp.get("type"):
        return "–"
    amount = " ".join(str(comp[k]) for k in ("amount", "unit") if comp.get(k) not in (None, ""))
    return f"{comp['type']} {amount}".strip()


def _gate_checks(scorecard: dict[str, Any]) -> list[dict[str, Any]]:
    gate = scorecard.get("gate")
    return list(gate.get("checks") or []) if isinstance(gate, dict) else []


def _gate_thresholds(scorecard: dict[str, Any]) -> dict[str, float]:
    """Metric key -> gate threshold, to mark the bar charts where the gate sits."""
    found: dict[str, float] = {}
    for check in _gate_checks(scorecard):
        if isinstance(check.get("threshold"), (int, float)) and check.get("metric"):
            found[str(check["metric"])] = float(check["threshold"])
    return found


def _check_text(check: dict[str, Any]) -> str:
    kind = _kind_for_key(str(check.get("metric", "")))
    threshold, value = check.get("threshold"), check.get("value")
    return (f"{check.get('metric')} {check.get('op', '')} {fmt_value(threshold, kind)} "
            f"(got {fmt_value(value, kind) if isinstance(value, (int, float)) else '–'})")


def _kind_for_key(key: str) -> str:
    for metric in HEADLINE:
        if metric.key == key:
            return metric.kind
    if key in ("passed", "cases", "errors"):
        return "count"
    return "rate"  # steps.*, languages.*.pass_rate and other fractions


# ----------------------------------------------------------------------------- HTML

_CSS = """
:root{--fg:#1d2330;--muted:#667085;--line:#e4e7ec;--bg:#f6f7f9;--card:#fff;--ok:#12805c;
--ok-bg:#e3f5ec;--bad:#c0362c;--bad-bg:#fdecea;--warn:#a15c07;--warn-bg:#fdf3e1;--acc:#3b5bdb}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,
"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","PingFang SC","Microsoft YaHei",sans-serif}
main{max-width:1320px;margin:0 auto;padding:28px 28px 60px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:15px;margin:0 0 12px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.meta{display:flex;flex-wrap:wrap;gap:6px 18px;color:var(--muted);margin-bottom:18px}
.meta b{color:var(--fg);font-weight:600}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:18px 20px;
margin-bottom:18px}
.gate{display:flex;align-items:flex-start;gap:16px;padding:14px 18px}
.gate .badge{font-weight:700;font-size:15px;padding:6px 14px;border-radius:6px;white-space:nowrap}
.gate.ok{border-color:#b7e3cd;background:var(--ok-bg)}
.gate.ok .badge{background:var(--ok);color:#fff}
.gate.bad{border-color:#f3c2bd;background:var(--bad-bg)}
.gate.bad .badge{background:var(--bad);color:#fff}
.gate.none .badge{background:#98a2b3;color:#fff}
.gate ul{margin:4px 0 0;padding-left:18px}
.gate details{margin-top:6px}
.gate summary{cursor:pointer;color:var(--muted)}
.cards{display:grid;grid-template-columns:repeat(5,minmax(0,1fr));gap:12px}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 14px;background:#fcfcfd}
.card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card .v{font-size:24px;font-weight:650;margin-top:2px;font-variant-numeric:tabular-nums}
.card .s{color:var(--muted);font-size:12px}
.card.hero{border-left:4px solid var(--acc)}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:18px}
.charts>div{min-width:0}
.charts h3,.matrix h3{font-size:13px;margin:0 0 6px;color:var(--fg)}
svg text{font:12px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:#344054}
table.grid{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
table.grid th,table.grid td{border:1px solid var(--line);padding:6px 10px;text-align:center}
table.grid th{background:#f9fafb;font-weight:600;font-size:12.5px}
table.grid td.l,table.grid th.l{text-align:left}
table.grid tr.all td{font-weight:650}
.filters{display:flex;gap:8px;margin:0 0 12px}
input[name=f]{display:none}
.filters label{border:1px solid var(--line);border-radius:999px;padding:3px 12px;cursor:pointer;
color:var(--muted);background:#fff;user-select:none}
#f-all:checked~.filters label[for=f-all],#f-bad:checked~.filters label[for=f-bad],
#f-err:checked~.filters label[for=f-err],#f-pass:checked~.filters label[for=f-pass]
{background:var(--fg);color:#fff;border-color:var(--fg)}
#f-bad:checked~.cases .case.st-pass,#f-err:checked~.cases .case:not(.st-error),
#f-pass:checked~.cases .case:not(.st-pass){display:none}
.row{display:grid;grid-template-columns:62px minmax(200px,1.6fr) 40px 80px minmax(110px,1fr)
72px minmax(100px,.9fr) 140px minmax(180px,2fr);gap:10px;align-items:center;padding:7px 10px}
.head{font-size:12px;font-weight:600;color:var(--muted);text-transform:uppercase;
letter-spacing:.03em;border-bottom:1px solid var(--line)}
.case{border-bottom:1px solid var(--line)}
.case>summary{list-style:none;cursor:pointer}
.case>summary::-webkit-details-marker{display:none}
.case>summary:hover{background:#f9fafb}
.case[open]>summary{background:#f2f4f7}
.row>span{min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.row .id{white-space:normal;overflow-wrap:anywhere}
.row .fails{white-space:normal;color:var(--bad);font-size:12.5px}
.row .id::before{content:"▸";color:var(--muted);display:inline-block;width:14px}
.case[open] .row .id::before{content:"▾"}
.pill{display:inline-block;padding:1px 8px;border-radius:999px;font-size:11.5px;font-weight:650;
text-transform:uppercase;letter-spacing:.03em}
.pill.pass{background:var(--ok-bg);color:var(--ok)}
.pill.fail{background:var(--bad-bg);color:var(--bad)}
.pill.error{background:#3a1d1b;color:#fff}
.sev-high,.sev-critical{color:var(--bad);font-weight:600}
.sev-medium{color:var(--warn);font-weight:600}
.sev-low,.sev-trivial{color:var(--muted)}
.muted{color:var(--muted)}
.detail{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1.25fr);gap:20px;
padding:12px 16px 18px 34px;background:#fcfcfd}
.detail h4{margin:12px 0 4px;font-size:12px;text-transform:uppercase;letter-spacing:.04em;
color:var(--muted)}
.detail h4:first-child{margin-top:0}
.incident{margin:0;padding:8px 12px;border-left:3px solid var(--acc);background:#f3f5ff;
white-space:pre-wrap;overflow-wrap:anywhere}
.email{border:1px solid var(--line);border-radius:8px;background:#fff;overflow:hidden}
.email .subj{padding:8px 12px;border-bottom:1px solid var(--line);font-weight:600;
background:#f9fafb}
.email pre,.advice{margin:0;padding:12px;white-space:pre-wrap;overflow-wrap:anywhere;
font:13.5px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,Arial,"Noto Sans","PingFang SC",
sans-serif}
mark{background:#fff3bf;color:inherit;border-radius:3px;padding:0 2px}
.advice{border:1px dashed #98a2b3;border-radius:8px;background:#fff}
.errbox{grid-column:1/-1;padding:10px 12px;border-radius:8px;background:var(--bad-bg);
color:var(--bad);font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;
white-space:pre-wrap;overflow-wrap:anywhere}
.chips{display:flex;flex-wrap:wrap;gap:5px}
.chip{border-radius:5px;padding:1px 7px;font-size:12px;background:#f2f4f7;
border:1px solid var(--line)}
.chip.y{background:var(--ok-bg);border-color:#b7e3cd;color:var(--ok)}
.chip.n{background:var(--bad-bg);border-color:#f3c2bd;color:var(--bad)}
ul.tight{margin:0;padding-left:18px}
ul.tight.bad li{color:var(--bad)}
dl.kv{display:grid;grid-template-columns:auto 1fr;gap:2px 12px;margin:0}
dl.kv dt{color:var(--muted)}
dl.kv dd{margin:0}
footer{color:var(--muted);font-size:12px;text-align:center}
@media (max-width:900px){.charts,.detail{grid-template-columns:1fr}
.cards{grid-template-columns:repeat(2,minmax(0,1fr))}
.row{grid-template-columns:62px 1fr 42px 1fr}.row>span:nth-child(n+5){display:none}}
"""


def _e(value: Any) -> str:
    """Escape for HTML text and attributes; the cases carry customer-written text."""
    return html.escape("" if value is None else str(value), quote=True)


def _mark_fill_ins(escaped: str) -> str:
    """Highlight [[placeholders]] in already-escaped text: they must be filled before sending."""
    return FILL_IN.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)


def _hue(value: float) -> float:
    """Red below 50%, through amber, to green at 100%: the range where pass rates actually live."""
    return max(0.0, min(1.0, (value - 0.5) / 0.5)) * 130


def _heat_style(value: float | None) -> str:
    if value is None:
        return "background:#f2f4f7;color:#98a2b3"
    return f"background:hsl({_hue(value):.0f},70%,88%);color:hsl({_hue(value):.0f},60%,22%)"


def _bar_chart(rows: list[tuple[str, float | None, str, float | None]], title: str) -> str:
    """Horizontal bars (label, value 0..1, tooltip, gate threshold) as inline SVG."""
    label_w, bar_w, value_w, row_h = 132, 300, 58, 26
    width, height = label_w + bar_w + value_w, row_h * max(len(rows), 1) + 22
    parts = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{_e(title)}">']
    for i, (label, value, tip, threshold) in enumerate(rows):
        y = i * row_h + 4
        parts.append(f"<g><title>{_e(tip)}</title>")
        parts.append(f'<text x="{label_w - 8}" y="{y + 13}" text-anchor="end">{_e(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{bar_w}" height="18" rx="3" '
                     'fill="#f2f4f7"/>')
        if value is not None:
            fill = f"hsl({_hue(value):.0f},55%,48%)"
            w = max(0.0, min(1.0, value)) * bar_w
            parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="18" rx="3" '
                         f'fill="{fill}"/>')
        if threshold is not None:
            x = label_w + max(0.0, min(1.0, threshold)) * bar_w
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y - 3}" y2="{y + 21}" '
                         'stroke="#1d2330" stroke-width="1.5" stroke-dasharray="3 2"/>')
        parts.append(f'<text x="{label_w + bar_w + 8}" y="{y + 13}" font-weight="600">'
                     f'{_e(fmt_value(value, "rate"))}</text></g>')
    # axis ticks at 0/50/100%
    axis_y = len(rows) * row_h + 16
    for frac in (0, 0.5, 1.0):
        x = label_w + frac * bar_w
        anchor = "start" if frac == 0 else "end" if frac == 1 else "middle"
        parts.append(f'<text x="{x:.1f}" y="{axis_y}" text-anchor="{anchor}" '
                     f'style="fill:#98a2b3;font-size:10.5px">{frac * 100:.0f}%</text>')
    parts.append("</svg>")
    return "".join(parts)


def _card(label: str, value: str, sub: str = "", hero: bool = False) -> str:
    cls = "card hero" if hero else "card"
    sub_html = f'<div class="s">{sub}</div>' if sub else ""
    return (f'<div class="{cls}"><div class="k">{_e(label)}</div><div class="v">{_e(value)}</div>'
            f"{sub_html}</div>")


def _html_cards(sc: dict[str, Any]) -> str:
    def v(key: str) -> float | None:
        return metric_value(sc, next(m for m in HEADLINE if m.key == key))

    cost = sc.get("cost") or {}
    triage = sc.get("triage") or {}
    triage_sub = " · ".join(f"{k} {fmt_value(triage.get(k), 'rate')}" for k in
                            ("apologize", "category", "severity") if k in triage)
    if cost.get("priced") is False:
        cost_value, cost_sub = "not priced", _e(cost.get("model") or "")
    else:
        cost_value = fmt_value(v("cost.usd"), "usd")
        cost_sub = _e(f"${cost.get('price_in_per_1m', 0)}/${cost.get('price_out_per_1m', 0)} per 1M"
                      if cost else "")
    cards = [
        _card("pass rate", fmt_value(v("pass_rate"), "rate"),
              _e(f"{sc.get('passed', '–')} of {sc.get('cases', '–')} cases passed"), hero=True),
        _card("errors", fmt_value(v("errors"), "count"), "cases without a result"),
        _card("compensation ok", fmt_value(v("compensation_appropriate"), "rate"),
              "offer fits the loss"),
        _card("anti-patterns", fmt_value(v("anti_pattern_rate"), "rate"),
              "of drafts (lower is better)"),
        _card("triage accuracy", fmt_value(v("triage_accuracy"), "rate"), _e(triage_sub)),
        _card("language correct", fmt_value(v("language_correct"), "rate"),
              "reply in the case language"),
        _card("fill-ins / draft", fmt_value(v("fill_ins_per_draft"), "float"),
              "[[placeholders]] left"),
        _card("latency p50", fmt_value(v("latency_ms.p50"), "ms"),
              _e(f"p95 {fmt_value(v('latency_ms.p95'), 'ms')}")),
        _card("tokens",
              f"{fmt_value(v('tokens.in'), 'tokens')} / {fmt_value(v('tokens.out'), 'tokens')}",
              "in / out"),
        _card("cost", cost_value, cost_sub),
    ]
    return '<section><h2>Scorecard</h2><div class="cards">' + "".join(cards) + "</div></section>"


def _html_gate(sc: dict[str, Any]) -> str:
    gate = sc.get("gate")
    if not isinstance(gate, dict):
        return ('<section class="gate none"><span class="badge">NO GATE</span>'
                '<div class="muted">No thresholds were given for this run.</div></section>')
    checks = _gate_checks(sc)
    failing = [c for c in checks if not c.get("passed")]
    ok = bool(gate.get("passed"))
    body = (f"<div><b>{len(checks) - len(failing)} of {len(checks)} checks passed.</b>")
    if failing:
        body += '<ul>' + "".join(f"<li><code>{_e(_check_text(c))}</code></li>"
                                 for c in failing) + "</ul>"
    if checks:
        rows = "".join(
            f'<tr><td class="l"><code>{_e(c.get("metric"))}</code></td><td>{_e(c.get("op"))}</td>'
            f'<td>{_e(fmt_value(c.get("threshold"), _kind_for_key(str(c.get("metric")))))}</td>'
            f'<td>{_e(fmt_value(c.get("value"), _kind_for_key(str(c.get("metric")))))}</td>'
            f'<td>{"✔" if c.get("passed") else "✘"}</td></tr>' for c in checks)
        body += ('<details><summary>all checks</summary><table class="grid" style="width:auto;'
                 'margin-top:6px;background:#fff"><tr><th class="l">metric</th><th>op</th>'
                 f"<th>threshold</th><th>value</th><th></th></tr>{rows}</table></details>")
    body += "</div>"
    cls, label = ("ok", "GATE PASSED") if ok else ("bad", "GATE FAILED")
    return f'<section class="gate {cls}"><span class="badge">{label}</span>{body}</section>'


def _html_charts(sc: dict[str, Any]) -> str:
    steps, langs = steps_of(sc), languages_of(sc)
    thresholds = _gate_thresholds(sc)
    step_rows = [(s, _get(sc, f"steps.{s}"), f"{s}: {fmt_value(_get(sc, f'steps.{s}'), 'rate')} of "
                  "cases with an email", thresholds.get(f"steps.{s}")) for s in steps]
    lang_rows = []
    for code in langs:
        info = sc["languages"][code] or {}
        tip = (f"{_lang_label(code)}: {info.get('passed', '–')} of {info.get('cases', '–')} "
               "cases passed")
        lang_rows.append((f"{_lang_label(code)} ({info.get('cases', '–')})", info.get("pass_rate"),
                          tip, thresholds.get(f"languages.{code}.pass_rate")))
    overall = ("all", _get(sc, "pass_rate"), "all cases", thresholds.get("pass_rate"))
    legend = ('<div class="muted" style="font-size:12px">dashed line: gate threshold</div>'
              if thresholds else "")
    charts = ('<section><h2>Pass rates</h2><div class="charts">'
              f'<div><h3>Rubric steps</h3>{_bar_chart(step_rows, "pass rate per rubric step")}'
              "</div>"
              f'<div><h3>Cases passed, by language</h3>'
              f'{_bar_chart([overall, *lang_rows], "pass rate per language")}</div>'
              f"</div>{legend}")
    if langs and steps:
        head = "".join(f"<th>{_e(s)}</th>" for s in steps)
        rows = []
        all_cells = "".join(f'<td style="{_heat_style(_get(sc, f"steps.{s}"))}">'
                            f'{fmt_value(_get(sc, f"steps.{s}"), "rate")}</td>' for s in steps)
        rows.append(f'<tr class="all"><td class="l">all</td><td>{_e(sc.get("cases", "–"))}</td>'
                    f'<td style="{_heat_style(_get(sc, "pass_rate"))}">'
                    f'{fmt_value(_get(sc, "pass_rate"), "rate")}</td>{all_cells}</tr>')
        for code in langs:
            info = sc["languages"][code] or {}
            cells = "".join(
                f'<td style="{_heat_style(_get(info, f"steps.{s}"))}">'
                f'{fmt_value(_get(info, f"steps.{s}"), "rate")}</td>' for s in steps)
            rows.append(f'<tr><td class="l">{_e(_lang_label(code))}</td>'
                        f'<td>{_e(info.get("cases", "–"))}</td>'
                        f'<td style="{_heat_style(info.get("pass_rate"))}">'
                        f'{fmt_value(info.get("pass_rate"), "rate")}</td>{cells}</tr>')
        charts += ('<div class="matrix" style="margin-top:16px"><h3>Step × language</h3>'
                   '<table class="grid"><tr><th class="l">language</th><th>cases</th>'
                   f'<th>pass rate</th>{head}</tr>{"".join(rows)}</table></div>')
    return charts + "</section>"


def _chips(values: dict[str, Any]) -> str:
    return '<div class="chips">' + "".join(
        f'<span class="chip {"y" if ok else "n" if ok is False else ""}">'
        f'{"✔" if ok else "✘" if ok is False else "·"} {_e(name)}</span>'
        for name, ok in values.items()) + "</div>"


def _list(items: list[Any], bad: bool = False) -> str:
    if not items:
        return '<span class="muted">none</span>'
    cls = "tight bad" if bad else "tight"
    return f'<ul class="{cls}">' + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>"


def _html_case(case: dict[str, Any]) -> str:
    """Long because it is one HTML template written out, section by section."""
    status = str(case.get("status") or "error")
    triage = case.get("triage") or {}
    failures = list(case.get("failures") or [])
    if status == "error":
        fail_text = case.get("error") or "error"
    elif failures:
        fail_text = failures[0] + (f"  (+{len(failures) - 1} more)" if len(failures) > 1 else "")
    else:
        fail_text = ""
    verdict = case.get("verdict") or "–"
    score = case.get("score")
    severity = triage.get("severity") or "–"
    summary = (
        f'<summary class="row">'
        f'<span><span class="pill {_e(status)}">{_e(status)}</span></span>'
        f'<span class="id mono" title="{_e(case.get("id"))}">{_e(case.get("id"))}</span>'
        f'<span>{_e(case.get("language") or "–")}</span>'
        f'<span>{_e(case.get("channel") or "–")}</span>'
        f'<span title="{_e(triage.get("category"))}">{_e(triage.get("category") or "–")}</span>'
        f'<span class="sev-{_e(severity)}">{_e(severity)}</span>'
        f'<span title="{_e(_compensation_text(case))}">{_e(_compensation_text(case))}</span>'
        f'<span>{_e(verdict.replace("_", " "))}'
        f'{f" <span class=muted>· {_e(score)}</span>" if score is not None else ""}</span>'
        f'<span class="fails">{_e(fail_text)}</span></summary>'
    )
    left, right, top = [], [], ""
    if status == "error":
        top = f'<div class="errbox">{_e(case.get("error") or "error (no message)")}</div>'
        right.append('<h4>Draft</h4><span class="muted">none: the case did not finish</span>')
    left.append(f'<h4>Incident</h4><p class="incident">{_e(case.get("incident") or "–")}</p>')
    if failures:
        left.append(f"<h4>Failed expectations</h4>{_list(failures, bad=True)}")
    if case.get("checks"):
        left.append(f"<h4>Expectations</h4>{_chips(case['checks'])}")
    if case.get("steps"):
        left.append(f"<h4>Rubric steps</h4>{_chips(case['steps'])}")
    comp = case.get("compensation") or {}
    facts = {
        "should apologize": {True: "yes", False: "no"}.get(case.get("should_apologize"), "–"),
        "triage": " · ".join(str(triage[k]) for k in ("category", "severity", "stage")
                             if triage.get(k)) or "–",
        "compensation": comp.get("summary") or _compensation_text(case),
        "verdict": f"{verdict.replace('_', ' ')}" + (f" · score {score}" if score is not None
                                                      else ""),
        "latency": fmt_value(case.get("latency_ms"), "ms"),
        "tokens": f"{case.get('tokens_in') or 0:,} in / {case.get('tokens_out') or 0:,} out",
        "backend": " / ".join(str(case[k]) for k in ("backend", "model") if case.get(k)) or "–",
        "source": case.get("source") or "–",
    }
    left.append("<h4>Details</h4><dl class=\"kv\">" + "".join(
        f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in facts.items()) + "</dl>")
    if case.get("body") or case.get("subject"):
        right.append('<h4>Draft</h4><div class="email">'
                     f'<div class="subj">{_e(case.get("subject") or "(no subject)")}</div>'
                     f'<pre>{_mark_fill_ins(_e(case.get("body") or ""))}</pre></div>')
    if case.get("advice"):
        right.append(f'<h4>Advice (no email)</h4><div class="advice">{_e(case["advice"])}</div>')
    if status != "error" and not right:
        right.append('<h4>Draft</h4><span class="muted">no draft and no advice</span>')
    if status != "error":
        right.append(f"<h4>Checker problems</h4>{_list(list(case.get('problems') or []))}")
        right.append(f"<h4>Anti-patterns</h4>{_list(list(case.get('anti_patterns') or []), True)}")
        fill = case.get("fill_ins") or []
        right.append("<h4>Fill-ins</h4>" + ('<div class="chips">' + "".join(
            f'<span class="chip mono">{_e(f)}</span>' for f in fill) + "</div>"
            if fill else '<span class="muted">none</span>'))
    if case.get("warnings"):
        right.append(f"<h4>Warnings</h4>{_list(list(case['warnings']))}")
    cls = f"case st-{_e(status)}"
    return (f'<details class="{cls}" id="case-{_e(case.get("id"))}">{summary}'
            f'<div class="detail">{top}'
            f'<div>{"".join(left)}</div><div>{"".join(right)}</div></div></details>')


def _html_cases(cases: list[dict[str, Any]]) -> str:
    counts = {s: sum(1 for c in cases if c.get("status") == s) for s in STATUSES}
    ordered = sorted(cases, key=_case_sort_key)
    head = ('<div class="row head"><span>status</span><span>case</span><span>lang</span>'
            '<span>channel</span><span>category</span><span>severity</span>'
            '<span>compensation</span><span>verdict</span><span>failures</span></div>')
    filters = (
        '<input type="radio" name="f" id="f-all" checked><input type="radio" name="f" id="f-bad">'
        '<input type="radio" name="f" id="f-err"><input type="radio" name="f" id="f-pass">'
        '<div class="filters">'
        f'<label for="f-all">all {len(cases)}</label>'
        f'<label for="f-bad">failing {counts["fail"] + counts["error"]}</label>'
        f'<label for="f-err">errors {counts["error"]}</label>'
        f'<label for="f-pass">passing {counts["pass"]}</label></div>'
    )
    return (f'<section><h2>Cases</h2>{filters}<div class="cases">{head}'
            + "".join(_html_case(c) for c in ordered)
            + "</div><div class=\"muted\" style=\"margin-top:8px;font-size:12px\">Failing and "
            "erroring cases first. Click a row to read the incident, the draft and the checker's "
            "findings.</div></section>")


def render_html(result: dict[str, Any], title: str = "Apology composer · eval report") -> str:
    """One self-contained HTML file (inline CSS and SVG, no scripts or fonts) to open offline."""
    run = result.get("run") or {}
    sc = result.get("scorecard") or {}
    cases = list(result.get("cases") or [])
    meta_items = [
        ("backend", run.get("backend")), ("model", run.get("model")),
        ("cases", run.get("cases_dir")), ("started", run.get("started")),
        ("elapsed", f"{run['elapsed_s']:.1f} s" if isinstance(run.get("elapsed_s"), (int, float))
         else None),
        ("concurrency", run.get("concurrency")), ("prompts", run.get("prompts")),
        ("version", run.get("version")),
    ]
    meta = "".join(f"<span>{_e(k)} <b>{_e(v)}</b></span>" for k, v in meta_items
                   if v not in (None, ""))
    heading = " / ".join(str(run[k]) for k in ("backend", "model") if run.get(k))
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{_e(title)}{' · ' + _e(heading) if heading else ''}</title>"
        f"<style>{_CSS}</style></head><body><main>"
        f"<h1>{_e(title)}</h1><div class=\"meta\">{meta}</div>"
        f"{_html_gate(sc)}{_html_cards(sc)}{_html_charts(sc)}{_html_cases(cases)}"
        f"<footer>generated by composer.evals.report</footer></main></body></html>\n"
    )


# ----------------------------------------------------------------------------- markdown


def md_cell(value: Any) -> str:
    """A table-safe cell: one line, pipes escaped."""
    return " ".join(str(value).split()).replace("|", "\\|")


def render_markdown(result: dict[str, Any], max_cases: int = 20) -> str:
    """A compact summary for CI logs and PR comments: numbers, tables, gate and what failed.

    Long because it is one Markdown template written out, section by section."""
    run = result.get("run") or {}
    sc = result.get("scorecard") or {}
    cases = list(result.get("cases") or [])
    gate = sc.get("gate")
    gate_text = ("no gate" if not isinstance(gate, dict)
                 else "**PASSED**" if gate.get("passed") else "**FAILED**")
    heading = " / ".join(str(run[k]) for k in ("backend", "model") if run.get(k)) or "run"
    elapsed = (f" · {run['elapsed_s']:.1f} s" if isinstance(run.get("elapsed_s"), (int, float))
               else "")
    lines = [
        f"## Eval report: {heading}",
        "",
        f"{sc.get('cases', len(cases))} cases · {sc.get('passed', '–')} passed · "
        f"{sc.get('errors', 0)} error{'' if sc.get('errors') == 1 else 's'} · "
        f"pass rate **{fmt_value(_get(sc, 'pass_rate'), 'rate')}** · "
        f"gate {gate_text}{elapsed}"
        + (f" · {run['started']}" if run.get("started") else ""),
        "",
        "| metric | value |",
        "|---|---:|",
    ]
    for metric in HEADLINE:
        value = metric_value(sc, metric)
        if metric.key == "cost.usd" and (sc.get("cost") or {}).get("priced") is False:
            lines.append("| cost (USD) | not priced |")
        elif value is not None:
            lines.append(f"| {metric.label} | {fmt_value(value, metric.kind)} |")
    steps, langs = steps_of(sc), languages_of(sc)
    if steps or langs:
        lang_info = {code: sc["languages"][code] or {} for code in langs}
        lines += ["", "| | all | " + " | ".join(langs) + " |",
                  "|---|---:|" + "---:|" * len(langs)]
        lines.append(f"| cases | {sc.get('cases', '–')} | "
                     + " | ".join(str(lang_info[c].get("cases", "–")) for c in langs) + " |")
        lines.append(f"| **pass rate** | **{fmt_value(_get(sc, 'pass_rate'), 'rate')}** | "
                     + " | ".join(fmt_value(lang_info[c].get("pass_rate"), "rate") for c in langs)
                     + " |")
        for step in steps:
            lines.append(f"| {step} | {fmt_value(_get(sc, f'steps.{step}'), 'rate')} | "
                         + " | ".join(fmt_value(_get(lang_info[c], f"steps.{step}"), "rate")
                                      for c in langs) + " |")
    checks = _gate_checks(sc)
    if checks:
        lines += ["", "**Gate checks**", "", "| | metric | threshold | value |",
                  "|---|---|---:|---:|"]
        for c in checks:
            kind = _kind_for_key(str(c.get("metric")))
            lines.append(f"| {'✅' if c.get('passed') else '❌'} | `{md_cell(c.get('metric'))}` | "
                         f"{md_cell(c.get('op', ''))} {fmt_value(c.get('threshold'), kind)} | "
                         f"{fmt_value(c.get('value'), kind)} |")
    bad = sorted((c for c in cases if c.get("status") in ("fail", "error")), key=_case_sort_key)
    if bad:
        lines += ["", f"**Failing cases ({len(bad)})**", ""]
        for case in bad[:max_cases]:
            if case.get("status") == "error":
                why = case.get("error") or "error"
            else:
                failures = list(case.get("failures") or [])
                why = "; ".join(failures[:2]) or "failed"
                if len(failures) > 2:
                    why += f" (+{len(failures) - 2} more)"
            lines.append(f"- **{case.get('status')}** `{case.get('id')}` "
                         f"({case.get('language') or '?'}): {md_cell(why)}")
        if len(bad) > max_cases:
            lines.append(f"- … and {len(bad) - max_cases} more")
    elif cases:
        lines += ["", "All cases passed."]
    return "\n".join(lines) + "\n"
