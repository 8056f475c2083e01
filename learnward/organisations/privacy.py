"""Registry declarations for organisations.

What an employer's managers see about their people is its own purpose,
``employer_training_records``, on the employer's legitimate interests, with "your employer's
managers" as its recipients. The notice names them as a kind of recipient, not one by one: a
public list of every customer organisation would publish who employs whom and with whom we do
business, and tell a learner nothing about their own case. Each learner sees the organisations
that see their data, by name, in "What your employer sees" on their My data page.

Memberships and invitations hold workplace data (``user.workplace``: the organisation, the
department, the role), names and email addresses. Erasure deletes them; retention drops
memberships 24 months after leaving, and clears the name, email address, department and
accounts of every invitation no longer waiting 6 months after it expires. Clearing rather than
deleting keeps the accepted ones counting as used seats of their pool (deleting them would give
used seats back); what is left links to nobody.
"""

from django.utils.translation import gettext_lazy as _

from learnward.privacy.registry import Erasure, Retention, RetentionAction, declare
from learnward.privacy.registry.purposes import LawfulBasis, Purpose, register_purpose
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import EmailDomain, Invitation, Membership, Organisation, RequiredCourse, SeatPool

PURPOSE = "employer_training_records"
WORKPLACE = "user.workplace"
# The query path from each row to its data subject: a lookup, not text, so never translated.
POOL_CREATOR = "created_by"
MEMBER = "user"
INVITEE = "accepted_by"

register_purpose(
    Purpose(
        PURPOSE,
        _("Showing your employer your required training"),
        LawfulBasis.LEGITIMATE_INTERESTS,
        _(
            "When an organisation you belong to (your employer, or a team you joined) invites "
            "you, its managers see the training it requires of you: your name, email address, "
            "department, and for each required course your certificate's status and dates, your "
            "progress and completion. Other courses only if you choose to share them. Never "
            "your answers, failed attempts, messages, AI use or CPD reflections. You see exactly "
            "the same on your My data page, and you can leave the organisation at any time."
        ),
        recipients=(_("Your employer's managers, for each organisation you belong to"),),
        legitimate_interest=_(
            "Your employer making sure the people it employs have, and keep in date, the "
            "training their work requires (for a care home, the manual handling and "
            "safeguarding its regulator expects), and handing out the course places it pays for."
        ),
        uses_outside_processor=True,
    )
)

declare(Organisation, fields={f.name: NOT_PERSONAL for f in Organisation._meta.concrete_fields})
declare(EmailDomain, fields={f.name: NOT_PERSONAL for f in EmailDomain._meta.concrete_fields})
declare(RequiredCourse, fields={f.name: NOT_PERSONAL for f in RequiredCourse._meta.concrete_fields})
declare(
    SeatPool,
    fields={
        **{f.name: NOT_PERSONAL for f in SeatPool._meta.concrete_fields},
        "created_by": "user.unique_id",
    },
    subject=POOL_CREATOR,
    purposes=["account"],
    erasure=Erasure.anonymise("created_by", reason=_("The seats belong to the organisation.")),
    retention_note=_("Kept while the organisation exists; the pool is the organisation's record."),
    label=_("Seat pools"),
)
declare(
    Membership,
    subject=MEMBER,
    fields={
        "id": NOT_PERSONAL,
        "organisation": WORKPLACE,
        "user": "user.unique_id",
        "role": WORKPLACE,
        "department": WORKPLACE,
        "joined_at": WORKPLACE,
        "left_at": WORKPLACE,
        "shares_all_courses": "user.consent",
        "digest_opt_in": "user.communications",
        "digest_sent_at": "user.communications",
    },
    purposes=[PURPOSE],
    erasure=Erasure.delete(),
    retention=Retention(
        description=_("24 months after you leave the organisation"),
        anchor="left_at",
        months=24,
        action=RetentionAction.DELETE,
    ),
    source=_("The organisation's manager, when they invited you, and you, when you accepted"),
    label=_("Organisations you belong to"),
)
declare(
    Invitation,
    subject=INVITEE,
    subject_email="email",
    fields={
        "id": NOT_PERSONAL,
        "organisation": WORKPLACE,
        "email": "user.contact.email",
        "name": "user.name",
        "department": WORKPLACE,
        "role": WORKPLACE,
        "pool": NOT_PERSONAL,
        "token_hash": "system.authentication",
        "status": WORKPLACE,
        "invited_by": "user.unique_id",
        "created_at": WORKPLACE,
        "expires_at": WORKPLACE,
        "answered_at": WORKPLACE,
        "accepted_by": "user.unique_id",
        "seat_used_at": "user.behavior.learning_activity",
    },
    purposes=[PURPOSE],
    erasure=Erasure.delete(),
    retention=Retention(
        description=_(
            "Names, email address and department cleared 6 months after it expires, once it is "
            "no longer waiting for an answer; the rest stays, unlinked from you, as the record "
            "of the organisation's seats"
        ),
        anchor="expires_at",
        months=6,
        action=RetentionAction.ANONYMISE,
        fields=("email", "name", "department", "invited_by", "accepted_by"),
        filter={
            "status__in": [
                Invitation.Status.ACCEPTED,
                Invitation.Status.EXPIRED,
                Invitation.Status.WITHDRAWN,
            ]
        },
    ),
    source=_("The organisation's manager, when they invited you"),
    label=_("Invitations to join an organisation"),
)
