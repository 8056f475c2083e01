"""``learnward course_import FILE``: import a course file as a new unpublished course."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learnward.transfer.services import CourseImportRefused, course_import


class Command(BaseCommand):
    help = gettext_lazy("Import a course file (made by an export) as a new, unpublished course.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help=gettext_lazy("The .zip a course export wrote."))
        parser.add_argument(
            "--title", default=None, help=gettext_lazy("A title for the new course.")
        )

    def handle(self, *args, file: str, title: str | None, **options) -> None:
        try:
            with open(file, "rb") as upload:
                course = course_import(upload=upload, by=None, title=title)
        except OSError as exc:
            raise CommandError(
                _("Could not read %(file)s: %(error)s.") % {"file": file, "error": exc.strerror}
            ) from exc
        except CourseImportRefused as exc:
            raise CommandError(
                _("The course was not imported. %(reason)s") % {"reason": exc.message}
            ) from exc
        self.stdout.write(
            _("Imported %(title)s as %(address)s (not published: publish it from the studio).")
            % {"title": course.title, "address": f"/courses/{course.slug}/"}
        )
