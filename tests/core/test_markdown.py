import pytest

from learnward.core.markdown import render_markdown


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "Hello <script src='https://evil.test/x.js'></script>",
        "<SCRIPT>alert(1)</SCRIPT>",
        "<scr<script>ipt>alert(1)</script>",
    ],
)
def test_script_never_reaches_the_page(source):
    html = render_markdown(source)
    assert "<script" not in html.lower()


@pytest.mark.parametrize(
    "source",
    [
        '<img src="x.png" onerror="alert(1)">',
        '<a href="https://example.test" onclick="steal()">x</a>',
        '<p onmouseover="alert(1)">hover</p>',
        '<div><svg onload="alert(1)"></svg></div>',
        "<details open ontoggle=alert(1)><summary>x</summary></details>",
    ],
)
def test_event_handler_attributes_are_removed(source):
    html = render_markdown(source).lower()
    assert "onerror" not in html
    assert "onclick" not in html
    assert "onmouseover" not in html
    assert "onload" not in html
    assert "ontoggle" not in html


@pytest.mark.parametrize(
    "source",
    [
        "[click](javascript:alert(1))",
        "[click](JavaScript:alert(1))",
        "[click](  javascript:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        '<a href="jav&#x09;ascript:alert(1)">click</a>',
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![x](javascript:alert(1))",
        '<a href="vbscript:msgbox(1)">x</a>',
    ],
)
def test_dangerous_links_are_removed(source):
    html = render_markdown(source).lower()
    assert "javascript:" not in html
    assert "data:" not in html
    assert "vbscript:" not in html


def test_style_iframe_and_forms_are_removed():
    html = render_markdown(
        "<style>body{display:none}</style><iframe src='https://evil.test'></iframe>"
        "<form action='https://evil.test'><input name=x></form>"
    ).lower()
    assert "<style" not in html and "<iframe" not in html
    assert "<form" not in html and "<input" not in html


def test_ordinary_markdown_is_kept():
    html = render_markdown(
        "# Title\n\nSome **bold** and *italic* text with [a link](https://example.test/a).\n\n"
        "- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    assert "<h2>Title</h2>" in html  # demoted under the page's own <h1>
    assert "<strong>bold</strong>" in html and "<em>italic</em>" in html
    assert '<a href="https://example.test/a" rel="noopener noreferrer">a link</a>' in html
    assert "<li>one</li>" in html
    assert "<table>" in html and "<td>1</td>" in html


def test_heading_offset_never_goes_below_h6():
    html = render_markdown("##### Deep", heading_offset=3)
    assert "<h6>Deep</h6>" in html


def test_empty_text_renders_empty():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
