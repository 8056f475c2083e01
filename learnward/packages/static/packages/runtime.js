/* Learnward's SCORM runtime for one package page (learnward/packages/serving.py puts it, after
   scorm-again, at the top of each HTML page of a SCORM package).

   The page runs sandboxed in an opaque origin: it cannot reach a Learnward window, so the API
   lives in the page itself, where the standard discovery looks first (window.API for SCORM 1.2,
   window.API_1484_11 for SCORM 2004). scorm-again keeps the runtime data and commits it to the
   launch's commit URL, which the launch token in its path authorises (no cookie is sent). */
(function () {
  "use strict";
  var element = document.getElementById("learnward-package-runtime");
  if (!element || !window.Scorm12API) {
    return;
  }
  var config = JSON.parse(element.textContent);
  var settings = {
    lmsCommitUrl: config.commitUrl || false,
    autocommit: true,
    autocommitSeconds: 15,
    dataCommitFormat: "json",
    xhrWithCredentials: false,
    fetchMode: "cors",
    logLevel: 4
  };
  var api;
  if (config.standard === "scorm12") {
    api = new window.Scorm12API(settings);
    api.loadFromJSON(config.cmi || {}, "");
    window.API = api;
  } else {
    api = new window.Scorm2004API(settings);
    api.loadFromJSON(config.cmi || {}, "");
    window.API_1484_11 = api;
  }
})();
