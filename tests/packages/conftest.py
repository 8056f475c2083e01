import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from learnward.accounts.roles import COURSE_AUTHOR
from tests.catalog.factories import make_course


@pytest.fixture
def author(make_user):
    return make_user(email="author@example.test", roles=[COURSE_AUTHOR])


@pytest.fixture
def course(db):
    return make_course(title="Fire safety", modules=1, lessons_per_module=1, questions=0)


@pytest.fixture
def module(course):
    return course.modules.get()


def upload(data: bytes, name: str = "package.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")


def raw_zip(entries) -> bytes:
    """A zip from (ZipInfo or name, bytes) pairs, for the packages the checks must refuse."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return buffer.getvalue()
