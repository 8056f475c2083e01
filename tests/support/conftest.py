import pytest


@pytest.fixture
def desk_staff(make_user):
    return make_user(email="desk@example.test", display_name="Desk Dee", roles=["Administrator"])


@pytest.fixture
def course(db):
    from learnward.catalog.models import Course

    return Course.objects.create(
        title="First aid at work", slug="first-aid", summary="Basics.", cpd_hours=6, published=True
    )
