import pytest

from learnward.core.links import absolute_url


def test_absolute_url_puts_the_site_address_in_front(settings):
    settings.BASE_URL = "https://learn.example.test"
    assert absolute_url("/verify/ABC/") == "https://learn.example.test/verify/ABC/"


@pytest.mark.parametrize("path", ["verify/ABC/", "https://elsewhere.test/", ""])
def test_absolute_url_takes_only_an_absolute_path(path):
    with pytest.raises(ValueError, match="starting with /"):
        absolute_url(path)
