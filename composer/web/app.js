// The apology composer page: compose, edit fill-ins, check again, copy. No dependencies.
// All text from the service is inserted with textContent, never as HTML.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const FILL = /\[\[[^\[\]\n]+\]\]/g;
  const STEP_NAMES = {
    regret: "Regret", impact: "Impact", explanation: "Explanation",
    responsibility: "Responsibility", remedy: "Remedy", compensation: "Compensation",
    closing: "Closing",
  };
  // The state of the draft on screen: blocks are paragraphs whose [[fill-ins]] are inputs.
  const state = { draft: null, request: null, blocks: [], values: {}, report: null };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (value !== null && value !== undefined && value !== false) node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  function say(message) {
    $("status").textContent = message;
  }

  function showError(message) {
    const box = $("error");
    box.textContent = message;
    box.hidden = false;
  }

  function clearError() {
    $("error").hidden = true;
    $("error").textContent = "";
  }

  // --- talking to the service -------------------------------------------------------------

  async function api(path, body) {
    const headers = { Accept: "application/json" };
    const token = $("token").value || sessionStorage.getItem("composer-token");
    if (token) headers.Authorization = "Bearer " + token;
    const options = { method: body === undefined ? "GET" : "POST", headers };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, options);
    } catch (err) {
      throw new Error("Cannot reach the service (" + err.message + "). Is compose serve running?");
    }
    let data = null;
    try {
      data = await response.json();
    } catch (err) {
      data = null;
    }
    if (!response.ok) {
      if (response.status === 401) {
        $("token-field").hidden = false;
        $("token").focus();
      }
      const detail = data && data.detail ? data.detail : "the service answered " + response.status;
      throw new Error(detail);
    }
    if (token) sessionStorage.setItem("composer-token", token);
    return data;
  }

  function formRequest() {
    const value = (id) => $(id).value.trim();
    const request = { incident: $("incident").value };
    for (const id of ["customer", "language", "tone", "channel", "loss", "company", "sender",
                      "severity", "max_compensation"]) {
      if (value(id)) request[id] = value(id);
    }
    const facts = value("facts").split("\n").map((line) => line.trim()).filter(Boolean);
    if (facts.length) request.facts = facts;
    return request;
  }

  // --- composing ----------------------------------------------------------------------------

  async function onCompose(event) {
    event.preventDefault();
    clearError();
    const request = formRequest();
    if (!request.incident.trim()) {
      showError("Describe the incident first: what went wrong?");
      $("incident").focus();
      return;
    }
    const button = $("compose-btn");
    button.disabled = true;
    say("Composing…");
    try {
      const draft = await api("/v1/drafts", request);
      state.request = request;
      showDraft(draft);
    } catch (err) {
      say("");
      showError(err.message);
    } finally {
      button.disabled = false;
    }
  }

  function showDraft(draft) {
    state.draft = draft;
    state.values = {};
    state.report = null;
    setEditing(false);
    $("warnings").replaceChildren(...draft.warnings.map((w) => el("li", { text: "⚠ " + w })));
    showCompensation(draft);
    showSources(draft.sources);
    if (!draft.should_apologize) {
      $("draft").hidden = true;
      $("check").hidden = true;
      $("compensation").hidden = true;
      $("advice-text").textContent = draft.advice || "";
      $("advice").hidden = false;
      $("advice").focus();
      say("No standalone apology is due.");
      return;
    }
    $("advice").hidden = true;
    $("draft-meta").textContent = [
      "Language " + draft.language, draft.category, "severity " + draft.severity, draft.stage,
      "written by " + draft.backend,
    ].join(" · ");
    $("subject").value = draft.subject;
    $("draft").lang = draft.language;
    state.blocks = draft.body.split(/\n{2,}/);
    const report = reportFor(draft);
    $("draft").hidden = false;
    if (report) {
      showReport(report);
      $("draft").focus();
      say("Draft ready: " + verdictText(report) + ".");
    } else {
      renderEmail();
      $("draft").focus();
      checkAgain();
    }
  }

  // The checker's full report on the shown draft travels in the draft's rounds.
  function reportFor(draft) {
    const rounds = (draft.rounds || []).filter((r) => r.report && r.body === draft.body);
    return rounds.length ? rounds[rounds.length - 1].report : null;
  }

  // --- the email with fill-ins, step tags and findings -------------------------------------

  function fillKey(token) {
    return token.slice(2, -2).trim();
  }

  function substitute(template) {
    return template.replace(FILL, (token) => {
      const value = (state.values[fillKey(token)] || "").trim();
      return value || token;
    });
  }

  function currentText() {
    if (!$("edit-field").hidden) return $("edit-area").value;
    const body = state.blocks.map(substitute).join("\n\n");
    return $("subject").value.trim() + "\n\n" + body;
  }

  function emptyFillIns() {
    const seen = new Set();
    for (const block of state.blocks) {
      for (const token of block.match(FILL) || []) {
        if (!(state.values[fillKey(token)] || "").trim()) seen.add(fillKey(token));
      }
    }
    return [...seen];
  }

  function sentencesOf(text) {
    // Latin/Cyrillic end punctuation followed by space, or Chinese end punctuation.
    const parts = text.match(/[^.!?…。！？]+(?:[.!?…]+(?=\s|$)|[。！？]+)?\s*|[.!?…。！？]+\s*/g);
    return parts && parts.length ? parts : [text];
  }

  const norm = (text) => text.replace(/[’‘`]/g, "'").replace(/\s+/g, " ").trim();

  function stepFor(block, index) {
    const draft = state.draft;
    const tagged = (draft.paragraphs || []).find((p) => p.text === block);
    if (tagged) return tagged.step;
    if (!state.report) return null;
    const text = norm(substitute(block));
    for (const [name, step] of Object.entries(state.report.steps || {})) {
      if (step.passed && (step.evidence || []).some((e) => text.includes(norm(e)))) return name;
    }
    return null;
  }

  function findingsFor(sentence) {
    if (!state.report) return [];
    const text = norm(sentence);
    if (!text) return [];
    const all = [...(state.report.anti_patterns || []), ...(state.report.compensation || [])];
    return all.filter((finding) => finding.name !== "placeholders_left" &&
      (finding.evidence || []).some((e) => {
        const ev = norm(e);
        return ev && (ev.includes(text) || text.includes(ev));
      }));
  }

  function renderEmail() {
    const box = $("email");
    const nodes = [];
    let markCount = 0;
    state.blocks.forEach((block, index) => {
      const step = stepFor(block, index);
      const para = el("div", { class: "block" + (step ? " step-" + step : "") });
      if (step) para.append(el("span", { class: "tag", text: STEP_NAMES[step] || step }));
      const p = el("p", {});
      const notes = [];
      for (const sentence of sentencesOf(block)) {
        const found = findingsFor(substitute(sentence));
        let holder = p;
        if (found.length) {
          markCount += 1;
          const noteId = "note-" + markCount;
          holder = el("mark", { id: "mark-" + markCount, tabindex: "-1", "aria-describedby": noteId,
                                class: "finding", title: found.map(humanFinding).join("; ") });
          p.append(holder);
          notes.push(el("li", { id: noteId },
            el("strong", { text: found.map((f) => label(f.name)).join(", ") + ": " }),
            found.map((f) => f.suggestion).join(" ")));
        }
        appendWithFills(holder, sentence);
      }
      para.append(p);
      if (notes.length) para.append(el("ul", { class: "notes", "aria-label": "Findings on this paragraph" }, ...notes));
      nodes.push(para);
    });
    box.replaceChildren(...nodes);
  }

  function appendWithFills(holder, text) {
    let last = 0;
    for (const match of text.matchAll(FILL)) {
      if (match.index > last) holder.append(text.slice(last, match.index));
      const key = fillKey(match[0]);
      const input = el("input", {
        class: "fill", type: "text", value: state.values[key] || "", placeholder: key,
        "aria-label": "Fill in: " + key,
        "data-key": key,
      });
      const fit = () => { input.size = Math.max(12, Math.min(60, Math.max(key.length, input.value.length) + 2)); };
      fit();
      input.addEventListener("input", () => {
        state.values[key] = input.value;
        fit();
        for (const other of document.querySelectorAll("input.fill")) {
          if (other !== input && other.dataset.key === key) other.value = input.value;
        }
      });
      holder.append(input);
      last = match.index + match[0].length;
    }
    if (last < text.length) holder.append(text.slice(last));
  }

  // --- the check -------------------------------------------------------------------------------

  function verdictText(report) {
    const names = { ready: "ready to send", needs_changes: "needs changes",
                    no_apology_due: "no apology due" };
    return (names[report.verdict] || report.verdict) + ", score " + report.score + "/100";
  }

  function label(name) {
    return name.replace(/_/g, " ");
  }

  function humanFinding(finding) {
    return label(finding.name) + ": " + finding.suggestion;
  }

  function showReport(report) {
    state.report = report;
    renderEmail();
    const fills = emptyFillIns();
    const verdict = $("verdict");
    verdict.className = "verdict " + report.verdict;
    verdict.textContent = verdictText(report) +
      (fills.length ? " · " + fills.length + " fill-in(s) still empty" : "");
    const steps = Object.entries(report.steps || {}).map(([name, step]) => {
      const mark = !step.evaluated ? "–" : step.passed ? "✔" : "✘";
      const status = !step.evaluated ? "not evaluated" : step.passed ? "present" : "missing";
      const detail = step.passed ? (step.evidence || []).map((e) => "“" + e + "”").join(" ")
                                 : step.suggestion;
      return el("li", { class: step.passed ? "pass" : "fail" },
        el("span", { class: "mark", "aria-hidden": "true", text: mark }),
        el("strong", { text: label(name) }), el("span", { class: "sr-only", text: " (" + status + ")" }),
        " ", el("span", { class: "detail", text: detail }));
    });
    $("steps").replaceChildren(...steps);
    const findings = [...(report.anti_patterns || []), ...(report.compensation || [])];
    const items = findings.map((finding) => {
      const item = el("li", {}, el("strong", { text: label(finding.name) }), ": " + finding.suggestion);
      if (finding.name === "placeholders_left") {
        item.append(" (" + fills.length + " left to fill in above)");
        return item;
      }
      const marks = [...document.querySelectorAll("mark.finding")].filter(
        (m) => (m.title || "").includes(label(finding.name) + ":"));
      if (marks.length) {
        const show = el("button", { type: "button", class: "link", text: "Show in draft" });
        show.addEventListener("click", () => marks[0].focus());
        item.append(" ", show);
      } else if ((finding.evidence || []).length) {
        item.append(" ", el("q", { text: finding.evidence[0] }));
      }
      return item;
    });
    $("findings").replaceChildren(...(items.length ? items : [el("li", { text: "None." })]));
    $("check").hidden = false;
  }

  async function checkAgain() {
    clearError();
    if (!$("edit-field").hidden) applyEdits();
    const text = currentText();
    const request = state.request || {};
    const body = { text, language: state.draft ? state.draft.language : undefined };
    for (const key of ["incident", "loss", "severity"]) {
      if (request[key]) body[key] = request[key];
    }
    const button = $("check-btn");
    button.disabled = true;
    say("Checking…");
    try {
      const report = await api("/v1/checks", body);
      showReport(report);
      say("Checked: " + verdictText(report) + ".");
    } catch (err) {
      say("");
      showError(err.message);
    } finally {
      button.disabled = false;
    }
  }

  // --- editing the whole text ------------------------------------------------------------------

  function setEditing(on) {
    $("edit-field").hidden = !on;
    $("email").hidden = on;
    $("subject").disabled = on;
    $("edit-btn").setAttribute("aria-pressed", on ? "true" : "false");
    $("edit-btn").textContent = on ? "Done editing" : "Edit text";
  }

  function applyEdits() {
    const text = $("edit-area").value.replace(/\r\n/g, "\n");
    const [subject, ...rest] = text.split("\n");
    $("subject").value = subject.trim();
    const body = rest.join("\n").trim();
    state.blocks = body ? body.split(/\n{2,}/) : [];
    setEditing(false);
    renderEmail();
  }

  function onEdit() {
    if ($("edit-field").hidden) {
      $("edit-area").value = currentText();
      setEditing(true);
      $("edit-area").focus();
    } else {
      applyEdits();
      $("email").focus();
    }
  }

  // --- copy ------------------------------------------------------------------------------------

  async function onCopy() {
    if (!$("edit-field").hidden) applyEdits();
    const text = currentText();
    let copied = false;
    try {
      await navigator.clipboard.writeText(text);
      copied = true;
    } catch (err) {
      const area = el("textarea", { class: "offscreen", "aria-hidden": "true" });
      area.value = text;
      document.body.append(area);
      area.select();
      try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
      area.remove();
    }
    const fills = emptyFillIns();
    if (copied) {
      say("Copied the email." + (fills.length ? " " + fills.length + " fill-in(s) are still empty." : ""));
    } else {
      showError("The browser refused the clipboard: use Edit text and copy it by hand.");
    }
  }

  // --- compensation and cards ------------------------------------------------------------------

  function cardButton(id) {
    const button = el("button", { type: "button", class: "card-link", "data-card": id, text: id });
    button.addEventListener("click", () => openCard(id, button));
    return button;
  }

  function showCompensation(draft) {
    const comp = draft.compensation || {};
    $("comp-summary").textContent = comp.summary || "No compensation.";
    $("comp-reasons").replaceChildren(...(comp.reasons || []).map((reason) =>
      el("li", {}, reason.text + " ", ...(reason.cards || []).map(cardButton))));
    $("compensation").hidden = !draft.should_apologize;
  }

  function showSources(sources) {
    $("source-list").replaceChildren(...(sources || []).map((s) =>
      el("li", {}, cardButton(s.id), " " + s.title + " (" + s.publisher + ")")));
    $("sources").hidden = !(sources || []).length;
  }

  async function openCard(id, opener) {
    clearError();
    try {
      const card = await api("/v1/cards/" + encodeURIComponent(id));
      $("card-title").textContent = card.title;
      const src = card.source || {};
      $("card-meta").textContent = [card.id, card.kind, src.publisher, src.title].filter(Boolean).join(" · ");
      $("card-body").replaceChildren(
        el("p", {}, el("strong", { text: "Use when: " }), card.use_when),
        ...card.body.split(/\n{2,}/).map((t) => el("p", { text: t })),
        src.span ? el("blockquote", { lang: src.language || null, text: src.span }) : null);
      const dialog = $("card-dialog");
      dialog.addEventListener("close", () => opener.focus(), { once: true });
      dialog.showModal();
      $("card-close").focus();
    } catch (err) {
      showError(err.message);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("compose-form").addEventListener("submit", onCompose);
    $("check-btn").addEventListener("click", checkAgain);
    $("copy-btn").addEventListener("click", onCopy);
    $("edit-btn").addEventListener("click", onEdit);
    $("subject").addEventListener("keydown", (e) => { if (e.key === "Enter") e.preventDefault(); });
    // Ctrl/Cmd+Enter in the incident composes, as support tools do.
    $("incident").addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) $("compose-form").requestSubmit();
    });
    const stored = sessionStorage.getItem("composer-token");
    if (stored) $("token").value = stored;
    document.body.dataset.ready = "true";
  });
})();
