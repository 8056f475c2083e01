// The lesson editor: a Markdown toolbar, a live preview rendered by the server (the same
// sanitiser learners get), and autosave of the draft a few seconds after typing stops.
(function () {
  "use strict";
  var form = document.getElementById("lesson-form");
  if (!form || !window.fetch) return;
  var textarea = form.querySelector("textarea[name=body_markdown]");
  var preview = document.getElementById("live-preview");
  var status = document.getElementById("save-status");
  var revision = form.querySelector("input[name=revision]");
  var toolbar = form.querySelector(".toolbar");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var AUTOSAVE_MS = 2000, PREVIEW_MS = 500;
  // Messages come from the page (data-msg-*), written in its language by the template.
  var msg = form.dataset;
  var lang = document.documentElement.lang || form.dataset.lang || undefined;
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, key) { return key in values ? values[key] : m; });
  }
  var saveTimer = null, previewTimer = null, dirty = false, saving = false, stale = false;

  function post(url, body) {
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "X-Requested-With": "fetch" }
    });
  }

  function refreshPreview() {
    var body = new FormData();
    body.append("body_markdown", textarea.value);
    post(form.dataset.previewUrl, body)
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) preview.innerHTML = html; })
      .catch(function () {});
  }

  function save() {
    if (saving || stale || !dirty) return;
    saving = true; dirty = false;
    status.textContent = msg.msgSaving;
    post(form.dataset.autosaveUrl, new FormData(form))
      .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, code: r.status, data: data }; }); })
      .then(function (res) {
        saving = false;
        if (res.ok) {
          revision.value = res.data.revision;
          var at = new Date(res.data.saved_at);
          status.textContent = fill(msg.msgSaved, {
            time: at.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit", hour12: false })
          });
          if (dirty) schedule();
        } else {
          if (res.code === 409) stale = true;
          dirty = true;
          status.textContent = fill(msg.msgNotSaved, { message: res.data.message });
        }
      })
      .catch(function () {
        saving = false; dirty = true;
        status.textContent = msg.msgOffline;
      });
  }

  function schedule() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, AUTOSAVE_MS);
  }

  function changed() {
    dirty = true;
    status.textContent = stale ? status.textContent : msg.msgUnsaved;
    schedule();
    clearTimeout(previewTimer);
    previewTimer = setTimeout(refreshPreview, PREVIEW_MS);
  }

  function wrap(before, after, placeholder) {
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    var text = textarea.value.slice(start, end) || placeholder;
    textarea.setRangeText(before + text + after, start, end, "end");
    textarea.setSelectionRange(start + before.length, start + before.length + text.length);
  }

  function prefixLines(prefix) {
    var start = textarea.value.lastIndexOf("\n", textarea.selectionStart - 1) + 1;
    var end = textarea.selectionEnd;
    var lines = textarea.value.slice(start, end).split("\n");
    var out = lines.map(function (line, i) {
      return (typeof prefix === "function" ? prefix(i) : prefix) + line;
    }).join("\n");
    textarea.setRangeText(out, start, end, "end");
  }

  var actions = {
    heading: function () { prefixLines("## "); },
    bold: function () { wrap("**", "**", msg.msgBold); },
    italic: function () { wrap("*", "*", msg.msgItalic); },
    list: function () { prefixLines("- "); },
    numbered: function () { prefixLines(function (i) { return (i + 1) + ". "; }); },
    link: function () { wrap("[", "](https://)", msg.msgLink); },
    quote: function () { prefixLines("> "); }
  };

  toolbar.hidden = false;
  toolbar.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-md]");
    if (!button) return;
    textarea.focus();
    actions[button.dataset.md]();
    changed();
  });
  // Roving focus in the toolbar: arrow keys move between its buttons.
  var buttons = Array.prototype.slice.call(toolbar.querySelectorAll("button"));
  buttons.forEach(function (b, i) { b.tabIndex = i === 0 ? 0 : -1; });
  toolbar.addEventListener("keydown", function (event) {
    var i = buttons.indexOf(document.activeElement);
    if (i < 0) return;
    var next = event.key === "ArrowRight" ? i + 1 : event.key === "ArrowLeft" ? i - 1 : null;
    if (next === null) return;
    event.preventDefault();
    next = (next + buttons.length) % buttons.length;
    buttons[i].tabIndex = -1; buttons[next].tabIndex = 0; buttons[next].focus();
  });
  form.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-insert]");
    if (!button) return;
    var code = button.dataset.insert;
    var start = textarea.selectionStart;
    if (button.dataset.block === "1") {
      var before = textarea.value.slice(0, start);
      var gap = before === "" || /\n\n$/.test(before) ? "" : (/\n$/.test(before) ? "\n" : "\n\n");
      code = gap + code + "\n\n";
    }
    textarea.setRangeText(code, start, textarea.selectionEnd, "end");
    textarea.focus();
    changed();
  });
  form.addEventListener("input", changed);
  form.addEventListener("submit", function () { clearTimeout(saveTimer); dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !stale) { save(); event.preventDefault(); }
  });
})();
