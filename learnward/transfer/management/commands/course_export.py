"""``learnward course_export SLUG FILE``: write a course to one file (docs/operator-guide.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learnward.catalog.models import Course
from learnward.transfer.services import CourseExportError, course_export


class Command(BaseCommand):
    help = gettext_lazy(
        "Export a course (what learners see, its media and assessment) to one .zip file."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "slug", help=gettext_lazy("The course's address name, as in /courses/<slug>/.")
        )
        parser.add_argument(
            "file", help=gettext_lazy("Where to write the .zip ('-' is not supported).")
        )

    def handle(self, *args, slug: str, file: str, **options) -> None:
        course = Course.objects.filter(slug=slug).first()
        if course is None:
            raise CommandError(
                _("There is no course with the slug %(slug)s.") % {"slug": repr(slug)}
            )
        target = Path(file)
        if target.is_dir():
            raise CommandError(
                _("%(file)s is a folder: give a file name ending in .zip.") % {"file": file}
            )
        partial = target.with_name(target.name + ".partial")
        try:
            with partial.open("wb") as out:
                counts = course_export(course=course, by=None, out=out)
            partial.replace(target)
        except CourseExportError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(exc.message) from exc
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(
                _("Could not write %(file)s: %(error)s.") % {"file": file, "error": exc.strerror}
            ) from exc
        self.stdout.write(
            _(
                "Exported %(title)s to %(file)s: %(modules)s modules, %(lessons)s lessons, "
                "%(media)s media items, %(questions)s questions."
            )
            % {
                "title": course.title,
                "file": file,
                "modules": counts["modules"],
                "lessons": counts["lessons"],
                "media": counts["media"],
                "questions": counts["questions"],
            }
        )
