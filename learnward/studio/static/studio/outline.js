// The course outline without page loads: each outline form is sent with fetch and the fresh
// outline fragment replaces the old one; focus returns to the same control. Dragging a module or
// lesson by its handle sends the new order. Without JavaScript the same forms post and redirect.
(function () {
  "use strict";
  var root = document.getElementById("outline");
  if (!root || !window.fetch) return;
  var csrf = function () {
    var input = root.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  };

  function swap(html, focusKey) {
    root.innerHTML = html;
    enhance();
    var target = focusKey && (document.getElementById(focusKey) ||
      root.querySelector('[data-focus-key="' + focusKey + '"]:not([disabled])'));
    if (!target || target.disabled) {
      var other = focusKey && focusKey.replace(/-(up|down)$/, function (m, d) { return d === "up" ? "-down" : "-up"; });
      target = other && root.querySelector('[data-focus-key="' + other + '"]:not([disabled])');
    }
    if (!target) target = document.getElementById("outline-heading");
    if (target) target.focus();
  }

  function send(url, body, headers, focusKey) {
    headers["X-Studio-Fragment"] = "1";
    headers["X-CSRFToken"] = csrf();
    return fetch(url, { method: "POST", body: body, headers: headers, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) { swap(html, focusKey); })
      .catch(function () {
        var status = document.getElementById("outline-status");
        if (status) status.textContent = root.dataset.msgOffline;
      });
  }

  function onSubmit(event) {
    var form = event.target.closest("form[data-studio-action]");
    if (!form) return;
    event.preventDefault();
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
    var button = event.submitter || form.querySelector("button[type=submit]");
    var focusKey = button ? button.getAttribute("data-focus-key") : "";
    send(form.action, new FormData(form), {}, focusKey);
  }

  // --- dragging ---------------------------------------------------------------------------------
  var dragged = null;

  function order() {
    return Array.prototype.map.call(root.querySelectorAll(".outline-module"), function (module) {
      return {
        module: Number(module.dataset.moduleId),
        lessons: Array.prototype.map.call(module.querySelectorAll(".outline-lesson"), function (l) {
          return Number(l.dataset.lessonId);
        })
      };
    });
  }

  function enhance() {
    root.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
    root.querySelectorAll(".outline-module, .outline-lesson").forEach(function (item) {
      var handle = item.querySelector(":scope > .outline-row > .drag-handle");
      if (!handle) return;
      handle.addEventListener("mousedown", function () { item.draggable = true; });
      item.addEventListener("dragstart", function (event) {
        if (!item.draggable) return;
        event.stopPropagation();
        dragged = item;
        item.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", item.id);
      });
      item.addEventListener("dragend", function () {
        item.draggable = false;
        item.classList.remove("dragging");
        if (!dragged) return;
        dragged = null;
        send(root.dataset.reorderUrl, JSON.stringify(order()),
          { "Content-Type": "application/json" }, item.id.replace(/^(module|lesson)-(\d+)$/, "$1-$2-title"));
      });
    });
  }

  root.addEventListener("dragover", function (event) {
    if (!dragged) return;
    event.preventDefault();
    var isModule = dragged.classList.contains("outline-module");
    var over = event.target.closest(isModule ? ".outline-module" : ".outline-lesson, .outline-lessons");
    if (!over || over === dragged || dragged.contains(over)) return;
    if (over.classList.contains("outline-lessons")) {
      if (!over.querySelector(".outline-lesson")) {
        var empty = over.querySelector(".outline-empty");
        if (empty) empty.remove();
        over.appendChild(dragged);
      }
      return;
    }
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    over.parentNode.insertBefore(dragged, after ? over.nextSibling : over);
  });
  root.addEventListener("drop", function (event) { if (dragged) event.preventDefault(); });
  root.addEventListener("submit", onSubmit);
  enhance();
})();
