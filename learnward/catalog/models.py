"""Courses, their ordered modules and lessons, and the awarding bodies that certificate them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class AwardingBody(models.Model):
    """An organisation that certificates a programme and needs learners registered with it."""

    name = models.CharField(max_length=200, unique=True)
    purpose = models.TextField(
        help_text=_(
            "Why this body needs learners' registration details, in plain English. "
            "Shown to learners on the enrolment form and in the privacy notice."
        )
    )
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("awarding bodies")

    def __str__(self) -> str:
        return self.name


class FieldRequirement(models.TextChoices):
    NOT_ASKED = "", _("Not asked")
    OPTIONAL = "optional", _("Optional")
    REQUIRED = "required", _("Required")


# The registration fields an awarding body may need, in the order the form asks for them.
# Keys match learning.RegistrationDetails fields and Course.<key>_requirement columns.
REGISTRATION_FIELDS: tuple[str, ...] = (
    "date_of_birth",
    "home_postcode",
    "gender",
    "ethnicity",
    "disability",
)
SPECIAL_CATEGORY_FIELDS: frozenset[str] = frozenset({"ethnicity", "disability"})


def _requirement_field(label: str) -> models.CharField:
    return models.CharField(
        f"{label} for the awarding body",
        max_length=10,
        choices=FieldRequirement.choices,
        blank=True,
        default=FieldRequirement.NOT_ASKED,
    )


class Course(models.Model):
    class CourseType(models.TextChoices):
        VOCATIONAL = "vocational", _("Vocational training")
        HOBBY = "hobby", _("Hobby course")

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.CharField(max_length=300, help_text=_("One or two sentences for the catalog."))
    description = models.TextField(blank=True, help_text=_("Markdown."))
    cpd_hours = models.DecimalField(
        "CPD hours",
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0)],
    )
    course_type = models.CharField(
        max_length=20, choices=CourseType.choices, default=CourseType.VOCATIONAL
    )
    published = models.BooleanField(
        default=False, help_text=_("Only published courses appear in the catalog.")
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    certificate_validity_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_("Leave blank if the certificate never expires."),
    )
    renewal_course = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="renews_courses",
        help_text=_(
            "The course that renews this course's certificate: a shorter refresher, or "
            "this course itself. Leave blank if certificates are not renewed."
        ),
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum assessment attempts"), default=3, validators=[MinValueValidator(1)]
    )
    entry_requirements = models.TextField(blank=True)
    awarding_body = models.ForeignKey(
        AwardingBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courses",
    )
    date_of_birth_requirement = _requirement_field("Date of birth")
    home_postcode_requirement = _requirement_field("Home postcode")
    gender_requirement = _requirement_field("Gender")
    ethnicity_requirement = _requirement_field("Ethnicity")
    disability_requirement = _requirement_field("Disability or learning difficulty")
    tutors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="tutored_courses",
        limit_choices_to={"groups__name": "Tutor"},
        help_text=_("Staff with the Tutor role who follow learners on this course."),
    )
    image = models.ForeignKey(
        "catalog.MediaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The picture on the course's card and page: an image from its media library."),
    )
    version = models.PositiveIntegerField(
        default=0,
        help_text=_(
            "The number of the version learners see: 0 until first published from the "
            "studio, then one more for each publish."
        ),
    )
    certificate_layout = models.CharField(
        max_length=20,
        choices=[("classic", _("Classic")), ("modern", _("Modern"))],
        default="classic",
        help_text=_("How this course's certificates look."),
    )
    # The language the course is taught in: its content is written once, in this language. A
    # translated course is another course today; a translation table keyed on (course,
    # language) could hold translated titles and lessons later without changing this field.
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the course is taught in. Learners can filter the catalog by it."),
    )
    accreditation_number = models.CharField(
        max_length=100,
        blank=True,
        help_text=_(
            "The awarding body's or accreditor's number for this course, printed on certificates."
        ),
    )
    tutors_see_registration = models.BooleanField(
        _("tutors see awarding-body details"),
        default=False,
        help_text=_(
            "Only when the tutors' work needs it (for example, they register learners "
            "with the awarding body). Off by default."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalog:course", kwargs={"slug": self.slug})

    def registration_requirements(self) -> dict[str, str]:
        """The awarding body's fields this course asks for: name -> "optional" | "required"."""
        if self.awarding_body_id is None:
            return {}
        wanted = {}
        for name in REGISTRATION_FIELDS:
            value = getattr(self, f"{name}_requirement")
            if value:
                wanted[name] = value
        return wanted

    @property
    def needs_registration(self) -> bool:
        return bool(self.registration_requirements())


class LiveQuerySet(models.QuerySet):
    def live(self):
        """What learners see: not retired by a publish that removed it."""
        return self.filter(retired_at__isnull=True)


class Module(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0, help_text=_("Lower numbers come first."))
    retired_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "Set when a publish removed this module: learners no longer see it; their "
            "activity on its lessons is kept."
        ),
    )

    objects = LiveQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0, help_text=_("Lower numbers come first."))
    body_markdown = models.TextField(
        _("body"),
        help_text=_(
            "Markdown. Raw HTML is cleaned: scripts, event handlers and javascript: links "
            "are removed."
        ),
    )
    estimated_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    retired_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "Set when a publish removed this lesson (or its module): learners no longer "
            "see it and it no longer counts towards completing the course; their activity on it is "
            "kept."
        ),
    )

    objects = LiveQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def body_html(self) -> str:
        from learnward.core.markdown import render_markdown

        return render_markdown(self.body_markdown)


class CourseVersion(models.Model):
    """One publish of a course from the studio: the numbered version learners then see."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.TextField(blank=True, help_text=_("What changed since the previous version."))
    snapshot = models.JSONField(
        default=dict, help_text=_("The outline and lesson texts as published, for the record.")
    )

    class Meta:
        ordering = ["course", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["course", "number"], name="course_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.course} version {self.number}"


def media_upload_path(item: MediaItem, filename: str) -> str:
    # The stored name never comes from the uploader: a random token keeps it unguessable and
    # free of path tricks; the extension is the one the content was checked to be.
    import secrets
    from pathlib import PurePosixPath

    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"course-media/{item.course_id}/{secrets.token_urlsafe(16)}{suffix}"


class MediaItem(models.Model):
    """An image, video, downloadable file or allow-listed embed in a course's media library.

    Course content, not personal data, unless ``shows_people`` says it shows identifiable
    people.
    """

    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        VIDEO = "video", _("Video")
        FILE = "file", _("File to download")
        EMBED = "embed", _("Embedded video")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=media_upload_path, blank=True, max_length=200)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0, help_text=_("Bytes, as stored."))
    sha256 = models.CharField(max_length=64, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration_seconds = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    alt_text = models.CharField(
        max_length=500,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    captions = models.FileField(upload_to=media_upload_path, blank=True, max_length=200)
    transcript = models.TextField(blank=True)
    embed_url = models.URLField(blank=True)
    shows_people = models.BooleanField(
        default=False, help_text=_("It shows people who could be identified.")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["course", "-uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title
