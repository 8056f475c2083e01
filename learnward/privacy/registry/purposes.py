"""The one central list of processing purposes.

Every purpose carries its lawful basis (UK GDPR Art. 6), an Art. 9 condition when special
categories are processed for it, a plain-English description, and its recipients. Declarations in
each app's privacy.py refer to purposes by key; the notice and records of processing read them
from here.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class LawfulBasis(StrEnum):
    CONSENT = "consent"
    CONTRACT = "contract"
    LEGAL_OBLIGATION = "legal_obligation"
    VITAL_INTERESTS = "vital_interests"
    PUBLIC_TASK = "public_task"
    LEGITIMATE_INTERESTS = "legitimate_interests"

    @property
    def label(self) -> str:
        return {
            "consent": _("Consent (Art. 6(1)(a))"),
            "contract": _("Contract (Art. 6(1)(b))"),
            "legal_obligation": _("Legal obligation (Art. 6(1)(c))"),
            "vital_interests": _("Vital interests (Art. 6(1)(d))"),
            "public_task": _("Public task (Art. 6(1)(e))"),
            "legitimate_interests": _("Legitimate interests (Art. 6(1)(f))"),
        }[self.value]


@dataclass(frozen=True)
class Purpose:
    key: str
    name: str
    basis: LawfulBasis
    description: str
    art9_condition: str = ""
    recipients: tuple[str, ...] = ()
    processors: tuple[str, ...] = field(default=())
    legitimate_interest: str = ""
    # What kind of processing this is; learnward.privacy.gate decides from these flags alone.
    # essential_service: part of the service the learner asked for (own use of their account).
    # legal_claims: legal obligations, legal claims or others' rights (UK GDPR Art. 18(2));
    #   continues while processing is restricted.
    # uses_outside_processor: personal data leaves us for someone other than our host.
    # profiling / marketing / ai: never for under-18s, never while restricted.
    essential_service: bool = False
    legal_claims: bool = False
    uses_outside_processor: bool = False
    profiling: bool = False
    marketing: bool = False
    ai: bool = False
    # Compelling legitimate grounds (Art. 21(1)) why an objection is recorded and reviewed but
    # does not stop this purpose; empty means an objection stops it.
    objection_overridden: str = ""
    # Automated decision-making with legal or similarly significant effects (Art. 22); empty: none.
    automated_decision: str = ""

    @property
    def objectable(self) -> bool:
        """Art. 21: legitimate interests, and direct marketing whatever its basis (Art. 21(2))."""
        return self.basis == LawfulBasis.LEGITIMATE_INTERESTS or self.marketing

    def all_recipients(self) -> list[str]:
        """The fixed recipients followed by those ``recipients_from`` finds (needs the database)."""
        names = list(self.recipients)
        for source in _RECIPIENT_SOURCES.get(self.key, ()):
            names.extend(n for n in source() if n not in names)
        return names

    @property
    def allowed_while_restricted(self) -> bool:
        """Storage, legal claims and the learner's own use; nothing outside, no profiling."""
        if self.legal_claims:
            return True
        return (
            self.essential_service
            and not self.uses_outside_processor
            and not self.profiling
            and not self.marketing
            and not self.ai
        )

    @property
    def blocked_for_minors(self) -> bool:
        """The Children's Code: no profiling, AI features or marketing for under-18s."""
        return self.profiling or self.marketing or self.ai


_PURPOSES = [
    Purpose(
        "account",
        _("Running your account"),
        LawfulBasis.CONTRACT,
        _(
            "Creating and running your account so you can sign in, take courses and manage your data."
        ),
        recipients=(_("Our hosting provider"),),
        essential_service=True,
    ),
    Purpose(
        "security",
        _("Keeping the platform secure"),
        LawfulBasis.LEGITIMATE_INTERESTS,
        _(
            "Protecting accounts against misuse: limiting repeated failed sign-ins and keeping "
            "records of security-relevant actions."
        ),
        legitimate_interest=_("Preventing unauthorised access to learners' accounts and data."),
        legal_claims=True,
        objection_overridden=_(
            "Limiting repeated failed sign-ins protects every learner's account, "
            "including yours; we review each objection but cannot switch it off for one account."
        ),
    ),
    Purpose(
        "learning",
        _("Delivering courses"),
        LawfulBasis.CONTRACT,
        _(
            "Recording your enrolments, which lessons you have viewed and completed, and your "
            "progress, so we can deliver the course you signed up for."
        ),
        essential_service=True,
    ),
    Purpose(
        "assessment",
        _("Assessing your learning"),
        LawfulBasis.CONTRACT,
        _(
            "Marking your assessment answers and recording your results so we can award certificates."
        ),
        essential_service=True,
    ),
    Purpose(
        "certification",
        _("Issuing and verifying certificates"),
        LawfulBasis.LEGITIMATE_INTERESTS,
        _(
            "Issuing CPD certificates and letting employers, regulators and others check that a "
            "certificate is genuine, including after your account is closed."
        ),
        recipients=(_("Anyone you give your certificate code to"),),
        legitimate_interest=_("Letting third parties rely on certificates the learner shows them."),
        legal_claims=True,
        objection_overridden=_(
            "Employers and regulators rely on being able to check a certificate "
            "you have shown them; we review each objection, and you can ask us to revoke a certificate."
        ),
    ),
    Purpose(
        "awarding_body_registration",
        _("Registering you with an awarding body"),
        LawfulBasis.CONTRACT,
        _(
            "Passing the registration details an awarding body requires for certificated programmes."
        ),
        art9_condition=_("Explicit consent (Art. 9(2)(a)) for ethnicity and health information."),
        recipients=(_("The awarding body named on the course"),),
        essential_service=True,
        uses_outside_processor=True,
    ),
    Purpose(
        "service_communications",
        _("Service messages"),
        LawfulBasis.CONTRACT,
        _("Emails about your account, your courses and your certificates."),
        recipients=(_("Our email provider"),),
        essential_service=True,
        uses_outside_processor=True,
    ),
    Purpose(
        "audit",
        _("Accountability records"),
        LawfulBasis.LEGAL_OBLIGATION,
        _(
            "Keeping a tamper-evident record of actions taken on accounts and personal data, so we can "
            "show we kept our data protection obligations (UK GDPR Art. 5(2))."
        ),
        legal_claims=True,
    ),
    Purpose(
        "rights_requests",
        _("Handling your data protection requests"),
        LawfulBasis.LEGAL_OBLIGATION,
        _(
            "Recording and answering requests to access, correct, erase, restrict or object to the "
            "processing of your data, within the legal deadlines (UK GDPR Arts. 12-22)."
        ),
        legal_claims=True,
    ),
    Purpose(
        "marketing",
        _("Marketing you opted into"),
        LawfulBasis.CONSENT,
        _(
            "Emails about new courses, events, job vacancies or research, only on the topics you "
            "chose and only while you want them."
        ),
        recipients=(_("Our email provider"),),
        marketing=True,
        uses_outside_processor=True,
    ),
    Purpose(
        "support",
        _("Answering your enquiries and complaints"),
        LawfulBasis.LEGITIMATE_INTERESTS,
        _(
            "Replying to enquiries, feedback, error reports, compliments and complaints, and keeping a "
            "record of them."
        ),
        legitimate_interest=_("Helping people who contact us and improving our service."),
        uses_outside_processor=True,
    ),
    Purpose(
        "evaluation",
        _("Course evaluations"),
        LawfulBasis.LEGITIMATE_INTERESTS,
        _("Collecting optional ratings and comments after a course to improve it."),
        legitimate_interest=_("Improving our courses from learners' feedback."),
    ),
    Purpose(
        "research",
        _("Research use of evaluation comments"),
        LawfulBasis.CONSENT,
        _("Using evaluation comments in research, only when you agreed to it."),
    ),
    Purpose(
        "guardian_consent",
        _("Consent from a parent or guardian"),
        LawfulBasis.LEGAL_OBLIGATION,
        _("Asking a parent or guardian to consent for a learner under the age our policy sets."),
        legal_claims=True,
    ),
    Purpose(
        "cookies_analytics",
        _("Optional cookies"),
        LawfulBasis.CONSENT,
        _("Non-essential cookies, only when the site uses them and you agreed."),
        profiling=True,
    ),
    Purpose(
        "ai_assistance",
        _("AI-assisted learning support"),
        LawfulBasis.CONSENT,
        _(
            "Answering questions about a course and suggesting reflection prompts with an AI service, "
            "only when you turned these features on. Personal details are removed before text is sent."
        ),
        ai=True,
        profiling=True,
        uses_outside_processor=True,
    ),
    Purpose(
        "cpd_record",
        _("Keeping your CPD record"),
        LawfulBasis.CONTRACT,
        _(
            "Keeping the record of your CPD activities, hours and reflections that you maintain here."
        ),
        essential_service=True,
    ),
    Purpose(
        "breach_management",
        _("Managing personal data breaches"),
        LawfulBasis.LEGAL_OBLIGATION,
        _(
            "Recording breaches and telling the regulator and the people affected when the law requires "
            "it (UK GDPR Arts. 33-34)."
        ),
        legal_claims=True,
    ),
]

PURPOSES: dict[str, Purpose] = {p.key: p for p in _PURPOSES}


def register_purpose(purpose: Purpose) -> Purpose:
    """Add a purpose to the central list (used by apps whose purposes arrive with them)."""
    existing = PURPOSES.get(purpose.key)
    if existing is not None and existing != purpose:
        raise ValueError(f"purpose {purpose.key!r} is already registered differently")
    PURPOSES[purpose.key] = purpose
    return purpose


def get_purpose(key: str) -> Purpose:
    try:
        return PURPOSES[key]
    except KeyError as exc:
        raise ValueError(f"{key!r} is not a purpose in learnward.privacy.purposes") from exc


# Recipients that live in the database (for example the awarding bodies named on courses): the app
# that holds them registers a source from its privacy.py, so this list imports no domain app.
_RECIPIENT_SOURCES: dict[str, list[Callable[[], Iterable[str]]]] = {}


def register_recipients(purpose: str, source: Callable[[], Iterable[str]]) -> None:
    """Add ``source`` (called when the notice or the records are built) to ``purpose``'s
    recipients. Registering the same source twice has no further effect."""
    get_purpose(purpose)
    sources = _RECIPIENT_SOURCES.setdefault(purpose, [])
    if source not in sources:
        sources.append(source)
