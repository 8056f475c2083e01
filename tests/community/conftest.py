import pytest
from django.utils import timezone

from learnward.community import services
from learnward.learning.models import Enrolment
from tests.catalog.factories import make_course


def enrol(user, course):
    return Enrolment.objects.create(user=user, course=course, enrolled_at=timezone.now())


@pytest.fixture
def course(db):
    return make_course(title="Manual handling", questions=0)


@pytest.fixture
def site(db):
    return services.site_space_ensure()


@pytest.fixture
def course_space(course):
    return services.course_space_ensure(course=course)


@pytest.fixture
def ana(make_user, course):
    user = make_user(email="ana@example.test", display_name="Ana Silva")
    enrol(user, course)
    services.member_join(user=user)
    return user


@pytest.fixture
def tom(make_user, course):
    user = make_user(email="tom@example.test", display_name="Tom Reid")
    enrol(user, course)
    services.member_join(user=user)
    return user


@pytest.fixture
def tutor(make_user, course):
    user = make_user(email="tutor@example.test", display_name="Tess Tutor", roles=["Tutor"])
    course.tutors.add(user)
    return user


@pytest.fixture
def moderator(make_user):
    return make_user(email="mod@example.test", display_name="Mo Derator", roles=["Moderator"])
