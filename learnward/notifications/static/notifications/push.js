// Push notifications on this device: subscribe with the site's VAPID public key and post the
// subscription (with the CSRF token) to the server, or unsubscribe and tell the server.
(function () {
  "use strict";
  var box = document.getElementById("push-device");
  if (!box) return;
  var status = document.getElementById("push-status");
  var onButton = document.getElementById("push-on");
  var offButton = document.getElementById("push-off");
  var key = box.getAttribute("data-vapid-public-key");
  // The messages come from the page, in its language (data-msg-* attributes).
  function msg(name) { return box.getAttribute("data-msg-" + name) || ""; }

  function say(text) { status.textContent = text; }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.error || msg("refused"));
        return data;
      });
    });
  }

  function show(subscribed) {
    onButton.hidden = subscribed;
    offButton.hidden = !subscribed;
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !key) {
    say(msg("unsupported"));
    return;
  }

  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    return registration.pushManager.getSubscription().then(function (subscription) {
      show(Boolean(subscription));
      say(subscription ? msg("on") : msg("off"));

      onButton.addEventListener("click", function () {
        say(msg("asking"));
        Promise.resolve(window.Notification && Notification.permission === "granted" ? "granted" : (window.Notification ? Notification.requestPermission() : "granted"))
          .then(function (permission) {
            if (permission !== "granted") throw new Error(msg("denied"));
            return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
          })
          .then(function (subscription) { return post(box.getAttribute("data-subscribe-url"), subscription.toJSON()); })
          .then(function () { window.location.reload(); })
          .catch(function (error) { say(msg("on-failed") + " " + error.message); });
      });

      offButton.addEventListener("click", function () {
        registration.pushManager.getSubscription().then(function (current) {
          if (!current) return null;
          var endpoint = current.endpoint;
          return current.unsubscribe().then(function () {
            return post(box.getAttribute("data-unsubscribe-url"), { endpoint: endpoint });
          });
        }).then(function () { window.location.reload(); })
          .catch(function (error) { say(msg("off-failed") + " " + error.message); });
      });
    });
  }).catch(function () {
    say(msg("unsupported"));
  });
})();
