"""One JSON line per request: id, method, URL pattern, status, duration; no personal data."""

from __future__ import annotations

import json
import logging

import pytest
from django.urls import path

from learnward.core.requestlog import JSONFormatter, request_id_for

pytestmark = pytest.mark.django_db


def _lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "learnward.request"]


@pytest.fixture
def request_log(caplog):
    caplog.set_level(logging.INFO, logger="learnward.request")
    return caplog


def test_a_request_writes_one_line_with_its_pattern_not_its_path(client, request_log):
    response = client.get("/verify/ABCD-EFGH-JKLM/?email=someone@example.test")
    [record] = _lines(request_log)
    assert record.route == "verify/<str:code>/"
    assert record.method == "GET"
    assert record.status == response.status_code
    assert isinstance(record.duration_ms, float) and record.duration_ms >= 0
    assert record.request_id == response["X-Request-ID"]
    line = JSONFormatter().format(record)
    assert "ABCD" not in line and "someone" not in line and "example.test" not in line
    parsed = json.loads(line)
    assert parsed["route"] == "verify/<str:code>/"
    assert parsed["status"] == response.status_code
    assert parsed["request_id"] == response["X-Request-ID"]
    assert parsed["level"] == "INFO" and parsed["logger"] == "learnward.request"


def test_an_unknown_path_is_logged_without_it(client, request_log):
    client.get("/no-such-page/jane.doe@example.test/")
    [record] = _lines(request_log)
    assert record.route is None and record.status == 404
    assert "jane" not in JSONFormatter().format(record)


def test_the_proxys_request_id_is_kept_when_it_looks_like_an_id(client, request_log):
    response = client.get("/", headers={"X-Request-ID": "lb-7f3a.42_x"})
    assert response["X-Request-ID"] == "lb-7f3a.42_x"
    assert _lines(request_log)[0].request_id == "lb-7f3a.42_x"


@pytest.mark.parametrize("header", ["", "has space", "a" * 65, "new\nline", '"quoted"', "émoji"])
def test_anything_else_gets_a_fresh_id(header):
    fresh = request_id_for(header)
    assert fresh != header and len(fresh) == 16 and int(fresh, 16) >= 0


def test_ids_are_random():
    assert request_id_for(None) != request_id_for(None)


def boom(request):
    raise RuntimeError("broken view")


urlpatterns = [path("boom/", boom)]


def test_a_view_that_fails_is_logged_as_500_with_the_request_id_on_the_error(
    client, request_log, settings
):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    [line] = _lines(request_log)
    assert line.status == 500 and line.route == "boom/"
    errors = [r for r in request_log.records if r.name == "django.request"]
    assert errors, "Django logs the traceback"
    formatted = json.loads(JSONFormatter().format(errors[0]))
    assert formatted["request_id"] == line.request_id  # the error line carries the id
    assert "RuntimeError" in formatted["exception"]


def test_every_line_is_one_json_object_even_with_newlines_and_extras():
    record = logging.makeLogRecord(
        {"name": "learnward.x", "levelname": "WARNING", "msg": "two\nlines %s", "args": ("x",)}
    )
    record.count = 3
    record.thing = object()
    line = JSONFormatter().format(record)
    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["message"] == "two\nlines x"
    assert parsed["count"] == 3 and parsed["thing"].startswith("<object")
