"""Reads for the LTI tool. Staff pages need ``lti.manage_platforms``; anyone else gets a 404."""

from __future__ import annotations

from django.db.models import Count
from django.http import Http404
from django.utils.translation import gettext as _

from learnward.catalog.models import Course
from learnward.core.access import staff_powers

from .models import LtiPlatform, LtiScore

STAFF_RULE = "lti.manage_platforms"


def _require_staff(actor) -> None:
    if not staff_powers(actor, STAFF_RULE):
        raise Http404


def staff_platforms(*, actor):
    _require_staff(actor)
    return LtiPlatform.objects.annotate(
        learners=Count("links", distinct=True), deployment_count=Count("deployments", distinct=True)
    ).order_by("name", "pk")


def staff_platform(*, actor, pk: int) -> LtiPlatform:
    _require_staff(actor)
    platform = LtiPlatform.objects.filter(pk=pk).first()
    if platform is None:
        raise Http404
    return platform


def staff_platform_scores(*, actor, platform: LtiPlatform):
    """The platform's latest grade passbacks (status only: no learner is named)."""
    _require_staff(actor)
    return (
        LtiScore.objects.filter(launch__platform=platform)
        .select_related("launch__course")
        .order_by("-created_at", "-pk")[:20]
    )


def deep_link_courses():
    """What a platform's instructor may pick: the published courses, public anyway."""
    return Course.objects.filter(published=True).order_by("title", "pk")


def launchable_course(slug: object) -> Course | None:
    if not isinstance(slug, str) or not slug:
        return None
    return Course.objects.filter(slug=slug, published=True).first()


def platform_recipients() -> list[str]:
    """The notice's recipients of grades: each enabled platform by name (examples left out)."""
    names = LtiPlatform.objects.filter(enabled=True, is_example=False).values_list(
        "name", flat=True
    )
    return [_("%(name)s (learning platform)") % {"name": name} for name in names]
