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

  function saveCell(input) {
    const td = input.closest("td");
    const root = editor();
    if (!root || !td) return;
    const path = td.dataset.path;
    const value = input.value;
    pending += 1;
    td.classList.add("saving");
    queue = queue.then(async () => {
      const body = new URLSearchParams({ path: path, value: value, version: root.dataset.version });
      let response;
      try {
        response = await fetch(`/${root.dataset.year}/stats/cell`, {
          method: "POST", body: body, credentials: "same-origin",
          headers: { "X-CSRF-Token": csrf(), "Accept": "application/json" },
        });
      } catch (err) {
        banner("无法连接工作台：这一格没有保存。");
        td.classList.add("unsaved");
        return;
      } finally {
        pending -= 1;
        td.classList.remove("saving");
      }
      const data = await response.json().catch(() => ({}));
      const msg = message(td);
      if (response.status === 422) {
        td.classList.add("invalid", "error");
        input.setAttribute("aria-invalid", "true");
        if (msg) msg.textContent = data.message || "取值无效";
        td.title = data.message || "";
        showStatus(document.activeElement && document.activeElement.closest("#stats-editor td.num") ? document.activeElement : input);
        return;
      }
      if (response.status === 409) {
        td.classList.add("unsaved");
        showConflict(data.message || "统计表已在别处被修改，这一格没有保存。");
        return;
      }
      if (!response.ok) {
        td.classList.add("unsaved");
        banner(data.message || "保存失败。");
        return;
      }
      td.classList.remove("invalid", "unsaved");
      root.dataset.version = data.version;
      const hidden = document.getElementById("stats-version");
      if (hidden) hidden.value = data.version;
      if (document.activeElement !== input && input.value === value) input.value = data.value;
      applyMarks(root, data.marks);
      const list = document.getElementById("stats-problems");
      if (list) list.innerHTML = data.problems_html;
      if (document.activeElement && document.activeElement.closest && document.activeElement.closest("#stats-editor")) showStatus(document.activeElement);
    });
  }

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

  document.addEventListener("focusin", (e) => {
    if (e.target.matches && e.target.matches("#stats-editor td.num input")) showStatus(e.target);
  });

  document.addEventListener("change", (e) => {
    const input = e.target;
    if (input.matches && input.matches("#stats-editor td.num input")) saveCell(input);
  });
  document.addEventListener("keydown", (e) => {
    const input = e.target;
    if (e.key === "Enter" && input.matches && input.matches("#stats-editor td.num input")) {
      e.preventDefault();
      const inputs = Array.from(editor().querySelectorAll("td.num input"));
      const next = inputs[inputs.indexOf(input) + 1];
      if (next) next.focus(); else input.blur();
    }
  });

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
