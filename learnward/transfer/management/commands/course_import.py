"""``learnward course_import FILE``: import a course file as a new unpublished course."""

from django.core.management.base import BaseCommand, CommandError

from learnward.transfer.services import CourseImportRefused, course_import


class Command(BaseCommand):
    help = "Import a course file (made by an export) as a new, unpublished course."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The .zip a course export wrote.")
        parser.add_argument("--title", default=None, help="A title for the new course.")

    def handle(self, *args, file: str, title: str | None, **options) -> None:
        try:
            with open(file, "rb") as upload:
                course = course_import(upload=upload, by=None, title=title)
        except OSError as exc:
            raise CommandError(f"Could not read {file}: {exc.strerror}.") from exc
        except CourseImportRefused as exc:
            raise CommandError(f"The course was not imported. {exc.message}") from exc
        self.stdout.write(
            f"Imported {course.title} as /courses/{course.slug}/ (not published: publish it "
            "from the studio)."
        )
