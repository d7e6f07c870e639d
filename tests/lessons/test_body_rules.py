"""The lesson body rules that docs/content-format.md promises are checked at load time."""

from pathlib import Path

import pytest

from apps.core.content import ContentError
from apps.core.sanitize import markdown_to_html
from apps.lessons.content import body_check

WHERE = Path("en.md")


@pytest.mark.parametrize(
    "body",
    [
        "# A second page title\n\nText.",
        "Intro.\n\n# Heading one\n",
        "See [the page](http://example.org/help).",
        'A <a href="http://example.org">raw link</a>.',
        "See [this](ftp://example.org/file).",
    ],
)
def test_a_top_level_heading_or_a_non_https_link_is_refused(body):
    with pytest.raises(ContentError):
        body_check(path=WHERE, body=body)


@pytest.mark.parametrize(
    "body",
    [
        "## Part\n\nText with a [link](https://example.org/help) and [mail](mailto:help@example.org).",
        "### Smaller heading\n\nA [jump](#part) within the page.",
        'A <a href="https://example.org">raw link</a>.',
    ],
)
def test_headings_from_two_hashes_and_https_links_pass(body):
    body_check(path=WHERE, body=body)


def test_the_sanitiser_drops_plain_http_links_from_admin_text():
    html = markdown_to_html("[plain](http://example.org/) and [safe](https://example.org/)")
    assert 'href="http://' not in html
    assert 'href="https://example.org/"' in html
