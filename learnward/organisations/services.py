"""Writes for organisations: setting one up (staff), inviting people with or without a seat,
accepting, withdrawing and expiring invitations, leaving and removing members, the courses an
organisation requires, and staff enrolling a member directly.

Each top-level service runs in one durable transaction with one audit entry. Who may act is
checked here as well as on the pages: staff with the power to manage organisations, or a current
manager of the same organisation (:func:`may_manage`).

Seats: a pool's seats are held by its pending invitations that have not expired yet and used by
its accepted ones; every invitation that takes a seat locks the pool's row first
(``select_for_update``), so two managers racing for the last seat get one success.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.commerce.pricing import CheckoutError
from learnward.commerce.services import (
    access_grant_for_seat,
    seat_codes_retire,
    seat_order_for_transfer,
)
from learnward.core.access import staff_powers
from learnward.core.errors import ApplicationError
from learnward.core.i18n import use_language
from learnward.core.links import absolute_url
from learnward.core.mail import normalise_email, send_service_email
from learnward.core.text import NameNotAllowed, clean_person_name
from learnward.learning.registration import RegistrationInvalid
from learnward.learning.services import LearningError, enrolment_create

from .models import EmailDomain, Invitation, Membership, Organisation, RequiredCourse, SeatPool
from .selectors import STAFF_RULE, is_manager

logger = logging.getLogger(__name__)

# Paths under /organisations/ that an organisation's slug may not take.
RESERVED_SLUGS = frozenset({"invitations", "memberships", "staff"})
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
MAX_RENEWAL_MONTHS = 120


class OrganisationError(ApplicationError):
    """A refusal fit to show the person who asked; ``field`` names the form field it is about."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# --- who may act -------------------------------------------------------------------------------


def is_staff_manager(actor) -> bool:
    return staff_powers(actor, STAFF_RULE)


def may_manage(*, actor, organisation: Organisation) -> bool:
    return is_staff_manager(actor) or is_manager(actor=actor, organisation=organisation)


def _require_staff(actor) -> None:
    if not is_staff_manager(actor):
        raise OrganisationError(_("Only staff who manage organisations can do this."))


def _require_manager(actor, organisation: Organisation) -> None:
    if not may_manage(actor=actor, organisation=organisation):
        raise OrganisationError(_("Only a manager of this organisation can do this."))


# --- tokens ------------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    """What is stored for an invitation link's token: its SHA-256, in hex."""
    return hashlib.sha256((token or "").encode()).hexdigest()


def invitation_link(token: str) -> str:
    return absolute_url(reverse("organisations:invitation", args=[token]))


# --- setting up (staff) ------------------------------------------------------------------------


def _unique_slug(name: str) -> str:
    base = slugify(name)[:90] or "organisation"
    if base in RESERVED_SLUGS:
        base = f"{base}-org"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic(durable=True)
def organisation_create(
    *, actor, name: str, company_number: str = "", vat_number: str = ""
) -> Organisation:
    _require_staff(actor)
    name = " ".join((name or "").split())
    if not name:
        raise OrganisationError(_("Enter the organisation's name."), field="name")
    organisation = Organisation.objects.create(
        name=name[:200],
        slug=_unique_slug(name),
        company_number=(company_number or "").strip().upper()[:20],
        vat_number=(vat_number or "").strip().upper().replace(" ", "")[:20],
    )
    audit_record(
        action=Action.ORGANISATION_CREATED,
        actor=actor,
        target=organisation,
        payload={"slug": organisation.slug},
    )
    return organisation


@transaction.atomic(durable=True)
def organisation_domain_add(*, actor, organisation: Organisation, domain: str) -> EmailDomain:
    """Add an email domain (``example-care.co.uk``) to ``organisation``; a domain belongs to one
    organisation only."""
    _require_staff(actor)
    cleaned = (domain or "").strip().lower().lstrip("@").rstrip(".")
    if not DOMAIN.match(cleaned):
        raise OrganisationError(
            _("Enter a domain like example-care.co.uk, without a name or @ before it."),
            field="domain",
        )
    owner = EmailDomain.objects.filter(domain=cleaned).select_related("organisation").first()
    if owner is not None:
        raise OrganisationError(
            _("%(domain)s already belongs to %(name)s.")
            % {"domain": cleaned, "name": owner.organisation.name},
            field="domain",
        )
    added = EmailDomain.objects.create(organisation=organisation, domain=cleaned)
    audit_record(
        action=Action.ORGANISATION_DOMAIN_ADDED,
        actor=actor,
        target=organisation,
        payload={"domain": cleaned},
    )
    return added


@transaction.atomic(durable=True)
def seat_pool_create(
    *,
    actor,
    organisation: Organisation,
    course,
    seats: int | None,
    expires_on,
    order_reference: str = "",
) -> SeatPool:
    """``seats`` seats of ``course`` for ``organisation`` until ``expires_on``.

    With ``order_reference``, the seats come from an employer's paid seat order: the order's
    unused enrolment codes stop working and become the pool's seats (as many as there were; the
    codes already used stay with their learners), and an order gives one pool only.
    """
    _require_staff(actor)
    today = timezone.localdate()
    if expires_on is None or expires_on < today:
        raise OrganisationError(_("Choose an expiry date from today on."), field="expires_on")
    order = None
    if order_reference.strip():
        try:
            order, course_ids = seat_order_for_transfer(reference=order_reference)
        except CheckoutError as exc:
            raise OrganisationError(exc.message, field="order_reference") from None
        if SeatPool.objects.filter(order=order).exists():
            raise OrganisationError(
                _("That order's seats were given to an organisation already."),
                field="order_reference",
            )
        if len(course_ids) != 1:
            raise OrganisationError(
                _("That order is for a bundle of courses: its seats stay enrolment codes."),
                field="order_reference",
            )
        if course.pk != course_ids[0]:
            raise OrganisationError(
                _("That order bought seats of another course."), field="order_reference"
            )
        seats = seat_codes_retire(order=order)
        if seats == 0:
            raise OrganisationError(
                _("Every enrolment code of that order has been used: no seats are left."),
                field="order_reference",
            )
    if not seats or seats < 1:
        raise OrganisationError(_("Enter how many seats, 1 or more."), field="seats")
    pool = SeatPool.objects.create(
        organisation=organisation,
        course=course,
        seats=seats,
        expires_on=expires_on,
        order=order,
        created_by=actor,
    )
    audit_record(
        action=Action.SEAT_POOL_CREATED,
        actor=actor,
        target=pool,
        payload={
            "organisation_id": organisation.pk,
            "course_id": course.pk,
            "seats": seats,
            "order_id": order.pk if order else None,
        },
    )
    return pool


# --- seats -------------------------------------------------------------------------------------


def _taking_seat(pool_id: int, now) -> Q:
    """Invitations of a pool that hold or use a seat at ``now``."""
    return Q(pool_id=pool_id) & (
        Q(status=Invitation.Status.ACCEPTED)
        | Q(status=Invitation.Status.PENDING, expires_at__gt=now)
    )


def seats_taken(pool: SeatPool, *, now=None) -> int:
    now = now or timezone.now()
    return Invitation.objects.filter(_taking_seat(pool.pk, now)).count()


def pools_with_usage(organisation: Organisation, *, now=None):
    """The organisation's pools, each with ``held`` (pending), ``used`` (accepted) and ``left``;
    one query, whatever the number of invitations."""
    now = now or timezone.now()
    pools = list(
        SeatPool.objects.filter(organisation=organisation)
        .select_related("course", "order")
        .annotate(
            held=Count(
                "invitations",
                filter=Q(
                    invitations__status=Invitation.Status.PENDING,
                    invitations__expires_at__gt=now,
                ),
            ),
            used=Count("invitations", filter=Q(invitations__status=Invitation.Status.ACCEPTED)),
        )
    )
    today = timezone.localdate(now)
    for pool in pools:
        pool.left = max(pool.seats - pool.held - pool.used, 0)
        pool.expired = pool.expires_on < today
    return pools


def _day(day) -> str:
    return date_format(day, "j F Y")


def _locked_pool(pool: SeatPool, organisation: Organisation, *, now) -> SeatPool:
    locked = SeatPool.objects.select_for_update().select_related("course").get(pk=pool.pk)
    if locked.organisation_id != organisation.pk:
        raise OrganisationError(_("Choose one of this organisation's seat pools."), field="pool")
    if locked.expires_on < timezone.localdate(now):
        raise OrganisationError(
            _("The seats of %(course)s expired on %(day)s: ask us for new ones.")
            % {"course": locked.course.title, "day": _day(locked.expires_on)},
            field="pool",
        )
    return locked


# --- inviting ----------------------------------------------------------------------------------

# Why an address cannot be invited (the CSV preview shows the same outcomes).
INVALID_EMAIL = "invalid_email"
INVALID_DETAILS = "invalid_details"
DUPLICATE = "duplicate"
ALREADY_MEMBER = "already_member"
ALREADY_INVITED = "already_invited"
NO_SEAT = "no_seat"
WILL_INVITE = "will_invite"


@dataclass(frozen=True)
class Invitee:
    """One person to invite, as typed or as read from a CSV row."""

    email: str
    name: str = ""
    department: str = ""


@dataclass(frozen=True)
class Outcome:
    invitee: Invitee
    code: str
    message: str
    line: int = 0

    @property
    def invitable(self) -> bool:
        return self.code == WILL_INVITE


def clean_invitee(*, email: str, name: str = "", department: str = "") -> Invitee:
    """The invitee as stored (address lower-cased, name as :func:`clean_person_name` keeps it);
    :class:`OrganisationError` with ``field`` when a value is not acceptable."""
    address = normalise_email(email or "")
    try:
        validate_email(address)
    except ValidationError:
        raise OrganisationError(
            _("Enter an email address in the right format, like name@example.com."), field="email"
        ) from None
    name = (name or "").strip()
    if name:
        try:
            name = clean_person_name(name, subject=_("The name"))
        except NameNotAllowed as exc:
            raise OrganisationError(exc.message, field="name") from None
    if len(name) > 150:
        raise OrganisationError(_("The name can be at most 150 characters."), field="name")
    department = " ".join((department or "").split())
    if len(department) > 100:
        raise OrganisationError(
            _("The department can be at most 100 characters."), field="department"
        )
    return Invitee(email=address, name=name, department=department)


def invitation_outcomes(
    *, organisation: Organisation, pool: SeatPool | None, rows: Iterable[tuple[int, dict]], now
) -> list[Outcome]:
    """What inviting each row would do, in order: the CSV preview, and the check the sending
    repeats under the pool's lock. Three queries, whatever the number of rows."""
    rows = list(rows)
    cleaned: list[tuple[int, Invitee | None, str, str]] = []
    for line, raw in rows:
        try:
            invitee = clean_invitee(
                email=raw.get("email", ""),
                name=raw.get("name", ""),
                department=raw.get("department", ""),
            )
        except OrganisationError as exc:
            code = INVALID_EMAIL if exc.field == "email" else INVALID_DETAILS
            loose = Invitee(
                email=(raw.get("email") or "").strip(),
                name=(raw.get("name") or "").strip(),
                department=(raw.get("department") or "").strip(),
            )
            cleaned.append((line, loose, code, exc.message))
        else:
            cleaned.append((line, invitee, "", ""))
    emails = {inv.email for _line, inv, code, _message in cleaned if not code}
    members = set(
        Membership.objects.filter(
            organisation=organisation, left_at__isnull=True, user__email__in=emails
        ).values_list("user__email", flat=True)
    )
    members = {normalise_email(e) for e in members}
    invited = {
        normalise_email(e)
        for e in Invitation.objects.filter(
            organisation=organisation,
            status=Invitation.Status.PENDING,
            expires_at__gt=now,
            email__in=emails,
        ).values_list("email", flat=True)
    }
    seated = set()
    left = None
    if pool is not None:
        seated = {
            normalise_email(e)
            for e in Invitation.objects.filter(
                pool=pool, status=Invitation.Status.ACCEPTED, email__in=emails
            ).values_list("email", flat=True)
        }
        left = pool.seats - seats_taken(pool, now=now)
    seen: set[str] = set()
    outcomes = []
    for line, invitee, code, message in cleaned:
        if not code:
            if invitee.email in seen:
                code, message = DUPLICATE, _("This address is in the file already.")
            elif invitee.email in invited:
                code, message = ALREADY_INVITED, _("Already invited; waiting for an answer.")
            elif invitee.email in members and (pool is None or invitee.email in seated):
                code, message = ALREADY_MEMBER, _("Already a member.")
            elif left is not None and left <= 0:
                code, message = NO_SEAT, _("No seats left for this row.")
            else:
                code = WILL_INVITE
                message = (
                    _("Will be invited to take a seat of %(course)s.")
                    % {"course": pool.course.title}
                    if pool is not None
                    else _("Will be invited to join.")
                )
                if left is not None:
                    left -= 1
            seen.add(invitee.email)
        outcomes.append(Outcome(invitee=invitee, code=code, message=message, line=line))
    return outcomes


def _create_invitation(
    *,
    actor,
    organisation: Organisation,
    invitee: Invitee,
    pool: SeatPool | None,
    role: str,
    now,
) -> tuple[Invitation, str]:
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=invitee.email,
        name=invitee.name,
        department=invitee.department,
        role=role,
        pool=pool,
        token_hash=token_hash(token),
        invited_by=actor if getattr(actor, "pk", None) else None,
        created_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_DAYS),
    )
    return invitation, token


def invitation_language(email: str) -> str:
    """The language an invitation to ``email`` is written in: the saved language of the account
    that already has this address, if there is one; otherwise the language of the request
    that sends it (the manager's page), since the invitee has chosen none yet."""
    from django.contrib.auth import get_user_model

    saved = (
        get_user_model()
        .objects.filter(email=normalise_email(email))
        .values_list("language", flat=True)
        .first()
    )
    return saved or get_language() or settings.LANGUAGE_CODE


def _send_invitation(invitation: Invitation, token: str, *, inviter_name: str) -> None:
    email = invitation.email
    language = invitation_language(email)
    # Built now, in the invitee's language: the subject, the body and the /nl/ link.
    with use_language(language):
        context = {
            "name": invitation.name,
            "organisation": invitation.organisation.name,
            "inviter": inviter_name,
            "manager": invitation.role == Membership.Role.MANAGER,
            "course": invitation.pool.course.title if invitation.pool_id else "",
            "link": invitation_link(token),
            "expires_at": invitation.expires_at,
            "days": settings.INVITATION_DAYS,
        }
        subject = _("%(organisation)s invites you to join them on %(provider)s") % {
            "organisation": invitation.organisation.name,
            "provider": settings.PROVIDER_NAME,
        }
    transaction.on_commit(
        lambda: _send(
            to=email,
            subject=subject,
            template="organisations/email/invitation",
            context=context,
            language=language,
        )
    )


def _send(**kwargs) -> None:
    try:
        send_service_email(**kwargs)
    except Exception:  # noqa: BLE001 - a failed email never undoes the invitation
        logger.exception("organisations email not sent: %s", kwargs.get("template"))


def _inviter_name(actor) -> str:
    return getattr(actor, "display_name", "") or settings.PROVIDER_NAME


def _refuse(outcome: Outcome) -> None:
    field = {INVALID_EMAIL: "email", ALREADY_MEMBER: "email", ALREADY_INVITED: "email"}.get(
        outcome.code, "pool" if outcome.code == NO_SEAT else None
    )
    message = {
        ALREADY_MEMBER: _("%(email)s is already a member.") % {"email": outcome.invitee.email},
        ALREADY_INVITED: _("%(email)s has been invited already and has not answered yet.")
        % {"email": outcome.invitee.email},
        NO_SEAT: _(
            "No seats are left in this pool: withdraw an invitation nobody answered, or "
            "ask us for more seats."
        ),
    }.get(outcome.code, outcome.message)
    raise OrganisationError(message, field=field)


@transaction.atomic(durable=True)
def member_invite(
    *,
    actor,
    organisation: Organisation,
    email: str,
    name: str = "",
    department: str = "",
    pool: SeatPool | None = None,
) -> Invitation:
    """Invite one person to join ``organisation`` as a member, with a seat of ``pool`` when
    given. The seat is held from now until the invitation is answered, withdrawn or expires."""
    _require_manager(actor, organisation)
    now = timezone.now()
    if pool is not None:
        pool = _locked_pool(pool, organisation, now=now)
    invitee = clean_invitee(email=email, name=name, department=department)
    [outcome] = invitation_outcomes(
        organisation=organisation, pool=pool, rows=[(1, asdict(invitee))], now=now
    )
    if not outcome.invitable:
        _refuse(outcome)
    invitation, token = _create_invitation(
        actor=actor,
        organisation=organisation,
        invitee=invitee,
        pool=pool,
        role=Membership.Role.MEMBER,
        now=now,
    )
    audit_record(
        action=Action.INVITATION_SENT,
        actor=actor,
        target=invitation,
        payload={"organisation_id": organisation.pk, "pool_id": pool.pk if pool else None},
    )
    _send_invitation(invitation, token, inviter_name=_inviter_name(actor))
    return invitation


@transaction.atomic(durable=True)
def manager_invite(*, actor, organisation: Organisation, email: str, name: str = "") -> Invitation:
    """Invite a manager: by staff, or by a current manager of the same organisation. A current
    member who accepts becomes a manager."""
    _require_manager(actor, organisation)
    now = timezone.now()
    invitee = clean_invitee(email=email, name=name)
    already = Membership.objects.filter(
        organisation=organisation,
        left_at__isnull=True,
        role=Membership.Role.MANAGER,
        user__email__iexact=invitee.email,
    ).exists()
    if already:
        raise OrganisationError(
            _("%(email)s is already a manager.") % {"email": invitee.email}, field="email"
        )
    if Invitation.objects.filter(
        organisation=organisation,
        email=invitee.email,
        status=Invitation.Status.PENDING,
        expires_at__gt=now,
    ).exists():
        raise OrganisationError(
            _("%(email)s has been invited already and has not answered yet.")
            % {"email": invitee.email},
            field="email",
        )
    invitation, token = _create_invitation(
        actor=actor,
        organisation=organisation,
        invitee=invitee,
        pool=None,
        role=Membership.Role.MANAGER,
        now=now,
    )
    audit_record(
        action=Action.INVITATION_SENT,
        actor=actor,
        target=invitation,
        payload={"organisation_id": organisation.pk, "role": Membership.Role.MANAGER},
    )
    _send_invitation(invitation, token, inviter_name=_inviter_name(actor))
    return invitation


@transaction.atomic(durable=True)
def members_invite_from_csv(
    *,
    actor,
    organisation: Organisation,
    pool: SeatPool | None,
    rows: list[tuple[int, dict]],
    expected: Iterable[str],
) -> list[Invitation]:
    """Send the invitations a CSV preview promised: every row that ``expected`` lists (by
    address), and only those. The rows are checked again under the pool's lock; if anything
    changed since the preview (a seat taken meanwhile, someone joined), nothing is sent."""
    _require_manager(actor, organisation)
    now = timezone.now()
    if pool is not None:
        pool = _locked_pool(pool, organisation, now=now)
    outcomes = invitation_outcomes(organisation=organisation, pool=pool, rows=rows, now=now)
    invitable = [o for o in outcomes if o.invitable]
    if sorted(o.invitee.email for o in invitable) != sorted(expected):
        raise OrganisationError(
            _(
                "Something changed since the preview (seats were taken, or people joined or were "
                "invited meanwhile): nothing was sent. Check the new preview below."
            )
        )
    if not invitable:
        raise OrganisationError(_("No row of this file can be invited: nothing was sent."))
    sent = []
    for outcome in invitable:
        invitation, token = _create_invitation(
            actor=actor,
            organisation=organisation,
            invitee=outcome.invitee,
            pool=pool,
            role=Membership.Role.MEMBER,
            now=now,
        )
        _send_invitation(invitation, token, inviter_name=_inviter_name(actor))
        sent.append(invitation)
    audit_record(
        action=Action.INVITATIONS_SENT_FROM_CSV,
        actor=actor,
        target=organisation,
        payload={
            "pool_id": pool.pk if pool else None,
            "invited": len(sent),
            "rows": len(rows),
        },
    )
    return sent


@transaction.atomic(durable=True)
def invitation_withdraw(*, actor, invitation: Invitation) -> Invitation:
    """Withdraw a pending invitation: its link stops working and its seat goes back."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _require_manager(actor, locked.organisation)
    if locked.status != Invitation.Status.PENDING:
        raise OrganisationError(_("Only an invitation waiting for an answer can be withdrawn."))
    locked.status = Invitation.Status.WITHDRAWN
    locked.answered_at = timezone.now()
    locked.save(update_fields=["status", "answered_at"])
    audit_record(
        action=Action.INVITATION_WITHDRAWN,
        actor=actor,
        target=locked,
        payload={"organisation_id": locked.organisation_id, "pool_id": locked.pool_id},
    )
    return locked


@transaction.atomic(durable=True)
def invitations_expire_due(*, now=None) -> int:
    """Mark pending invitations past their time as expired (their seats are back already:
    an expired one holds none); one audit entry for the run."""
    now = now or timezone.now()
    due = Invitation.objects.filter(status=Invitation.Status.PENDING, expires_at__lte=now)
    count = due.update(status=Invitation.Status.EXPIRED, answered_at=now)
    if count:
        audit_record(action=Action.INVITATIONS_EXPIRED, payload={"expired": count})
    return count


# --- accepting ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Acceptance:
    membership: Membership
    course: object | None  # the pool's course, when the invitation came with a seat
    enrolled: bool


def invitation_problem(invitation: Invitation | None, *, now=None) -> str:
    """Why this invitation cannot be accepted (a sentence), or ""."""
    now = now or timezone.now()
    if invitation is None:
        return _("This invitation link does not work: check it against the email you were sent.")
    if invitation.status == Invitation.Status.ACCEPTED:
        return _("This invitation has been accepted already.")
    if invitation.status == Invitation.Status.WITHDRAWN:
        return _(
            "This invitation was withdrawn. Ask your manager if you think it should not have been."
        )
    if invitation.status == Invitation.Status.EXPIRED or invitation.expires_at <= now:
        return _("This invitation has expired. Ask your manager to invite you again.")
    return ""


def email_matches(invitation: Invitation, user) -> bool:
    """The invitation is for the signed-in account: its verified address is the invitation's."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_verified_email
        and normalise_email(user.email) == normalise_email(invitation.email)
    )


@transaction.atomic(durable=True)
def invitation_accept(*, token: str, user) -> Acceptance:
    """Accept the invitation whose link carries ``token``, as ``user``: join the organisation
    (or become a manager), and with a seat, get access to the pool's course and enrol on it.

    Only the account whose verified email address the invitation was sent to may accept it, so
    a forwarded link gives nobody else a seat or a place in the organisation.
    """
    now = timezone.now()
    invitation = (
        Invitation.objects.select_for_update()
        .filter(token_hash=token_hash(token))
        .select_related("organisation")
        .first()
    )
    problem = invitation_problem(invitation, now=now)
    if problem:
        raise OrganisationError(problem)
    if (
        getattr(user, "is_authenticated", False)
        and not user.has_verified_email
        and normalise_email(user.email) == normalise_email(invitation.email)
    ):
        raise OrganisationError(
            _(
                "Confirm your email address first: follow the link in the email we sent you, then "
                "open the invitation again."
            )
        )
    if not email_matches(invitation, user):
        raise OrganisationError(
            _(
                "This invitation was sent to another email address. Sign in with the account for "
                "that address (or create one with it), then open the link again."
            )
        )
    pool = None
    if invitation.pool_id:
        pool = SeatPool.objects.select_related("course", "order__product").get(
            pk=invitation.pool_id
        )
        if pool.expires_on < timezone.localdate(now):
            raise OrganisationError(
                _(
                    "The seats this invitation was for could be used until %(day)s. Ask your "
                    "manager for a new invitation."
                )
                % {"day": _day(pool.expires_on)}
            )
    membership = Membership.objects.filter(
        organisation=invitation.organisation, user=user, left_at__isnull=True
    ).first()
    if membership is None:
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    organisation=invitation.organisation,
                    user=user,
                    role=invitation.role,
                    department=invitation.department,
                    joined_at=now,
                )
        except IntegrityError:  # another invitation of theirs was accepted at the same moment
            membership = Membership.objects.get(
                organisation=invitation.organisation, user=user, left_at__isnull=True
            )
    changed = []
    if invitation.role == Membership.Role.MANAGER and membership.role != Membership.Role.MANAGER:
        membership.role = Membership.Role.MANAGER
        changed.append("role")
    if invitation.department and not membership.department:
        membership.department = invitation.department
        changed.append("department")
    if changed:
        membership.save(update_fields=changed)
    enrolled = False
    if pool is not None:
        months = pool.order.product.access_months if pool.order_id else None
        access_grant_for_seat(user=user, course=pool.course, months=months)
        try:
            with transaction.atomic():
                enrolment_create(user=user, course=pool.course)
        except (LearningError, RegistrationInvalid) as exc:
            # The access stands: the learner enrols from the course page, giving the details an
            # awarding body asks for; the seat is theirs (accepted) either way.
            logger.info("seat accepted without enrolment: %s", type(exc).__name__)
        else:
            enrolled = True
            invitation.seat_used_at = now
    invitation.status = Invitation.Status.ACCEPTED
    invitation.answered_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["status", "answered_at", "accepted_by", "seat_used_at"])
    audit_record(
        action=Action.INVITATION_ACCEPTED,
        actor=user,
        subject=user,
        target=invitation,
        payload={
            "organisation_id": invitation.organisation_id,
            "role": membership.role,
            "pool_id": invitation.pool_id,
            "enrolled": enrolled,
        },
    )
    return Acceptance(
        membership=membership, course=pool.course if pool else None, enrolled=enrolled
    )


# --- leaving -----------------------------------------------------------------------------------


def _end(membership: Membership, now) -> Membership:
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.left_at is not None:
        raise OrganisationError(_("This person is no longer a member."))
    locked.left_at = now
    locked.digest_opt_in = False
    locked.save(update_fields=["left_at", "digest_opt_in"])
    return locked


@transaction.atomic(durable=True)
def member_remove(*, actor, membership: Membership) -> Membership:
    """A manager removes a member: the organisation's managers stop seeing them at once. The
    person keeps their account, courses and certificates."""
    _require_manager(actor, membership.organisation)
    if membership.user_id == getattr(actor, "pk", None):
        raise OrganisationError(_("To leave the organisation yourself, use Leave on your page."))
    ended = _end(membership, timezone.now())
    audit_record(
        action=Action.MEMBER_REMOVED,
        actor=actor,
        subject=ended.user,
        target=ended,
        payload={"organisation_id": ended.organisation_id, "role": ended.role},
    )
    return ended


@transaction.atomic(durable=True)
def membership_leave(*, user, membership: Membership) -> Membership:
    """The member leaves: their managers stop seeing them at once; nothing of theirs is lost."""
    if membership.user_id != getattr(user, "pk", None):
        raise OrganisationError(_("This is not your membership."))
    ended = _end(membership, timezone.now())
    audit_record(
        action=Action.MEMBERSHIP_LEFT,
        actor=user,
        subject=user,
        target=ended,
        payload={"organisation_id": ended.organisation_id, "role": ended.role},
    )
    return ended


@transaction.atomic(durable=True)
def membership_sharing_set(*, user, membership: Membership, shares_all_courses: bool) -> Membership:
    """The member's choice: their managers see every course they take, or only the ones the
    organisation requires."""
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.user_id != getattr(user, "pk", None) or locked.left_at is not None:
        raise OrganisationError(_("This is not your membership."))
    if locked.shares_all_courses != shares_all_courses:
        locked.shares_all_courses = shares_all_courses
        locked.save(update_fields=["shares_all_courses"])
        audit_record(
            action=Action.MEMBERSHIP_SHARING_CHANGED,
            actor=user,
            subject=user,
            target=locked,
            payload={"shares_all_courses": shares_all_courses},
        )
    return locked


@transaction.atomic(durable=True)
def manager_digest_set(*, user, membership: Membership, opt_in: bool) -> Membership:
    """A manager's choice of the weekly digest email for this organisation."""
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if (
        locked.user_id != getattr(user, "pk", None)
        or locked.left_at is not None
        or locked.role != Membership.Role.MANAGER
    ):
        raise OrganisationError(_("Only a manager of the organisation has a digest."))
    if locked.digest_opt_in != opt_in:
        locked.digest_opt_in = opt_in
        locked.save(update_fields=["digest_opt_in"])
        audit_record(
            action=Action.DIGEST_CHOICE_CHANGED,
            actor=user,
            subject=user,
            target=locked,
            payload={"opt_in": opt_in},
        )
    return locked


# --- required training -------------------------------------------------------------------------


def _clean_requirement(department: str, renewal_months: int | None) -> tuple[str, int | None]:
    department = " ".join((department or "").split())
    if len(department) > 100:
        raise OrganisationError(
            _("The department can be at most 100 characters."), field="department"
        )
    if renewal_months is not None and not 1 <= renewal_months <= MAX_RENEWAL_MONTHS:
        raise OrganisationError(
            _("Renewal is every 1 to %(max)s months, or leave it empty.")
            % {"max": MAX_RENEWAL_MONTHS},
            field="renewal_months",
        )
    return department, renewal_months


@transaction.atomic(durable=True)
def required_course_add(
    *,
    actor,
    organisation: Organisation,
    course,
    department: str = "",
    renewal_months: int | None = None,
) -> RequiredCourse:
    _require_manager(actor, organisation)
    department, renewal_months = _clean_requirement(department, renewal_months)
    if RequiredCourse.objects.filter(
        organisation=organisation, course=course, department=department
    ).exists():
        if department:
            message = _("%(course)s is required of the %(department)s department already.")
        else:
            message = _("%(course)s is required of every member already.")
        raise OrganisationError(
            message % {"course": course.title, "department": department}, field="course"
        )
    requirement = RequiredCourse.objects.create(
        organisation=organisation,
        course=course,
        department=department,
        renewal_months=renewal_months,
    )
    audit_record(
        action=Action.REQUIRED_COURSE_ADDED,
        actor=actor,
        target=requirement,
        payload={
            "organisation_id": organisation.pk,
            "course_id": course.pk,
            "department": department,
            "renewal_months": renewal_months,
        },
    )
    return requirement


@transaction.atomic(durable=True)
def required_course_change(
    *, actor, requirement: RequiredCourse, department: str, renewal_months: int | None
) -> RequiredCourse:
    locked = RequiredCourse.objects.select_for_update().get(pk=requirement.pk)
    _require_manager(actor, locked.organisation)
    department, renewal_months = _clean_requirement(department, renewal_months)
    if (
        RequiredCourse.objects.filter(
            organisation_id=locked.organisation_id,
            course_id=locked.course_id,
            department=department,
        )
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise OrganisationError(
            _("That course is required of that department already."), field="department"
        )
    locked.department = department
    locked.renewal_months = renewal_months
    locked.save(update_fields=["department", "renewal_months"])
    audit_record(
        action=Action.REQUIRED_COURSE_CHANGED,
        actor=actor,
        target=locked,
        payload={
            "organisation_id": locked.organisation_id,
            "department": department,
            "renewal_months": renewal_months,
        },
    )
    return locked


@transaction.atomic(durable=True)
def required_course_remove(*, actor, requirement: RequiredCourse) -> None:
    locked = RequiredCourse.objects.select_for_update().get(pk=requirement.pk)
    _require_manager(actor, locked.organisation)
    audit_record(
        action=Action.REQUIRED_COURSE_REMOVED,
        actor=actor,
        target=locked.organisation,
        payload={"course_id": locked.course_id, "department": locked.department},
    )
    locked.delete()


# --- staff enrolling a member ------------------------------------------------------------------


@transaction.atomic(durable=True)
def member_enrol_directly(*, actor, membership: Membership, course):
    """Staff enrol a current member on ``course`` (with access to it when it is sold), without
    an invitation or a seat; audited as staff's action."""
    _require_staff(actor)
    if membership.left_at is not None:
        raise OrganisationError(_("This person is no longer a member."), field="member")
    access_grant_for_seat(user=membership.user, course=course)
    try:
        with transaction.atomic():
            enrolment = enrolment_create(user=membership.user, course=course)
    except RegistrationInvalid:
        raise OrganisationError(
            _(
                "%(course)s asks each learner for the details its awarding body needs: the "
                "learner enrols from the course page themselves."
            )
            % {"course": course.title},
            field="course",
        ) from None
    except LearningError as exc:
        raise OrganisationError(
            exc.message or _("This learner cannot enrol."), field="course"
        ) from None
    audit_record(
        action=Action.MEMBER_ENROLLED_BY_STAFF,
        actor=actor,
        subject=membership.user,
        target=enrolment,
        payload={"organisation_id": membership.organisation_id, "course_id": course.pk},
    )
    return enrolment
