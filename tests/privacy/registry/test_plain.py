"""Registry values in plain words: known answers for dates (in the site's time zone, across
midnight), yes/no, "none", choice labels, related records, and which fields are technical."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from uuid import UUID

import pytest
from django.utils import timezone

from learnward.privacy.registry import declaration_for
from learnward.privacy.registry.plain import (
    TECHNICAL_CATEGORIES,
    field_value,
    format_datetime,
    human,
    is_technical,
)

UTC = dt.UTC


def test_the_issues_timestamp_reads_as_a_date_and_a_time(settings):
    settings.TIME_ZONE = "Europe/London"
    moment = dt.datetime(2026, 12, 6, 1, 20, 10, 52613, tzinfo=UTC)  # GMT in December
    assert human(moment) == "6 December 2026, 01:20"
    assert format_datetime(moment) == "6 December 2026, 01:20"


def test_dates_are_shown_in_the_sites_time_zone_across_midnight(settings):
    settings.TIME_ZONE = "Europe/London"
    # 23:30 UTC on 30 June is 00:30 British Summer Time on 1 July.
    assert human(dt.datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "1 July 2026, 00:30"
    # One minute before midnight in London stays on its day.
    assert human(dt.datetime(2026, 6, 30, 22, 59, tzinfo=UTC)) == "30 June 2026, 23:59"
    settings.TIME_ZONE = "America/New_York"
    with timezone.override("America/New_York"):
        assert human(dt.datetime(2026, 7, 1, 3, 30, tzinfo=UTC)) == "30 June 2026, 23:30"


def test_plain_values_known_answers():
    assert human(True) == "Yes" and human(False) == "No"
    assert human(None) == "none" and human("") == "none" and human([]) == "none"
    assert human({}) == "none"
    assert human(dt.date(2026, 1, 5)) == "5 January 2026"
    assert human(Decimal("2.50")) == "2.5" and human(Decimal("10")) == "10"
    assert human(7) == "7" and human("Hello") == "Hello"
    assert human({"fields": ["display_name"], "count": 2}) == "fields: display_name; count: 2"
    assert human(["a", None, True]) == "a, none, Yes"
    assert human(UUID("12345678-1234-5678-1234-567812345678")).startswith("12345678-")


@pytest.mark.django_db
def test_field_values_use_choice_labels_related_names_and_you(make_user):
    from learnward.privacy.rights.models import SubjectExport

    ada = make_user(email="ada@example.test", display_name="Ada Lovelace")
    export = SubjectExport.objects.create(user=ada)
    declaration = declaration_for(SubjectExport)
    assert field_value(export, "status", declaration, ada.pk) == "Being prepared"  # not "pending"
    assert field_value(export, "user", declaration, ada.pk) == "You"
    assert field_value(export, "ready_at", declaration, ada.pk) == "none"
    grace = make_user(email="grace@example.test", display_name="Grace Hopper")
    assert field_value(export, "user", declaration, grace.pk) == str(ada)


def test_technical_fields_are_decided_from_categories_and_field_types():
    from axes.models import AccessAttempt

    from learnward.accounts.models import User
    from learnward.privacy.rights.models import SubjectExport

    attempt = declaration_for(AccessAttempt)
    assert attempt.fields["ip_address"] in TECHNICAL_CATEGORIES
    assert is_technical(attempt, "ip_address") and is_technical(attempt, "user_agent")
    assert is_technical(attempt, "http_accept")  # the issue's "HTTP Accept"
    user = declaration_for(User)
    assert is_technical(user, "id")  # a primary key
    assert not is_technical(user, "display_name") and not is_technical(user, "email")
    export = declaration_for(SubjectExport)
    assert is_technical(export, "public_id")  # a UUID
    assert not is_technical(export, "status") and not is_technical(export, "requested_at")
