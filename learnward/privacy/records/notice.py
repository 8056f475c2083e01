"""The privacy notice, generated from the registry, the purposes, the processors, the retention
rules, the cookie register and the controller settings; nothing in it is written by hand.

:func:`build_notice` returns the notice as plain data (the template renders it);
:func:`notice_publish_if_changed` compares its hash with the latest published version and
publishes a new :class:`NoticeVersion` when it changed. Learners who signed up before a material
version are told about it at their next visit (:func:`notice_change_for`), and each version a
learner reads is recorded (:func:`notice_acknowledge`).
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core.i18n import language_codes, resolved, supported_language, use_language
from learnward.privacy.consent.cookies import cookie_register
from learnward.privacy.records.authority import supervisory_authority
from learnward.privacy.records.models import NoticeAcknowledgement, NoticeVersion, Processor
from learnward.privacy.registry import (
    ErasureAction,
    declarations,
    notice_section,
    personal_declarations,
)
from learnward.privacy.registry.purposes import PURPOSES
from learnward.privacy.registry.taxonomy import CATEGORIES, NOT_PERSONAL
from learnward.privacy.retention.services import Rule, describe_period, effective_periods

# Sections whose change is material: learners are told about it at their next visit. A change
# confined to the others (contact details, the wording of rights) is published silently.
MATERIAL_SECTIONS = (
    "purposes",
    "data",
    "certificates",
    "people_shown",
    "after_deletion",
    "ai",
    "processors",
    "transfers",
    "recipients",
    "cookies",
    "retention",
)
SECTION_TITLES = {
    "controller": gettext_lazy("Who we are"),
    "purposes": gettext_lazy("What we collect and why"),
    "data": gettext_lazy("The personal data we hold"),
    "certificates": gettext_lazy("Certificate verification"),
    "people_shown": gettext_lazy("Pictures and recordings of people in our courses"),
    "after_deletion": gettext_lazy("What we keep after your account is deleted"),
    "ai": gettext_lazy("AI-assisted features"),
    "recipients": gettext_lazy("Who we share it with"),
    "processors": gettext_lazy("Our processors"),
    "transfers": gettext_lazy("International transfers"),
    "cookies": gettext_lazy("Cookies"),
    "retention": gettext_lazy("How long we keep it"),
    "security": gettext_lazy("Keeping it secure"),
    "rights": gettext_lazy("Your rights"),
    "complaints": gettext_lazy("How to complain"),
}


def _url(*names: str) -> str:
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


def _labels(categories) -> list[str]:
    seen = []
    for key in categories:
        label = str(CATEGORIES[key].label)
        if label not in seen:
            seen.append(label)
    return seen


def ai_enabled() -> bool:
    """AI-assisted features are on when the setting says so or a provider is configured."""
    explicit = getattr(settings, "AI_ENABLED", None)
    if explicit is not None:
        return bool(explicit)
    return bool(getattr(settings, "AI_BASE_URL", "") or getattr(settings, "AI_PROVIDER", ""))


def processors_in_use(in_use: list[str] | None = None) -> list[Processor]:
    """Active processors serving at least one purpose in use (an AI provider is not listed
    while AI features are off)."""
    in_use = purposes_in_use() if in_use is None else in_use
    return [
        p
        for p in Processor.objects.filter(active=True).select_related("engaged_by")
        if any(key in in_use for key in p.purposes)
    ]


def _is_ai(key: str) -> bool:
    purpose = PURPOSES.get(key)
    return key == "ai_assistance" or bool(getattr(purpose, "ai", False))


def purposes_in_use() -> list[str]:
    """The purposes the notice and the records describe, in the central list's order: those a
    declaration serves and those an active processor is engaged for. AI purposes only while AI
    features are on."""
    used: set[str] = set()
    for declaration in personal_declarations():
        used.update(declaration.purposes)
    for keys in Processor.objects.filter(active=True).values_list("purposes", flat=True):
        used.update(k for k in keys if k in PURPOSES)
    enabled = ai_enabled()
    if enabled and "ai_assistance" in PURPOSES:
        used.add("ai_assistance")
    return [key for key in PURPOSES if key in used and (enabled or not _is_ai(key))]


def declarations_in_use(in_use: list[str] | None = None):
    """The personal-data declarations serving at least one purpose in use (a model used only by
    AI features drops out while they are off)."""
    in_use = purposes_in_use() if in_use is None else in_use
    return [d for d in personal_declarations() if any(k in in_use for k in d.purposes)]


def _processor_entry(processor: Processor, in_use: list[str]) -> dict:
    return {
        "name": processor.name,
        "role": processor.get_role_display(),
        "engaged_by": processor.engaged_by.name if processor.engaged_by else "",
        "service": processor.service,
        "purposes": [PURPOSES[k].name for k in processor.purposes if k in in_use],
        "categories": _labels(c for c in processor.data_categories if c in CATEGORIES),
        "location": processor.location,
        "transfer": processor.get_transfer_mechanism_display(),
        "transfers_outside_uk": processor.transfers_outside_uk,
        "safeguards": processor.safeguards,
    }


def _cookies() -> list[dict]:
    return [
        {
            "name": c.name,
            "purpose": c.purpose,
            "duration": c.duration,
            "essential": c.essential,
            "provider": getattr(c, "provider", ""),
        }
        for c in cookie_register()
    ]


def _rights() -> list[dict]:
    export = _url("rights:my_data")
    delete = _url("rights:delete_account")
    restrict = _url("rights:restrict")
    objections = _url("rights:object")
    profile = _url("accounts:profile")
    preferences = _url("communications:preferences")
    cookies = _url("cookies:settings")
    return [
        {
            "name": _("Access"),
            "text": _("See everything we hold about you and download a copy."),
            "url": export,
        },
        {
            "name": _("Rectification"),
            "text": _("Correct your name, email address and other details."),
            "url": profile,
        },
        {
            "name": _("Erasure"),
            "text": _(
                "Delete your account and the data that goes with it, except the limited "
                "records described above."
            ),
            "url": delete,
        },
        {
            "name": _("Restriction"),
            "text": _("Ask us to keep your data but stop using it while a question is settled."),
            "url": restrict,
        },
        {
            "name": _("Objection"),
            "text": _("Object to any use of your data that relies on our legitimate interests."),
            "url": objections,
        },
        {
            "name": _("Portability"),
            "text": _(
                "Take the data you gave us to another provider in a machine-readable format."
            ),
            "url": export,
        },
        {
            "name": _("Withdrawing consent"),
            "text": _("Change your mind about the emails you agreed to receive, at any time."),
            "url": preferences,
        },
        {
            "name": _("Cookie choices"),
            "text": _("Change your answer about optional cookies, at any time."),
            "url": cookies,
        },
    ]


def build_notice() -> dict:
    """The whole notice as plain, JSON-serialisable data, in the active language."""
    in_use = purposes_in_use()
    personal = declarations_in_use(in_use)
    processors = processors_in_use(in_use)
    periods = effective_periods()

    purposes = []
    for key in in_use:
        purpose = PURPOSES[key]
        serving = [d for d in personal if key in d.purposes]
        categories = [c for d in serving for c in d.personal_fields.values()]
        purposes.append(
            {
                "key": key,
                "name": purpose.name,
                "description": purpose.description,
                "basis": purpose.basis.label,
                "legitimate_interest": purpose.legitimate_interest,
                "art9_condition": purpose.art9_condition,
                "categories": _labels(categories),
                "special_categories": _labels(c for c in categories if CATEGORIES[c].special),
                "recipients": purpose.all_recipients(),
                "processors": [p.name for p in processors if key in p.purposes],
            }
        )

    data = []
    retention = []
    after_deletion = []
    for declaration in personal:
        rule_text = declaration.retention_note
        action = ""
        if declaration.retention is not None:
            rule = Rule(declaration)
            rule_text = describe_period(rule, periods[rule.key])
            cleared = _labels(
                declaration.fields[f]
                for f in declaration.retention.fields
                if declaration.fields.get(f, NOT_PERSONAL) != NOT_PERSONAL
            )
            action = (
                _("Deleted")
                if declaration.retention.action.value == "delete"
                else _("Anonymised: %(fields)s removed") % {"fields": ", ".join(cleared).lower()}
            )
        data.append(
            {
                "label": declaration.display_label,
                "categories": _labels(declaration.personal_fields.values()),
                "purposes": [PURPOSES[k].name for k in declaration.purposes],
                "source": declaration.source,
            }
        )
        retention.append({"label": declaration.display_label, "rule": rule_text, "then": action})
        erasure = declaration.erasure
        if (
            erasure.action in (ErasureAction.RETAIN, ErasureAction.ANONYMISE)
            and declaration.subject
        ):
            kept = (
                [f for f in erasure.fields if f in declaration.personal_fields]
                if erasure.action == ErasureAction.RETAIN
                else [f for f in declaration.personal_fields if f not in erasure.fields]
            )
            after_deletion.append(
                {
                    "label": declaration.display_label,
                    "kept": _labels(declaration.personal_fields[f] for f in kept),
                    "reason": erasure.reason,
                }
            )

    certificates = notice_section("certificates")

    ai = None
    if "ai_assistance" in in_use:
        purpose = PURPOSES["ai_assistance"]
        ai = {
            "description": purpose.description,
            "basis": purpose.basis.label,
            "processors": [
                _processor_entry(p, in_use) for p in processors if "ai_assistance" in p.purposes
            ],
        }

    recipients = []
    for key in in_use:
        for name in PURPOSES[key].all_recipients():
            if name not in recipients:
                recipients.append(name)

    processor_entries = [_processor_entry(p, in_use) for p in processors]
    return resolved(
        {
            "controller": {
                "name": settings.PROVIDER_NAME,
                "address": settings.PROVIDER_ADDRESS,
                "email": settings.PROVIDER_EMAIL,
                "dpo_name": settings.DPO_NAME,
                "dpo_email": settings.DPO_EMAIL,
            },
            "purposes": purposes,
            "data": data,
            "certificates": certificates,
            "people_shown": notice_section("people_shown"),
            "after_deletion": after_deletion,
            "ai": ai,
            "recipients": recipients,
            "processors": processor_entries,
            "transfers": [p for p in processor_entries if p["transfers_outside_uk"]],
            "cookies": _cookies(),
            "retention": retention,
            "security": getattr(settings, "SECURITY_MEASURES", ""),
            "rights": _rights(),
            "complaints": {
                "dpo_email": settings.DPO_EMAIL,
                "authority": supervisory_authority(),
            },
        }
    )


def build_notices() -> dict[str, dict]:
    """The notice in every language of ``settings.LANGUAGES``: ``{"en-gb": {...}, "nl": ...}``,
    each built in its language (reverse() gives that language's links)."""
    notices = {}
    for code in language_codes():
        with use_language(code):
            notices[code] = build_notice()
    return notices


def _unordered(value):
    """``value`` with every list sorted, so two notices that say the same things in another
    order compare equal (the order follows the installed apps, which a release may change)."""
    if isinstance(value, dict):
        return {k: _unordered(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_unordered(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def content_hash(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def latest_version() -> NoticeVersion | None:
    return NoticeVersion.objects.order_by("-number").first()


def notice_publish_if_changed(*, actor=None) -> NoticeVersion:
    """Publish a new version if the generated notice differs from the latest, in any language;
    return the current version either way.

    All the languages are published together, as one version whose hash covers them all.
    Whether a change is material, and which sections changed, is judged on the English text."""
    content = build_notices()
    digest = content_hash(content)
    current = latest_version()
    if current is not None and current.content_hash == digest:
        return current
    with transaction.atomic():
        current = NoticeVersion.objects.select_for_update().order_by("-number").first()
        if current is not None and current.content_hash == digest:
            return current
        # A section whose items only moved says nothing new: published, but not as a change.
        english = content[settings.LANGUAGE_CODE]
        before = current.content_in(settings.LANGUAGE_CODE) if current is not None else {}
        changed = (
            [k for k in english if _unordered(english[k]) != _unordered(before.get(k))]
            if current is not None
            else list(english)
        )
        version = NoticeVersion.objects.create(
            number=(current.number + 1) if current else 1,
            content_hash=digest,
            content=content,
            published_at=timezone.now(),
            material=current is None or any(k in MATERIAL_SECTIONS for k in changed),
            # English titles (msgids): shown in the reader's language by changed_section_titles.
            changed_sections=[_english_title(k) for k in changed] if current else [],
        )
        audit_record(
            action=Action.NOTICE_PUBLISHED,
            actor=actor,
            target=version,
            payload={
                "number": version.number,
                "hash": digest,
                "material": version.material,
                "changed": version.changed_sections,
            },
        )
    return version


def notice_change_for(user) -> NoticeVersion | None:
    """The material version a signed-in learner has not seen yet, if they should be told.

    Learners are told about a version published after they joined (those who joined later read
    the notice when they signed up), unless they have already seen it or a later one.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    version = (
        NoticeVersion.objects.filter(material=True, number__gt=1, published_at__gt=user.date_joined)
        .order_by("-number")
        .first()
    )
    if version is None:
        return None
    seen = NoticeAcknowledgement.objects.filter(user=user, version__number__gte=version.number)
    return None if seen.exists() else version


def notice_acknowledge(
    *, user, version: NoticeVersion, language: str | None = None
) -> NoticeAcknowledgement:
    """Record that ``user`` has seen ``version`` (once; the first time counts), in ``language``:
    the language they read it in (the active language when not given)."""
    acknowledgement, _created = NoticeAcknowledgement.objects.get_or_create(
        user=user,
        version=version,
        defaults={
            "seen_at": timezone.now(),
            "language": supported_language(language or translation.get_language()),
        },
    )
    return acknowledgement


def notice_versions() -> list[NoticeVersion]:
    return list(NoticeVersion.objects.order_by("-number").defer("content"))


def section_titles() -> dict[str, str]:
    """The sections' titles in the active language."""
    return resolved(dict(SECTION_TITLES))


def _english_title(key: str) -> str:
    with translation.override(None):
        return str(SECTION_TITLES.get(key, key))


def listed_models() -> list[str]:
    """Every model the notice describes (for the test that it lists nothing else)."""
    return [d.key for d in declarations() if d.holds_personal_data]
