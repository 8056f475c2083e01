"""Activity events are partitioned by month on PostgreSQL: the model must stay partitionable."""

from django.apps import apps
from django.db import models

from learnward.learning.models import ActivityEvent


def test_nothing_points_at_activity_events():
    incoming = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.get_fields()
        if field.is_relation
        and field.concrete
        and getattr(field, "related_model", None) is ActivityEvent
    ]
    assert incoming == []


def test_no_unique_constraint_besides_the_primary_key():
    meta = ActivityEvent._meta
    assert not any(isinstance(c, models.UniqueConstraint) for c in meta.constraints)
    assert not meta.unique_together
    assert [f.name for f in meta.concrete_fields if f.unique] == ["id"]
