from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PackagesConfig(AppConfig):
    name = "learnward.packages"
    label = "packages"
    verbose_name = _("SCORM and cmi5 packages")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from learnward.learning import extensions

        from . import hooks
        from .models import ContentPackage

        # Deleting a package lesson (the lesson, its course) removes the package's files too.
        post_delete.connect(
            hooks.package_deleted, sender=ContentPackage, dispatch_uid="packages_files"
        )

        extensions.register_lesson_body("packages", hooks.lesson_body)
        extensions.register_completion_requirement(
            "packages", is_met=hooks.package_assessment_met, next_step=hooks.package_next_step
        )
