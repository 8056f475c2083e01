"""``learnward course_export SLUG FILE``: write a course to one file (docs/operator-guide.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from learnward.catalog.models import Course
from learnward.transfer.services import CourseExportError, course_export


class Command(BaseCommand):
    help = "Export a course (what learners see, its media and assessment) to one .zip file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", help="The course's address name, as in /courses/<slug>/.")
        parser.add_argument("file", help="Where to write the .zip ('-' is not supported).")

    def handle(self, *args, slug: str, file: str, **options) -> None:
        course = Course.objects.filter(slug=slug).first()
        if course is None:
            raise CommandError(f"There is no course with the slug {slug!r}.")
        target = Path(file)
        if target.is_dir():
            raise CommandError(f"{file} is a folder: give a file name ending in .zip.")
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
            raise CommandError(f"Could not write {file}: {exc.strerror}.") from exc
        self.stdout.write(
            f"Exported {course.title} to {file}: {counts['modules']} modules, "
            f"{counts['lessons']} lessons, {counts['media']} media items, "
            f"{counts['questions']} questions."
        )
