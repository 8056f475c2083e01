"""The CSV of people to invite: what is refused with a message, the preview's outcomes, and
formula cells made safe when the preview is downloaded."""

from __future__ import annotations

import pytest

from learnward.organisations import csv_import, services
from learnward.organisations.models import Invitation
from tests.organisations.factories import join


def test_utf8_with_or_without_a_bom_and_columns_in_any_order():
    text = "Name,EMAIL,department\nZoë Ó Sé,zoe@example.test,Night\n\n,,\nTom,tom@example.test\n"
    for data in (text.encode(), b"\xef\xbb\xbf" + text.encode()):
        rows = csv_import.parse_upload(data)
        assert rows == [
            (2, {"email": "zoe@example.test", "name": "Zoë Ó Sé", "department": "Night"}),
            (5, {"email": "tom@example.test", "name": "Tom", "department": ""}),
        ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("email,name\n".encode("utf-16"), "not UTF-8"),
        ("email,name\nZoë,z@example.test\n".encode("latin-1"), "not UTF-8"),
        (b"", "empty"),
        (b"email,department\na@example.test,x\n", "Missing: name"),
        (b"mail,nom\na@example.test,x\n", "Missing: email, name"),
        (b"email,name\n", "no person in it"),
    ],
)
def test_bad_files_are_refused_with_a_message(data, message):
    with pytest.raises(csv_import.CsvRefused, match=message):
        csv_import.parse_upload(data)


def test_size_and_row_limits_are_exact():
    header = b"email,name\n"
    rows = b"".join(f"p{i}@example.test,P\n".encode() for i in range(csv_import.MAX_ROWS))
    assert len(csv_import.parse_upload(header + rows)) == csv_import.MAX_ROWS
    with pytest.raises(csv_import.CsvRefused, match="more than 2,000"):
        csv_import.parse_upload(header + rows + b"one@example.test,More\n")
    # Exactly 1 MB in 16 rows (a cell stays under the csv module's own field limit).
    line = b"a@example.test," + b"x" * 65000 + b"\n"
    filler = header + line * 15
    filler += b"b@example.test," + b"x" * (csv_import.MAX_BYTES - len(filler) - 16) + b"\n"
    assert len(filler) == csv_import.MAX_BYTES
    csv_import.parse_upload(filler)
    with pytest.raises(csv_import.CsvRefused, match="largest we take is 1 MB"):
        csv_import.parse_upload(filler + b"\n")


@pytest.mark.django_db
def test_the_preview_says_what_happens_to_each_row(manager, org, pool, make_user):
    join(org, make_user(email="member@example.test"))
    Invitation.objects.create(
        organisation=org,
        email="waiting@example.test",
        token_hash="x" * 64,
        created_at=pool.created_at,
        expires_at=pool.created_at.replace(year=pool.created_at.year + 1),
    )
    data = (
        b"email,name,department\n"
        b"new1@example.test,New One,Day\n"
        b"not an address,Bad,\n"
        b"NEW1@example.test,Again,\n"
        b"member@example.test,Member,\n"
        b"waiting@example.test,Waiting,\n"
        b"new2@example.test,New Two,\n"
        b"new3@example.test,New Three,\n"
    )
    from django.utils import timezone

    outcomes = services.invitation_outcomes(
        organisation=org,
        pool=None,
        rows=csv_import.parse_upload(data),
        now=timezone.now(),
    )
    assert [o.code for o in outcomes] == [
        "will_invite",
        "invalid_email",
        "duplicate",
        "already_member",
        "already_invited",
        "will_invite",
        "will_invite",
    ]
    with_seats = services.invitation_outcomes(
        organisation=org, pool=pool, rows=csv_import.parse_upload(data), now=timezone.now()
    )
    # Two seats: the member takes a seat they lack; the third new person finds none left.
    assert [o.code for o in with_seats] == [
        "will_invite",
        "invalid_email",
        "duplicate",
        "will_invite",
        "already_invited",
        "no_seat",
        "no_seat",
    ]


@pytest.mark.django_db
def test_sending_invites_exactly_the_rows_shown_or_nothing(manager, org, pool):
    rows = csv_import.parse_upload(b"email,name\na@example.test,A\nb@example.test,B\n")
    with pytest.raises(services.OrganisationError, match="changed since the preview"):
        services.members_invite_from_csv(
            actor=manager, organisation=org, pool=pool, rows=rows, expected=["a@example.test"]
        )
    assert not Invitation.objects.exists()
    services.member_invite(actor=manager, organisation=org, email="c@example.test", pool=pool)
    with pytest.raises(services.OrganisationError, match="changed since the preview"):
        services.members_invite_from_csv(
            actor=manager,
            organisation=org,
            pool=pool,
            rows=rows,
            expected=["a@example.test", "b@example.test"],
        )
    assert Invitation.objects.count() == 1
    services.invitation_withdraw(actor=manager, invitation=Invitation.objects.get())
    sent = services.members_invite_from_csv(
        actor=manager,
        organisation=org,
        pool=pool,
        rows=rows,
        expected=["b@example.test", "a@example.test"],
    )
    assert len(sent) == 2


def test_formula_cells_are_neutralised_in_the_preview_csv():
    invitee = services.Invitee(
        email="a@example.test", name='=HYPERLINK("http://evil.test","x")', department="+1 night"
    )
    outcome = services.Outcome(invitee=invitee, code="will_invite", message="-ok", line=2)
    text = csv_import.outcomes_csv([outcome])
    assert "'=HYPERLINK" in text and "'+1 night" in text and "'-ok" in text
    assert ",=" not in text and ',"=' not in text
