/* The teacher's QR check-in screen, progressively enhanced: without JavaScript the page shows
   one code and a "Show a new code" link; with it, a fresh code is fetched every rotation period
   ([data-qr-every] seconds) from [data-qr-refresh] and swapped in, and the page reloads once
   check-in has closed. */
(function () {
  "use strict";

  var box = document.querySelector("[data-qr-refresh]");
  if (!box || !window.fetch) {
    return;
  }
  var every = parseInt(box.getAttribute("data-qr-every"), 10) * 1000;
  var image = box.querySelector("img");
  var link = document.getElementById("checkin-link");

  function refresh() {
    window.fetch(box.getAttribute("data-qr-refresh"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (!data.open) {
          window.location.reload();
          return;
        }
        image.src = data.qr_src;
        if (link) {
          link.href = data.url;
          link.textContent = data.url;
        }
      })
      .catch(function () {
        /* Keep the code shown; the next attempt may work. */
      });
  }

  if (every > 0) {
    window.setInterval(refresh, every);
  }
})();
