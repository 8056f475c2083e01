// Registers the service worker (/sw.js) that makes the site installable and shows the offline
// page when the network is gone. It caches nothing personal (see docs/notifications.md).
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
      // Not fatal: the site works without it.
    });
  });
})();
