"""Joining is an explicit act recorded as consent with its words; leaving withdraws it and hides
the person's profile and posts from everyone; the profile never shows an email address."""

from __future__ import annotations

import pytest

from learnward.community import selectors, services
from learnward.community.models import Member
from learnward.privacy.consent.models import ConsentRecord
from learnward.privacy.consent.services import consent_given


def test_joining_records_consent_with_its_words_and_a_first_name_profile(client, make_user, site):
    user = make_user(email="zoe@example.test", display_name="Zoë Ó Sé")
    client.force_login(user)
    page = client.get("/community/")
    assert b"Join the community" in page.content
    assert not Member.objects.exists()
    response = client.post("/community/join/")
    assert response.status_code == 302
    record = ConsentRecord.objects.get(subject=user, purpose="community")
    assert record.given and record.text == services.JOIN_TEXT and record.method == "form"
    member = Member.objects.get(user=user)
    assert member.display_name == "Zoë" and member.current
    assert consent_given(user=user, purpose="community")


def test_leaving_withdraws_consent_and_hides_their_threads_at_once(client, ana, tom, site):
    thread = services.thread_start(user=ana, space=site, title="Hello all", body="First post")
    client.force_login(tom)
    assert b"Hello all" in client.get(f"/community/spaces/{site.pk}/").content
    services.member_leave(user=ana)
    assert not consent_given(user=ana, purpose="community")
    assert ConsentRecord.objects.filter(subject=ana, purpose="community", given=False).exists()
    assert b"Hello all" not in client.get(f"/community/spaces/{site.pk}/").content
    assert client.get(f"/community/threads/{thread.pk}/").status_code == 404
    # Rejoining brings them back.
    services.member_join(user=ana)
    assert client.get(f"/community/threads/{thread.pk}/").status_code == 200


def test_someone_who_has_not_joined_reads_nothing_and_is_asked_to_join(client, make_user, site):
    user = make_user()
    client.force_login(user)
    response = client.get(f"/community/spaces/{site.pk}/")
    assert response.status_code == 302 and response["Location"] == "/community/"


def test_profile_is_editable_and_refuses_an_email_address(client, ana):
    client.force_login(ana)
    response = client.post(
        "/community/profile/",
        {"display_name": "ana@example.test", "handle": "ana", "bio": ""},
    )
    assert response.status_code == 400
    assert b"cannot show an email address" in response.content
    response = client.post(
        "/community/profile/", {"display_name": "Ana S", "handle": "ana_s", "bio": "Carer"}
    )
    assert response.status_code == 302
    member = Member.objects.get(user=ana)
    assert (member.display_name, member.handle, member.bio) == ("Ana S", "ana_s", "Carer")
    page = client.get("/community/members/ana_s/")
    assert b"Ana S" in page.content and b"ana@example.test" not in page.content


def test_a_handle_is_unique_whatever_its_case(ana, tom):
    with pytest.raises(services.CommunityError, match="Another member"):
        services.profile_update(user=tom, display_name="Tom", handle="ANA", bio="")


def test_handles_are_made_unique_on_joining(make_user):
    first = services.member_join(user=make_user(display_name="Sam One"))
    second = services.member_join(user=make_user(display_name="Sam Two"))
    assert (first.handle, second.handle) == ("sam", "sam2")
    assert selectors.current_member(user=first.user) == first
