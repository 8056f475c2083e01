import pytest
from django.conf import settings

from learnward.media.checks import MediaRejected
from learnward.media.embeds import FRAME_SRC, embed_url_for, watch_url


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://youtube.com/watch?v=dQw4w9WgXcQ&t=30",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        (
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871"),
    ],
)
def test_page_and_embed_addresses_become_the_allow_listed_embed(url, embed):
    assert embed_url_for(url) == embed


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/embed/dQw4w9WgXcQ",
        "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://youtube.com@evil.example/watch?v=dQw4w9WgXcQ",
        "https://www.youtube-nocookie.com:8443/embed/dQw4w9WgXcQ",
        "javascript:alert(1)",
        "https://www.youtube.com/watch?v=<script>",
        "https://player.vimeo.com/video/abc",
        "https://www.dailymotion.com/video/x7tgad0",
        "ftp://youtu.be/dQw4w9WgXcQ",
        "",
    ],
)
def test_anything_else_is_refused(url):
    with pytest.raises(MediaRejected, match="Only videos from YouTube or Vimeo"):
        embed_url_for(url)


def test_watch_links_go_to_the_hosts_own_pages():
    assert watch_url("https://www.youtube-nocookie.com/embed/abcdef") == (
        "https://www.youtube.com/watch?v=abcdef"
    )
    assert watch_url("https://player.vimeo.com/video/123") == "https://vimeo.com/123"


def test_csp_frame_src_allows_exactly_the_embed_hosts():
    """Besides the site's own frames (the package player), exactly the two video hosts."""
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["frame-src"] == [
        "'self'",
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ]
    assert tuple(directives["frame-src"][1:]) == FRAME_SRC
