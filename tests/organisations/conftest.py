import pytest

from tests.catalog.factories import make_course

from .factories import join, make_organisation, make_pool


@pytest.fixture
def course(db):
    return make_course(title="Manual handling", questions=0)


@pytest.fixture
def org(db):
    return make_organisation("Harbourside Care Ltd")


@pytest.fixture
def manager(make_user, org):
    user = make_user(email="priya@harbourside.test", display_name="Priya Manager")
    join(org, user, role="manager")
    return user


@pytest.fixture
def pool(org, course):
    return make_pool(org, course, seats=2)
