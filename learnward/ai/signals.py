"""Keeps the lesson passage index in step with lessons: saving a lesson rebuilds its passages.

A signal rather than a call from catalog's services because lessons are also written in the admin
and by fixtures; the index must follow every write, wherever it comes from. Deleting a lesson or
course deletes its passages through the foreign keys.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from learnward.catalog.models import Lesson, Module

from .index import passages_move_module, passages_rebuild_for_lesson


@receiver(post_save, sender=Lesson, dispatch_uid="ai_lesson_passages")
def _lesson_saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the lesson's module may not be loaded yet; `learnward ai_reindex` after
        return
    passages_rebuild_for_lesson(lesson=instance)


@receiver(post_save, sender=Module, dispatch_uid="ai_module_passages")
def _module_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or created:
        return
    passages_move_module(module=instance)
