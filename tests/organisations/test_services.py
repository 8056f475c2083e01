"""Organisation services: seats held and given back, invitations, accepting, leaving, required
courses, staff's direct enrolment and pools from a seat order."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from learnward.audit.models import AuditEntry
from learnward.commerce.models import AccessGrant, EnrolmentCode
from learnward.learning.models import Enrolment
from learnward.organisations import services
from learnward.organisations.models import Invitation, Membership, RequiredCourse, SeatPool

from .factories import join, make_organisation, make_pool, make_staff

pytestmark = pytest.mark.django_db


def _invite(manager, org, email, pool=None, **extra):
    return services.member_invite(actor=manager, organisation=org, email=email, pool=pool, **extra)


def _accept(invitation_token, user):
    return services.invitation_accept(token=invitation_token, user=user)


def _token_of(mailoutbox, address):
    [message] = [m for m in mailoutbox if m.to == [address]]
    link = next(line for line in message.body.splitlines() if "/organisations/invitations/" in line)
    return link.rstrip("/").rsplit("/", 1)[1]


# --- seats -------------------------------------------------------------------------------------


def test_invitations_hold_seats_and_the_pool_refuses_one_more(manager, org, pool):
    _invite(manager, org, "a@example.test", pool)
    _invite(manager, org, "b@example.test", pool)
    with pytest.raises(services.OrganisationError, match="No seats are left"):
        _invite(manager, org, "c@example.test", pool)
    assert services.seats_taken(pool) == 2
    assert not Invitation.objects.filter(email="c@example.test").exists()


def test_a_withdrawn_invitation_gives_its_seat_back(manager, org, pool):
    first = _invite(manager, org, "a@example.test", pool)
    _invite(manager, org, "b@example.test", pool)
    services.invitation_withdraw(actor=manager, invitation=first)
    assert services.seats_taken(pool) == 1
    _invite(manager, org, "c@example.test", pool)  # the seat is free again
    with pytest.raises(services.OrganisationError):
        services.invitation_withdraw(actor=manager, invitation=first)


def test_an_invitation_past_its_time_holds_no_seat_and_the_daily_job_expires_it(
    manager, org, pool, settings
):
    settings.INVITATION_DAYS = 14
    _invite(manager, org, "a@example.test", pool)
    _invite(manager, org, "b@example.test", pool)
    later = timezone.now() + timedelta(days=14, seconds=1)
    assert services.seats_taken(pool, now=timezone.now() + timedelta(days=13)) == 2
    assert services.seats_taken(pool, now=later) == 0
    assert services.invitations_expire_due(now=later) == 2
    assert set(Invitation.objects.values_list("status", flat=True)) == {"expired"}
    assert AuditEntry.objects.filter(action="organisations.invitations_expired").count() == 1
    assert services.invitations_expire_due(now=later) == 0


def test_an_expired_pool_takes_no_invitations(manager, org, course):
    pool = make_pool(org, course, seats=5, days=0)
    _invite(manager, org, "a@example.test", pool)  # usable through its last day
    pool.expires_on = timezone.localdate() - timedelta(days=1)
    pool.save()
    with pytest.raises(services.OrganisationError, match="expired"):
        _invite(manager, org, "b@example.test", pool)


def test_another_organisations_pool_is_refused(manager, org, course):
    other_pool = make_pool(make_organisation(), course)
    with pytest.raises(services.OrganisationError, match="this organisation's seat pools"):
        _invite(manager, org, "a@example.test", other_pool)


def test_members_and_people_invited_already_are_not_invited_again(manager, org, make_user, pool):
    member = make_user(email="Sam@Example.test")
    join(org, member)
    with pytest.raises(services.OrganisationError, match="already a member"):
        _invite(manager, org, "sam@example.test")
    # ...but a member may be invited to take a seat they do not have yet.
    _invite(manager, org, "SAM@example.test", pool)
    with pytest.raises(services.OrganisationError, match="invited already"):
        _invite(manager, org, "sam@example.test", pool)


def test_bad_addresses_and_names_are_refused(manager, org):
    with pytest.raises(services.OrganisationError) as exc:
        _invite(manager, org, "not-an-address")
    assert exc.value.field == "email"
    with pytest.raises(services.OrganisationError) as exc:
        _invite(manager, org, "a@example.test", name="Ann\u202eevil")
    assert exc.value.field == "name"


# --- who may invite ----------------------------------------------------------------------------


def test_only_managers_of_the_same_organisation_or_staff_invite(org, manager, make_user, pool):
    member = make_user()
    join(org, member)
    other_manager = make_user()
    join(make_organisation(), other_manager, role="manager")
    for actor in (member, other_manager):
        with pytest.raises(services.OrganisationError, match="Only a manager"):
            _invite(actor, org, "x@example.test", pool)
        with pytest.raises(services.OrganisationError, match="Only a manager"):
            services.manager_invite(actor=actor, organisation=org, email="y@example.test")
    staff = make_staff(make_user)
    services.manager_invite(actor=staff, organisation=org, email="boss@example.test")
    services.manager_invite(actor=manager, organisation=org, email="deputy@example.test")
    assert Invitation.objects.filter(role="manager").count() == 2


def test_the_invitation_email_carries_a_token_whose_hash_alone_is_stored(
    manager, org, pool, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(manager, org, "ann@example.test", pool, name="Ann O'Brien")
    token = _token_of(mailoutbox, "ann@example.test")
    assert len(token) >= 43 and token not in invitation.token_hash
    assert invitation.token_hash == services.token_hash(token)
    body = mailoutbox[0].body
    assert body.startswith("Hello Ann O'Brien,") and "Manual handling" in body
    assert AuditEntry.objects.filter(action="organisations.invited").count() == 1


# --- accepting ---------------------------------------------------------------------------------


@pytest.fixture
def invited(manager, org, pool, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(manager, org, "ann@example.test", pool, department="Night shift")
    return invitation, _token_of(mailoutbox, "ann@example.test")


def test_accepting_joins_with_the_department_and_enrols_on_the_pools_course(
    invited, make_user, course, pool
):
    invitation, token = invited
    ann = make_user(email="ANN@example.test")
    accepted = _accept(token, ann)
    membership = accepted.membership
    assert (membership.role, membership.department) == ("member", "Night shift")
    assert accepted.enrolled and Enrolment.objects.filter(user=ann, course=course).exists()
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.accepted_by == ann
    assert invitation.seat_used_at is not None
    assert services.seats_taken(pool) == 1  # used now, not held
    with pytest.raises(services.OrganisationError, match="accepted already"):
        _accept(token, ann)


def test_a_paid_course_opens_for_the_seat(invited, make_user, course):
    from tests.commerce.factories import make_product

    make_product(courses=[course], access_months=None)
    invitation, token = invited
    ann = make_user(email="ann@example.test")
    assert _accept(token, ann).enrolled
    assert AccessGrant.objects.filter(user=ann, course=course, order=None).exists()


def test_another_account_cannot_use_a_forwarded_link(invited, make_user):
    invitation, token = invited
    with pytest.raises(services.OrganisationError, match="another email address"):
        _accept(token, make_user(email="bob@example.test"))
    unverified = make_user(email="ann@example.test", email_verified_at=None)
    with pytest.raises(services.OrganisationError, match="Confirm your email address"):
        _accept(token, unverified)
    assert not Membership.objects.filter(role="member").exists()


def test_withdrawn_expired_and_unknown_links_are_refused(invited, make_user, manager):
    invitation, token = invited
    ann = make_user(email="ann@example.test")
    with pytest.raises(services.OrganisationError, match="does not work"):
        _accept(token + "x", ann)
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        with pytest.raises(services.OrganisationError, match="expired"):
            _accept(token, ann)
    services.invitation_withdraw(actor=manager, invitation=invitation)
    with pytest.raises(services.OrganisationError, match="withdrawn"):
        _accept(token, ann)


def test_a_manager_invitation_makes_a_current_member_a_manager(
    org, make_user, manager, mailoutbox, django_capture_on_commit_callbacks
):
    sam = make_user(email="sam@example.test")
    join(org, sam, department="Kitchen")
    with django_capture_on_commit_callbacks(execute=True):
        services.manager_invite(actor=manager, organisation=org, email="sam@example.test")
    membership = _accept(_token_of(mailoutbox, "sam@example.test"), sam).membership
    assert membership.role == "manager" and membership.department == "Kitchen"
    assert Membership.objects.filter(user=sam).count() == 1


# --- leaving -----------------------------------------------------------------------------------


def test_removal_ends_the_employers_access_and_keeps_the_learners_courses(
    org, manager, make_user, course
):
    sam = make_user()
    membership = join(org, sam)
    Enrolment.objects.create(user=sam, course=course, enrolled_at=timezone.now())
    services.member_remove(actor=manager, membership=membership)
    membership.refresh_from_db()
    assert membership.left_at is not None
    assert Enrolment.objects.filter(user=sam, left_at__isnull=True).exists()
    entry = AuditEntry.objects.get(action="organisations.member_removed")
    assert (entry.actor_id, entry.subject_id) == (manager.pk, sam.pk)
    with pytest.raises(services.OrganisationError, match="no longer a member"):
        services.member_remove(actor=manager, membership=membership)
    # The selectors the pages use no longer list them.
    from learnward.organisations.selectors import current_members

    assert sam not in [m.user for m in current_members(actor=manager, organisation=org)]


def test_a_member_cannot_remove_and_a_manager_leaves_rather_than_removing_themselves(
    org, manager, make_user
):
    sam, tom = make_user(), make_user()
    join(org, sam)
    tom_membership = join(org, tom)
    with pytest.raises(services.OrganisationError, match="Only a manager"):
        services.member_remove(actor=sam, membership=tom_membership)
    own = Membership.objects.get(user=manager)
    with pytest.raises(services.OrganisationError, match="Leave"):
        services.member_remove(actor=manager, membership=own)


def test_leaving_is_the_members_own(org, make_user):
    sam, tom = make_user(), make_user()
    membership = join(org, sam)
    with pytest.raises(services.OrganisationError):
        services.membership_leave(user=tom, membership=membership)
    services.membership_leave(user=sam, membership=membership)
    assert Membership.objects.get(pk=membership.pk).left_at is not None
    assert AuditEntry.objects.filter(action="organisations.left", subject_id=sam.pk).exists()
    join(org, sam)  # invited again later: a new current membership


def test_the_sharing_choice_is_audited_when_it_changes(org, make_user):
    sam = make_user()
    membership = join(org, sam)
    services.membership_sharing_set(user=sam, membership=membership, shares_all_courses=True)
    services.membership_sharing_set(user=sam, membership=membership, shares_all_courses=True)
    assert Membership.objects.get(pk=membership.pk).shares_all_courses
    assert AuditEntry.objects.filter(action="organisations.sharing_changed").count() == 1


# --- required training -------------------------------------------------------------------------


def test_required_courses_are_added_changed_and_removed_by_managers(
    org, manager, course, make_user
):
    requirement = services.required_course_add(
        actor=manager, organisation=org, course=course, renewal_months=12
    )
    with pytest.raises(services.OrganisationError, match="already"):
        services.required_course_add(actor=manager, organisation=org, course=course)
    services.required_course_add(actor=manager, organisation=org, course=course, department="Night")
    with pytest.raises(services.OrganisationError, match="already"):
        services.required_course_change(
            actor=manager, requirement=requirement, department="Night", renewal_months=None
        )
    with pytest.raises(services.OrganisationError, match="1 to 120"):
        services.required_course_change(
            actor=manager, requirement=requirement, department="", renewal_months=0
        )
    member = make_user()
    join(org, member)
    with pytest.raises(services.OrganisationError, match="Only a manager"):
        services.required_course_remove(actor=member, requirement=requirement)
    services.required_course_remove(actor=manager, requirement=requirement)
    assert RequiredCourse.objects.count() == 1
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count("organisations.required_added") == 2
    assert "organisations.required_removed" in actions


# --- staff -------------------------------------------------------------------------------------


def test_staff_enrol_a_member_directly_on_a_paid_course(org, make_user, course, manager):
    from tests.commerce.factories import make_product

    make_product(courses=[course])
    staff = make_staff(make_user)
    sam = make_user()
    membership = join(org, sam)
    with pytest.raises(services.OrganisationError, match="Only staff"):
        services.member_enrol_directly(actor=manager, membership=membership, course=course)
    services.member_enrol_directly(actor=staff, membership=membership, course=course)
    assert Enrolment.objects.filter(user=sam, course=course).exists()
    entry = AuditEntry.objects.get(action="organisations.enrolled_by_staff")
    assert (entry.actor_id, entry.subject_id) == (staff.pk, sam.pk)


def test_staff_create_organisations_domains_and_pools(make_user, course):
    staff = make_staff(make_user)
    org = services.organisation_create(actor=staff, name="  Invitations ")
    assert org.slug == "invitations-org"  # never a path of the pages
    services.organisation_domain_add(actor=staff, organisation=org, domain="@Example-Care.co.uk")
    with pytest.raises(services.OrganisationError, match="already belongs"):
        services.organisation_domain_add(
            actor=staff, organisation=make_organisation(), domain="example-care.co.uk"
        )
    with pytest.raises(services.OrganisationError, match="Enter a domain"):
        services.organisation_domain_add(actor=staff, organisation=org, domain="ann@x")
    pool = services.seat_pool_create(
        actor=staff,
        organisation=org,
        course=course,
        seats=3,
        expires_on=timezone.localdate(),
    )
    assert pool.created_by == staff
    learner = make_user()
    with pytest.raises(services.OrganisationError, match="Only staff"):
        services.organisation_create(actor=learner, name="Mine")


def test_a_pool_from_a_seat_order_retires_its_unused_codes_once(make_user, course):
    from learnward.commerce.services import code_redeem
    from tests.commerce.factories import make_product, paid_order

    product = make_product(courses=[course], seats_allowed=True)
    buyer = make_user()
    order = paid_order(user=buyer, product=product, seats=True, quantity=3)
    code_redeem(user=make_user(), code=EnrolmentCode.objects.filter(pool__order=order)[0].code)
    staff = make_staff(make_user)
    org = make_organisation()
    pool = services.seat_pool_create(
        actor=staff,
        organisation=org,
        course=course,
        seats=None,
        expires_on=timezone.localdate() + timedelta(days=30),
        order_reference=order.reference.lower(),
    )
    assert pool.seats == 2 and pool.order == order
    assert EnrolmentCode.objects.filter(pool__order=order).count() == 1  # the used one
    with pytest.raises(services.OrganisationError, match="already"):
        services.seat_pool_create(
            actor=staff,
            organisation=org,
            course=course,
            seats=None,
            expires_on=timezone.localdate(),
            order_reference=order.reference,
        )
    with pytest.raises(services.OrganisationError, match="no paid seat order"):
        services.seat_pool_create(
            actor=staff,
            organisation=org,
            course=course,
            seats=None,
            expires_on=timezone.localdate(),
            order_reference="ORD-NONE-NONE",
        )
    assert SeatPool.objects.count() == 1
