"""No page a learner or the public can reach shows a command to run or a raw category key.

The walk (tests/core/url_walk.py) asks every URL pattern of the site, filled with another
person's objects, as a signed-out visitor and as a learner; every HTML page that opens is read
as a person reads it (:mod:`tests.core.plain_words`). So are the privacy notice and "My data" of
a person with data in every registered model, and the staff pages the issue named (breaches,
records of processing, the DPO's subject page).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.core.plain_words import plain_words_problems, visible_text
from tests.core.url_walk import World, build_world, urls_to_walk

# --- the check itself -----------------------------------------------------------------------------


def test_a_command_name_after_learnward_is_reported(db):
    page = (
        "<main><p>Expired sessions are removed by <code>learnward clearsessions</code>.</p></main>"
    )
    [problem] = plain_words_problems(page)
    assert "learnward clearsessions" in problem
    assert plain_words_problems("<p>Run LEARNWARD export_subject --email a@b.c</p>")
    assert plain_words_problems('<a title="learnward demo">x</a>')  # read out, so checked


def test_a_raw_category_key_is_reported_but_its_label_is_not(db):
    assert len(plain_words_problems("<dd>user.name, user.contact.email</dd>")) == 2
    assert plain_words_problems("<dd>system.authentication</dd>")
    assert plain_words_problems("<dd>Name, Email address</dd>") == []


def test_words_that_only_look_alike_pass(db):
    assert plain_words_problems("<h1>Learnward Training</h1><p>Learnward checks it.</p>") == []
    assert plain_words_problems("<p>learnward demonstrates</p>") == []  # not the command "demo"
    assert plain_words_problems("<p>user.names</p><p>request.user.name</p>") == []
    # Not shown to anyone: scripts, styles, and the values a form sends back.
    hidden = (
        "<script>var k = 'user.name'; // learnward clearsessions</script><style>/*user.name*/</style>"
        '<input type="checkbox" name="c" value="user.contact.email"><label>Email address</label>'
    )
    assert plain_words_problems(hidden) == []
    assert visible_text("<p>a <b>b</b></p>") == "a b"


# --- every page a learner or the public reaches ---------------------------------------------------


@pytest.fixture
def world(client, settings, tmp_path) -> World:
    return build_world(client=client, settings=settings, tmp_path=tmp_path)


def _html(response) -> str | None:
    if response.status_code != 200 or response.streaming:
        return None
    if not response.get("Content-Type", "").startswith("text/html"):
        return None
    return response.content.decode("utf-8", "replace")


def _problems(client: Client, urls: dict[str, str]) -> tuple[list[str], int]:
    problems, read = [], 0
    for key, url in urls.items():
        html = _html(client.get(url))
        if html is None:
            continue
        read += 1
        problems += [f"{key} ({url}): {p}" for p in plain_words_problems(html)]
    return problems, read


@pytest.mark.django_db
def test_no_page_a_learner_or_the_public_reaches_shows_a_command_or_a_key(world, make_user):
    learner = make_user(email="plain@example.test", display_name="Plain Learner")
    signed_in = Client(raise_request_exception=False)
    signed_in.force_login(learner)
    urls = urls_to_walk(world, learner)
    problems, read = _problems(signed_in, urls)
    assert read > 30  # the walk really reads pages
    anonymous = Client(raise_request_exception=False)
    more, read = _problems(anonymous, urls)
    assert read > 10
    problems += more

    # The person with data everywhere, on their own pages: "My data" and the privacy notice.
    other = Client(raise_request_exception=False)
    other.force_login(world.other.user)
    for url in (reverse("rights:my_data"), reverse("privacy:notice")):
        html = _html(other.get(url))
        assert html is not None, url
        problems += [f"{url} (data everywhere): {p}" for p in plain_words_problems(html)]
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_the_staff_pages_the_issue_named_show_labels_not_keys(world, make_user):
    from learnward.accounts.services import user_set_roles
    from learnward.privacy.records.models import Breach
    from learnward.privacy.rights import desk

    dpo = make_user(email="dpo@example.test", display_name="Dana DPO", is_staff=True)
    user_set_roles(user=dpo, roles=["Data protection officer"], actor=None)
    device = TOTPDevice.objects.create(user=dpo, name="Authenticator app", confirmed=True)
    client = Client(raise_request_exception=False)
    client.force_login(dpo)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    Breach.objects.filter(pk=world.breach.pk).update(
        data_categories=["user.name", "user.contact.email"]
    )
    token = desk.subject_lookup_token(actor=dpo, email=world.other.user.email)
    pages = {
        "breach": reverse("privacy_staff:breach", args=[world.breach.pk]),
        "breaches": reverse("privacy_staff:breaches"),
        "records of processing": reverse("privacy_staff:ropa"),
        "DPO subject": reverse("dpo:subject_found", args=[token]),
    }
    problems = []
    for name, url in pages.items():
        html = _html(client.get(url))
        assert html is not None, f"{name}: {url} did not open"
        problems += [f"{name}: {p}" for p in plain_words_problems(html)]
        if name == "breach":
            assert "Name, Email address" in visible_text(html)
    assert not problems, "\n".join(problems)
