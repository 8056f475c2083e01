/* Certificate sharing, progressively enhanced: without JavaScript the verification link is shown
   in a read-only field to select and copy, and the print view has the browser's own Print.
   - [data-copy-target]: a hidden button, shown here, that copies the target field's value with
     the Clipboard API and announces the result in the [data-copy-status] live region, in the
     words of its data-msg-copied and data-msg-failed attributes (translated by the template).
   - [data-print]: a hidden button, shown here, that opens the print dialogue. */
(function () {
  "use strict";

  function announce(region, text) {
    // Clear first so that the same words are announced again on a second copy.
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function selectField(field) {
    field.focus();
    field.select();
  }

  function legacyCopy(field) {
    selectField(field);
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    var region = document.getElementById(button.getAttribute("data-copy-status"));
    if (!field || !region) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      // The messages come from the template, in the page's language (data-msg-*).
      var copied = function () {
        announce(region, button.getAttribute("data-msg-copied") || "Copied");
      };
      var failed = function () {
        selectField(field);
        announce(
          region,
          button.getAttribute("data-msg-failed") ||
            "Could not copy: the link is selected, copy it with your keyboard or menu"
        );
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(copied, function () {
          if (legacyCopy(field)) { copied(); } else { failed(); }
        });
      } else if (legacyCopy(field)) {
        copied();
      } else {
        failed();
      }
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
