// The workbench's own script: the per-session token on every request, the table editor,
// streamed jobs (server-sent events), jumps from findings to the text, reloads when files change.
(function () {
  "use strict";
  const csrf = () => document.querySelector('meta[name="csrf-token"]').content;
  const banner = (text, kind) => {
    const el = document.getElementById("banner");
    if (!el) return;
    el.textContent = text;
    el.className = "message " + (kind || "error");
    el.hidden = !text;
  };

  document.addEventListener("htmx:configRequest", (e) => { e.detail.headers["X-CSRF-Token"] = csrf(); });
  document.addEventListener("htmx:responseError", (e) => {
    const text = (e.detail.xhr && e.detail.xhr.responseText || "").replace(/<[^>]+>/g, "").trim();
    banner(text || "请求失败，请刷新页面后重试。");
  });
  document.addEventListener("htmx:sendError", () => banner("无法连接工作台：drafter serve 是否仍在运行？"));
  document.addEventListener("htmx:beforeRequest", () => banner(""));

  // ---------- the table editor: one cell saved at a time, in order, against the version shown ----------
  let queue = Promise.resolve();
  let pending = 0;

  function editor() { return document.getElementById("stats-editor"); }

  function message(td) {            // the cell's note element, made when first needed
    let msg = td.querySelector(".cell-msg");
    if (!msg) {
      msg = document.createElement("span");
      msg.className = "cell-msg";
      msg.setAttribute("role", "note");
      td.appendChild(msg);
    }
    return msg;
  }

  function applyMarks(root, marks) {
    root.querySelectorAll("td.num").forEach((td) => {
      const mark = marks[td.dataset.path];
      td.classList.remove("error", "warning");
      td.removeAttribute("title");
      const input = td.querySelector("input");
      const msg = td.querySelector(".cell-msg");
      if (input && !td.classList.contains("invalid")) input.removeAttribute("aria-invalid");
      if (msg && !td.classList.contains("invalid")) msg.textContent = "";
      if (mark) {
        td.classList.add(mark.severity);
        td.title = mark.message;
        if (!td.classList.contains("invalid")) message(td).textContent = mark.message;
        if (input) input.setAttribute("aria-invalid", "true");
      }
    });
  }

  // totals and 结转 are computed live unless the clerk keeps the table as printed (remembered per year)
  function asPrintedKey() { const root = editor(); return root ? `drafter-as-printed-${root.dataset.year}` : ""; }
  function livePosted() { const box = document.getElementById("as-printed"); return box && box.checked ? "" : "1"; }

  function applyMode() {
    const root = editor();
    const box = document.getElementById("as-printed");
    if (!root || !box) return;
    box.checked = localStorage.getItem(asPrintedKey()) === "1";
    root.querySelectorAll("td.computed input").forEach((input) => {
      input.readOnly = !box.checked;
      if (box.checked) input.removeAttribute("title"); else input.title = "由各项自动计算";
    });
    root.classList.toggle("as-printed", box.checked);
    const fill = root.querySelector(".fill-totals");
    if (fill) fill.hidden = !box.checked;
  }

  function cellInput(path) {
    const root = editor();
    const td = root && root.querySelector(`td.num[data-path="${path}"]`);
    return td && td.querySelector("input");
  }

  function showBroke(broke) {         // on each typed cell: the cells it made wrong
    const root = editor();
    if (!root) return;
    root.querySelectorAll("td.num.broke").forEach((td) => td.classList.remove("broke"));
    Object.entries(broke || {}).forEach(([path, names]) => {
      const input = cellInput(path);
      if (!input || !names.length) return;
      const td = input.closest("td");
      td.classList.add("broke");
      message(td).textContent = "影响：" + names.join("、");
      td.title = "这一格改动后，" + names.join("、") + " 不再符合勾稽关系";
    });
  }

  function post(paths, values, cells, pastedOnComputed) {
    const root = editor();
    if (!root) return;
    pending += 1;
    cells.forEach((td) => td.classList.add("saving"));
    queue = queue.then(async () => {
      const body = new URLSearchParams({ version: root.dataset.version, live: livePosted() });
      paths.forEach((p, i) => { body.append("path", p); body.append("value", values[i]); });
      let response;
      try {
        response = await fetch(`/${root.dataset.year}/stats/${paths.length > 1 ? "cells" : "cell"}`, {
          method: "POST", body: body, credentials: "same-origin",
          headers: { "X-CSRF-Token": csrf(), "Accept": "application/json" },
        });
      } catch (err) {
        banner("无法连接工作台：这些单元格没有保存。");
        cells.forEach((td) => td.classList.add("unsaved"));
        return;
      } finally {
        pending -= 1;
        cells.forEach((td) => td.classList.remove("saving"));
      }
      const data = await response.json().catch(() => ({}));
      if (response.status === 422) {
        const td = cells[0];
        const input = td.querySelector("input");
        td.classList.add("invalid", "error");
        input.setAttribute("aria-invalid", "true");
        message(td).textContent = data.message || "取值无效";
        td.title = data.message || "";
        showStatus(document.activeElement && document.activeElement.closest("#stats-editor td.num") ? document.activeElement : input);
        return;
      }
      if (response.status === 409) {
        cells.forEach((td) => td.classList.add("unsaved"));
        showConflict(data.message || "统计表已在别处被修改，这些单元格没有保存。");
        return;
      }
      if (!response.ok) {
        cells.forEach((td) => td.classList.add("unsaved"));
        banner(data.message || "保存失败。");
        return;
      }
      root.dataset.version = data.version;
      const hidden = document.getElementById("stats-version");
      if (hidden) hidden.value = data.version;
      cells.forEach((td) => td.classList.remove("invalid", "unsaved"));
      Object.entries(data.values || {}).forEach(([path, value]) => {
        const input = cellInput(path);
        if (!input) return;
        const typed = paths.indexOf(path);
        if (typed >= 0 && (document.activeElement === input || input.value !== values[typed])) return;
        if (input.value !== value) {
          input.value = value;
          fit(input);
          const td = input.closest("td");
          if (td.classList.contains("computed")) { td.classList.remove("recomputed"); void td.offsetWidth; td.classList.add("recomputed"); }
        }
      });
      applyMarks(root, data.marks);
      Object.entries(data.refused || {}).forEach(([path, why]) => {
        const input = cellInput(path);
        if (!input) return;
        const td = input.closest("td");
        td.classList.add("invalid", "error");
        message(td).textContent = why;
      });
      showBroke(data.broke);
      Object.entries(pastedOnComputed || {}).forEach(([path, pasted]) => {   // a pasted total the parts do not give
        const input = cellInput(path);
        const wanted = pasted.replace(/[,，\s]/g, "");
        if (!input || !wanted || input.value === wanted) return;
        const td = input.closest("td");
        td.classList.add("warning");
        message(td).textContent = `粘贴的是 ${wanted}，按各项计算为 ${input.value}`;
        td.title = "合计由各项自动计算；粘贴的合计与各项之和不同，请核对原表（或勾选“按报表原样填写总计”）";
      });
      const list = document.getElementById("stats-problems");
      if (list) list.innerHTML = data.problems_html;
      updateCounter();
      if (document.activeElement && document.activeElement.closest && document.activeElement.closest("#stats-editor")) showStatus(document.activeElement);
    });
  }

  function saveCell(input) {
    const td = input.closest("td");
    if (!editor() || !td) return;
    post([td.dataset.path], [input.value], [td]);
  }

  // ---------- moving between cells as in a spreadsheet: by position on screen (merged cells included) ----------
  function inputs(table) { return Array.from(table.querySelectorAll("td.num input")); }

  function neighbour(input, dx, dy) {
    const table = input.closest("table");
    const here = input.getBoundingClientRect();
    const cx = here.left + here.width / 2, cy = here.top + here.height / 2;
    let best = null, bestScore = Infinity;
    inputs(table).forEach((other) => {
      if (other === input) return;
      const r = other.getBoundingClientRect();
      const ox = r.left + r.width / 2, oy = r.top + r.height / 2;
      const along = dx ? (ox - cx) * dx : (oy - cy) * dy;          // distance in the direction of travel
      const across = dx ? Math.abs(oy - cy) : Math.abs(ox - cx);
      if (along <= 2 || across > (dx ? here.height / 2 : Math.max(here.width, r.width) / 2 + 4)) return;
      const score = along + across * 4;
      if (score < bestScore) { best = other; bestScore = score; }
    });
    if (!best && dy) {          // past the last row of a table: the first cell of the next table, or back
      const all = Array.from(editor().querySelectorAll("td.num input"));
      const list = all.filter((i) => i.closest("table") !== table);
      best = dy > 0 ? list.find((i) => all.indexOf(i) > all.indexOf(input)) : null;
    }
    return best;
  }

  function go(input, dx, dy) {
    const next = neighbour(input, dx, dy);
    if (next) { next.focus(); next.select(); }
    return next;
  }

  // ---------- a block pasted from Excel/WPS/LibreOffice fills the cells right and down from the focused one ----------
  function pasteBlock(input, text) {
    const rows = text.replace(/\r/g, "").replace(/\n+$/, "").split("\n")
      .map((row) => (row.includes("\t") ? row.split("\t") : row.split(/[,，]/)).map((v) => v.trim()));
    const paths = [], values = [], cells = [], computed = {};
    let rowStart = input;
    for (const row of rows) {
      let cell = rowStart;
      for (let i = 0; i < row.length && cell; i += 1) {
        if (!cell.readOnly) {
          cell.value = row[i];
          fit(cell);
          paths.push(cell.closest("td").dataset.path);
          values.push(row[i]);
          cells.push(cell.closest("td"));
        } else {
          computed[cell.closest("td").dataset.path] = row[i];
        }
        if (i < row.length - 1) cell = neighbour(cell, 1, 0);
      }
      rowStart = rowStart && neighbour(rowStart, 0, 1);
      if (!rowStart) break;
    }
    if (paths.length) post(paths, values, cells, computed);
    return paths.length;
  }

  document.addEventListener("paste", (e) => {
    const input = e.target;
    if (!(input.matches && input.matches("#stats-editor td.num input"))) return;
    const text = (e.clipboardData || window.clipboardData).getData("text");
    if (!/[\t\n,，]/.test(text.trim())) return;          // one value: the browser pastes it as usual
    e.preventDefault();
    pasteBlock(input, text);
  });

  // ---------- the error counter: how many cells are wrong, and a way to step through them ----------
  let errorIndex = -1;
  function errorCells() { const root = editor(); return root ? Array.from(root.querySelectorAll("td.num.error input")) : []; }
  function updateCounter() {
    const counter = document.getElementById("stats-counter");
    if (!counter) return;
    const summary = document.querySelector("#stats-problems .summary");
    const n = errorCells().length;
    counter.querySelector(".count").textContent = n ? `${n} 个单元格有错误` : (summary ? summary.textContent : "");
    counter.classList.toggle("bad", n > 0);
    counter.querySelectorAll("button").forEach((b) => { b.disabled = n === 0; });
  }
  document.addEventListener("click", (e) => {
    const step = e.target.closest("[data-error-step]");
    if (!step) return;
    const cells = errorCells();
    if (!cells.length) return;
    const current = cells.indexOf(document.activeElement);
    errorIndex = ((current >= 0 ? current : errorIndex) + Number(step.dataset.errorStep) + cells.length) % cells.length;
    cells[errorIndex].scrollIntoView({ block: "center", inline: "center" });
    cells[errorIndex].focus();
  });
  document.addEventListener("change", (e) => {
    if (e.target.id === "as-printed") {
      localStorage.setItem(asPrintedKey(), e.target.checked ? "1" : "0");
      applyMode();
    }
  });
  const setUp = () => { applyMode(); updateCounter(); };
  document.addEventListener("DOMContentLoaded", setUp);
  document.addEventListener("htmx:load", (e) => { if (e.detail.elt.querySelector && (e.detail.elt.id === "stats-editor" || e.detail.elt.querySelector("#stats-editor"))) setUp(); });

  function showConflict(text) {
    const root = editor();
    if (!root || root.querySelector(".conflict")) return;
    const box = document.createElement("div");
    box.className = "message error conflict";
    box.setAttribute("role", "alert");
    box.textContent = text + " 标为黄色的单元格没有保存。";
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "重新载入";
    button.dataset.reload = "";
    box.appendChild(button);
    root.prepend(box);
  }

  function showStatus(input) {
    const bar = document.getElementById("cell-status");
    const td = input && input.closest("td.num");
    if (!bar || !td) return;
    const note = td.querySelector(".cell-msg");
    const msg = note ? note.textContent : "";
    bar.className = "cell-status " + (td.classList.contains("error") ? "error" : td.classList.contains("warning") ? "warning" : "");
    bar.innerHTML = "";
    const where = document.createElement("span");
    where.className = "where";
    where.textContent = input.getAttribute("aria-label");
    const text = document.createElement("span");
    text.className = "msg";
    text.textContent = msg || "符合勾稽关系";
    bar.append(where, text);
    bar.hidden = false;
  }

  function fit(input) { input.style.width = `${Math.max(4, input.value.length + 2)}ch`; }   // never clip a number
  document.addEventListener("input", (e) => { if (e.target.matches && e.target.matches("#stats-editor td.num input")) fit(e.target); });

  document.addEventListener("focusin", (e) => {
    if (e.target.matches && e.target.matches("#stats-editor td.num input")) showStatus(e.target);
  });

  document.addEventListener("change", (e) => {
    const input = e.target;
    if (input.matches && input.matches("#stats-editor td.num input") && !input.readOnly) saveCell(input);
  });
  document.addEventListener("keydown", (e) => {
    const input = e.target;
    if (!(input.matches && input.matches("#stats-editor td.num input")) || e.isComposing) return;
    const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    const atEnd = input.selectionStart === input.value.length;
    let moved = null;
    if (e.key === "Enter") moved = go(input, 0, e.shiftKey ? -1 : 1) || true;
    else if (e.key === "ArrowDown") moved = go(input, 0, 1) || true;
    else if (e.key === "ArrowUp") moved = go(input, 0, -1) || true;
    else if (e.key === "ArrowRight" && (atEnd || input.readOnly)) moved = go(input, 1, 0) || true;
    else if (e.key === "ArrowLeft" && (atStart || input.readOnly)) moved = go(input, -1, 0) || true;
    if (moved) e.preventDefault();
  });

  // ---------- work notes: saved as they are typed; a copy kept in the browser until the server has it ----------
  const NOTE_DELAY_MS = 700;
  const noteTimers = new Map();
  let noteQueue = Promise.resolve();
  let notesVersion = null;          // the version of notes.md the last save left (the pane may be gone meanwhile)
  let notesSaving = 0;
  function noteKey(form) { const main = document.getElementById("pane"); return `drafter-note-${main ? main.dataset.year : ""}-${form.id}`; }
  function noteState(form, text, kind) {
    const el = form.querySelector(".save-state");
    if (el) { el.textContent = text; el.className = "save-state " + (kind || ""); }
  }

  function saveNote(form, keepalive) {
    clearTimeout(noteTimers.get(form.id));
    noteTimers.delete(form.id);
    const area = form.querySelector("textarea");
    const text = area.value;
    const url = form.getAttribute("hx-post");
    noteState(form, "正在保存……", "saving");
    pending += 1;
    notesSaving += 1;
    noteQueue = noteQueue.then(async () => {
      const version = document.getElementById("notes-version");
      const body = new URLSearchParams({ text: text, version: notesVersion || (version ? version.value : "") });
      try {
        const response = await fetch(url, { method: "POST", body: body, credentials: "same-origin", keepalive: !!keepalive,
          headers: { "X-CSRF-Token": csrf(), "Accept": "application/json" } });
        const data = await response.json().catch(() => ({}));
        if (response.ok) {
          notesVersion = data.version;
          const shown = document.getElementById("notes-version");
          if (shown) shown.value = data.version;
          area.defaultValue = text;
          if (area.value === text) { localStorage.removeItem(noteKey(form)); noteState(form, "已保存", "saved"); }
        } else {
          noteState(form, "未保存：" + (data.message || "保存失败"), "unsaved");
        }
      } catch (err) {
        noteState(form, "未保存：无法连接工作台（文字仍在框中，也已暂存在浏览器里）", "unsaved");
      } finally {
        pending -= 1;
        notesSaving -= 1;
      }
    });
  }

  function flushNotes(keepalive) {
    document.querySelectorAll("form.topic").forEach((form) => {
      if (noteTimers.has(form.id)) saveNote(form, keepalive);
    });
  }

  document.addEventListener("input", (e) => {
    const form = e.target.closest && e.target.closest("form.topic");
    if (!form || e.target.tagName !== "TEXTAREA") return;
    localStorage.setItem(noteKey(form), e.target.value);
    noteState(form, "未保存（正在输入）", "dirty");
    clearTimeout(noteTimers.get(form.id));
    noteTimers.set(form.id, setTimeout(() => saveNote(form), NOTE_DELAY_MS));
  });
  document.addEventListener("focusout", (e) => {
    const form = e.target.closest && e.target.closest("form.topic");
    if (form && noteTimers.has(form.id)) saveNote(form);
  });
  document.addEventListener("submit", (e) => {
    const form = e.target.closest && e.target.closest("form.topic");
    if (!form) return;
    e.preventDefault();
    e.stopPropagation();
    saveNote(form);
  }, true);
  document.addEventListener("htmx:beforeRequest", () => flushNotes(false));   // a tab switch: save first
  window.addEventListener("pagehide", () => flushNotes(true));               // a reload or a closed tab
  document.addEventListener("visibilitychange", () => { if (document.hidden) flushNotes(true); });

  function restoreNotes(root) {        // text typed but not saved (the page was closed first): put it back and save it
    const shown = document.getElementById("notes-version");
    if (shown && !notesSaving) notesVersion = shown.value;
    (root.querySelectorAll ? root : document).querySelectorAll("form.topic").forEach((form) => {
      const kept = localStorage.getItem(noteKey(form));
      const area = form.querySelector("textarea");
      if (kept === null || !area) return;
      if (kept === area.value) { localStorage.removeItem(noteKey(form)); return; }
      area.value = kept;
      noteState(form, "已恢复上次未保存的文字，正在保存……", "dirty");
      saveNote(form);
    });
  }
  document.addEventListener("DOMContentLoaded", () => restoreNotes(document));
  document.addEventListener("htmx:load", (e) => restoreNotes(e.detail.elt));

  // ---------- streamed jobs ----------
  function follow(job) {
    if (job.dataset.following) return;
    job.dataset.following = "1";
    const source = new EventSource(job.dataset.events);
    const finish = (e) => {
      source.close();
      htmx.swap(job, e.data, { swapStyle: "outerHTML" });
      document.dispatchEvent(new CustomEvent("drafter:changed"));
    };
    source.addEventListener("chunk", (e) => {
      const data = JSON.parse(e.data);
      const box = job.querySelector(`.stream[data-key="${data.key}"]`) || job.querySelector(".stream");
      if (!box) return;
      const pre = box.querySelector(".text");
      pre.textContent += data.text;
      pre.scrollTop = pre.scrollHeight;
      box.querySelector(".count").textContent = `已接收 ${pre.textContent.length} 字`;
    });
    source.addEventListener("notice", (e) => {
      const data = JSON.parse(e.data);
      const box = job.querySelector(`.stream[data-key="${data.key}"] .notice`) || job.querySelector(".status");
      if (box) box.textContent = data.text;
    });
    ["done", "failed", "cancelled"].forEach((kind) => source.addEventListener(kind, finish));
    source.onerror = () => { if (source.readyState === EventSource.CLOSED) banner("与工作台的连接中断，请刷新页面查看结果。"); };
  }

  function scan(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("[data-events]").forEach(follow);
    if (root.matches && root.matches("[data-events]")) follow(root);
  }

  document.addEventListener("htmx:load", (e) => scan(e.detail.elt));
  document.addEventListener("DOMContentLoaded", () => scan(document));

  // ---------- clicks: jumps, focus a cell, reload, clear, the chat panel ----------
  document.addEventListener("click", (e) => {
    const jump = e.target.closest("[data-jump]");
    if (jump) {
      const target = document.getElementById(jump.dataset.jump);
      if (target) {
        e.preventDefault();
        target.scrollIntoView({ behavior: "smooth", block: "center" });
        target.classList.remove("flash");
        void target.offsetWidth;
        target.classList.add("flash");
        if (target.tabIndex >= 0) target.focus({ preventScroll: true });
      }
      return;
    }
    const focus = e.target.closest("[data-focus]");
    if (focus) {
      const input = document.getElementById(focus.dataset.focus);
      if (input) { e.preventDefault(); input.scrollIntoView({ block: "center" }); input.focus(); }
      return;
    }
    if (e.target.closest("[data-reload]")) { e.preventDefault(); window.location.reload(); return; }
    const clear = e.target.closest("[data-clear]");
    if (clear) { const box = document.querySelector(clear.dataset.clear); if (box) box.innerHTML = ""; return; }
    const toggle = e.target.closest(".chat-toggle, .chat-close");
    if (toggle) {
      const chat = document.getElementById("chat");
      if (!chat) return;
      chat.hidden = !chat.hidden;
      document.body.classList.toggle("chat-open", !chat.hidden);
      document.querySelectorAll(".chat-toggle").forEach((b) => b.setAttribute("aria-expanded", String(!chat.hidden)));
      if (!chat.hidden) htmx.trigger(chat, "open-chat");
    }
  });

  document.addEventListener("htmx:afterRequest", (e) => {
    const form = e.detail.elt;
    if (form && form.id === "chat-form" && e.detail.successful) form.reset();
    const log = document.getElementById("chat-log");
    if (log && form && form.closest && form.closest("#chat")) log.scrollTop = log.scrollHeight;
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.target.matches && e.target.matches("#chat-form textarea")) {
      e.preventDefault();
      htmx.trigger(e.target.form, "submit");
    }
  });

  // ---------- the page shows the files as they are: reload a pane when its file changed elsewhere ----------
  function paneElement() { return document.querySelector("#pane > [data-pane]"); }

  function dirty(pane) {
    if (pending) return true;
    return Array.from(pane.querySelectorAll("textarea")).some((t) => t.value !== t.defaultValue);
  }

  async function refreshIfChanged() {
    const main = document.getElementById("pane");
    const pane = paneElement();
    if (!main || !pane || !pane.dataset.file || !pane.dataset.version || document.hidden) return;
    const response = await fetch(`/${main.dataset.year}/versions`, { credentials: "same-origin" }).catch(() => null);
    if (!response || !response.ok) return;
    const versions = await response.json();
    const now = versions[pane.dataset.file];
    const kept = document.querySelector(`#pane #${pane.dataset.file}-version`);
    const shown = kept ? kept.value : pane.dataset.version;
    if (now && now !== shown && !dirty(pane)) {
      htmx.ajax("GET", `/${main.dataset.year}/pane/${pane.dataset.pane}`, { target: "#pane" });
      banner(`${pane.dataset.file === "draft" ? "draft.md" : pane.dataset.file === "stats" ? "stats.yaml" : "notes.md"} 已在别处修改，已重新载入。`, "info");
    }
  }

  document.addEventListener("visibilitychange", refreshIfChanged);
  window.addEventListener("focus", refreshIfChanged);
  document.addEventListener("drafter:changed", () => {
    const pane = paneElement();
    if (pane && pane.dataset.pane === "draft") refreshIfChanged();
  });
})();
