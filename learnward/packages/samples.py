"""Small packages built in code: the demo's SCORM lesson and the test suite's packages (the same
builder, so the demo works offline and what the tests play is what the demo shows).

Each builder returns the bytes of a zip: a manifest and one HTML page that finds the API the
standard way, restores its saved note, and reports progress, completion and a score.
"""

from __future__ import annotations

import io
import zipfile
from html import escape

_STYLE = (
    "body{font-family:system-ui,sans-serif;line-height:1.5;max-width:40rem;margin:0 auto;"
    "padding:1rem;color:#1b1b1b;background:#fff}button,input{font:inherit;margin:.25rem 0}"
    "input{max-width:100%}button:focus,input:focus{outline:3px solid #1d4ed8;outline-offset:2px}"
)

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<main>
<h1>{title}</h1>
{body}
<p id="status" role="status">Connecting to the course…</p>
<p>Your saved note: <output id="restored"></output></p>
<p><label for="note">A note to keep for next time</label><br><input id="note" type="text"></p>
<p><button type="button" id="save">Save and finish later</button></p>
<p><button type="button" id="complete">I have finished this lesson</button></p>
</main>
<script>
{script}
</script>
</body>
</html>
"""

_SCORM12_SCRIPT = """
(function () {
  function findAPI(win) {
    var tries = 0;
    while (win.API == null && win.parent != null && win.parent != win && tries < 10) {
      tries++; win = win.parent;
    }
    return win.API;
  }
  var status = document.getElementById("status");
  var api = null;
  try { api = findAPI(window); } catch (e) { api = null; }
  if (!api) { status.textContent = "No SCORM API was found."; return; }
  api.LMSInitialize("");
  var saved = api.LMSGetValue("cmi.suspend_data");
  document.getElementById("restored").textContent = saved;
  document.getElementById("note").value = saved;
  status.textContent = "Ready: " + api.LMSGetValue("cmi.core.lesson_status") + ".";
  document.getElementById("save").addEventListener("click", function () {
    api.LMSSetValue("cmi.suspend_data", document.getElementById("note").value);
    api.LMSSetValue("cmi.core.lesson_location", "page-2");
    api.LMSSetValue("cmi.core.exit", "suspend");
    api.LMSCommit("");
    status.textContent = "Saved.";
  });
  document.getElementById("complete").addEventListener("click", function () {
    api.LMSSetValue("cmi.core.score.raw", "{score}");
    api.LMSSetValue("cmi.core.score.min", "0");
    api.LMSSetValue("cmi.core.score.max", "100");
    api.LMSSetValue("cmi.core.lesson_status", "{status}");
    api.LMSCommit("");
    api.LMSFinish("");
    status.textContent = "Finished.";
  });
})();
"""

_SCORM2004_SCRIPT = """
(function () {
  function findAPI(win) {
    var tries = 0;
    while (win.API_1484_11 == null && win.parent != null && win.parent != win && tries < 10) {
      tries++; win = win.parent;
    }
    return win.API_1484_11;
  }
  var status = document.getElementById("status");
  var api = null;
  try { api = findAPI(window); } catch (e) { api = null; }
  if (!api) { status.textContent = "No SCORM API was found."; return; }
  api.Initialize("");
  var saved = api.GetValue("cmi.suspend_data");
  document.getElementById("restored").textContent = saved;
  document.getElementById("note").value = saved;
  status.textContent = "Ready: " + api.GetValue("cmi.completion_status") + ".";
  document.getElementById("save").addEventListener("click", function () {
    api.SetValue("cmi.suspend_data", document.getElementById("note").value);
    api.SetValue("cmi.location", "page-2");
    api.SetValue("cmi.exit", "suspend");
    api.Commit("");
    status.textContent = "Saved.";
  });
  document.getElementById("complete").addEventListener("click", function () {
    api.SetValue("cmi.score.scaled", "0.9");
    api.SetValue("cmi.score.raw", "90");
    api.SetValue("cmi.completion_status", "completed");
    api.SetValue("cmi.success_status", "{success}");
    api.Commit("");
    api.Terminate("");
    status.textContent = "Finished.";
  });
})();
"""

_MANIFEST_12 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="learnward-sample-12" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>{title}</title>
      <item identifier="item" identifierref="sco"><title>{title}</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="sco" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/>
    </resource>
  </resources>
</manifest>
"""

_MANIFEST_2004 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="learnward-sample-2004" version="1.0"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>{title}</title>
      <item identifier="item" identifierref="sco"><title>{title}</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="sco" type="webcontent" adlcp:scormType="sco" href="content/index.html">
      <file href="content/index.html"/>
    </resource>
  </resources>
</manifest>
"""

_CMI5 = """<?xml version="1.0" encoding="UTF-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://learnward.example/courses/{slug}">
    <title><langstring lang="en-GB">{title}</langstring></title>
    <description><langstring lang="en-GB">{title}</langstring></description>
  </course>
  <au id="https://learnward.example/courses/{slug}/au" moveOn="{move_on}" launchMethod="AnyWindow">
    <title><langstring lang="en-GB">{title}</langstring></title>
    <description><langstring lang="en-GB">{title}</langstring></description>
    <url>au/index.html</url>
  </au>
</courseStructure>
"""


def zip_bytes(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data.encode() if isinstance(data, str) else data)
    return buffer.getvalue()


def scorm12_page(*, title: str, body: str = "", status: str = "completed", score: int = 90) -> str:
    script = _SCORM12_SCRIPT.replace("{status}", status).replace("{score}", str(score))
    return _PAGE.format(title=escape(title), style=_STYLE, body=body, script=script)


def scorm2004_page(*, title: str, body: str = "", success: str = "passed") -> str:
    script = _SCORM2004_SCRIPT.replace("{success}", success)
    return _PAGE.format(title=escape(title), style=_STYLE, body=body, script=script)


def scorm12_package(
    *, title: str = "A SCORM 1.2 lesson", body: str = "", status: str = "completed", page: str = ""
) -> bytes:
    return zip_bytes(
        {
            "imsmanifest.xml": _MANIFEST_12.format(title=escape(title)),
            "index.html": page or scorm12_page(title=title, body=body, status=status),
        }
    )


def scorm2004_package(*, title: str = "A SCORM 2004 lesson", success: str = "passed") -> bytes:
    return zip_bytes(
        {
            "imsmanifest.xml": _MANIFEST_2004.format(title=escape(title)),
            "content/index.html": scorm2004_page(title=title, success=success),
        }
    )


_CMI5_SCRIPT = """
(function () {
  var INITIALIZED = "http://adlnet.gov/expapi/verbs/initialized";
  var COMPLETED = "http://adlnet.gov/expapi/verbs/completed";
  var PASSED = "http://adlnet.gov/expapi/verbs/passed";
  var TERMINATED = "http://adlnet.gov/expapi/verbs/terminated";
  var query = new URLSearchParams(window.location.search);
  var endpoint = query.get("endpoint"), fetchUrl = query.get("fetch");
  var registration = query.get("registration"), activityId = query.get("activityId");
  var actor = JSON.parse(query.get("actor") || "null");
  var status = document.getElementById("status");
  var token = null, extensions = {};
  function headers() {
    return {"Authorization": "Basic " + token, "X-Experience-API-Version": "1.0.3",
            "Content-Type": "application/json"};
  }
  function send(verb, result) {
    var statement = {actor: actor, verb: {id: verb}, timestamp: new Date().toISOString(),
      object: {id: activityId, objectType: "Activity"},
      context: {registration: registration, extensions: extensions}};
    if (result) { statement.result = result; }
    return fetch(endpoint + "statements", {method: "POST", headers: headers(),
                                           body: JSON.stringify(statement)})
      .then(function (r) { if (!r.ok) { throw new Error("the LRS said " + r.status); } });
  }
  function fail(error) { status.textContent = "Error: " + error.message; }
  fetch(fetchUrl, {method: "POST"})
    .then(function (r) { return r.json(); })
    .then(function (data) {
      token = data["auth-token"];
      var where = new URLSearchParams({stateId: "LMS.LaunchData", activityId: activityId,
                                       agent: JSON.stringify(actor), registration: registration});
      return fetch(endpoint + "activities/state?" + where, {headers: headers()});
    })
    .then(function (r) { return r.json(); })
    .then(function (launchData) {
      extensions = launchData.contextTemplate.extensions;
      return send(INITIALIZED);
    })
    .then(function () { status.textContent = "Ready."; })
    .catch(fail);
  document.getElementById("again").addEventListener("click", function () {
    fetch(fetchUrl, {method: "POST"}).then(function (r) { return r.json(); })
      .then(function (data) {
        document.getElementById("second").textContent = data["auth-token"]
          ? "A second token was given." : "Refused: error " + data["error-code"] + ".";
      });
  });
  document.getElementById("complete").addEventListener("click", function () {
    send(COMPLETED)
      .then(function () { return send(PASSED, {success: true, score: {scaled: 0.9}}); })
      .then(function () { return send(TERMINATED); })
      .then(function () { status.textContent = "Finished."; })
      .catch(fail);
  });
})();
"""


def cmi5_package(
    *, title: str = "A cmi5 lesson", slug: str = "cmi5-sample", move_on: str = "CompletedOrPassed"
) -> bytes:
    """An assignable unit that fetches its token, reads LMS.LaunchData, and sends initialized,
    then completed, passed and terminated when the learner finishes."""
    page = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body><main>"
        f"<h1>{escape(title)}</h1><p id='status' role='status'>Connecting to the course…</p>"
        "<p><button type='button' id='again'>Ask for the token again</button></p>"
        "<p id='second'></p>"
        "<p><button type='button' id='complete'>I have finished this lesson</button></p>"
        f"</main><script>{_CMI5_SCRIPT}</script></body></html>"
    )
    return zip_bytes(
        {
            "cmi5.xml": _CMI5.format(title=escape(title), slug=slug, move_on=move_on),
            "au/index.html": page,
        }
    )
