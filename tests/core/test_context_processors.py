import pytest

pytestmark = pytest.mark.django_db


def _language_link(client, url: str, lang: str) -> str:
    body = client.get(url).content.decode()
    marker = f'" hreflang="{lang}" lang="{lang}">'
    assert marker in body
    return body.split(marker)[0].rsplit('<a href="', 1)[1]


@pytest.mark.parametrize(
    "page,lang,link",
    [
        ("/ar/accounts/login/?next=/ar/modules/", "en", "/en/accounts/login/?next=/en/modules/"),
        ("/en/accounts/login/?next=/en/modules/", "ar", "/ar/accounts/login/?next=/ar/modules/"),
        ("/en/accounts/signup/?next=/en/checklist/", "ar", "/ar/accounts/signup/?next=/ar/checklist/"),
    ],
)
def test_language_link_sends_next_to_the_same_page_in_that_language(client, page, lang, link):
    assert _language_link(client, page, lang) == link


def test_language_link_keeps_the_other_query_parameters(client):
    link = _language_link(client, "/ar/accounts/login/?next=/ar/modules/&from=menu", "en")
    assert link == "/en/accounts/login/?next=/en/modules/&amp;from=menu"


def test_language_link_keeps_a_next_page_that_does_not_resolve(client):
    link = _language_link(client, "/ar/accounts/login/?next=/ar/no-such-page/", "en")
    assert link == "/en/accounts/login/?next=/ar/no-such-page/"


@pytest.mark.parametrize(
    "next_url",
    [
        "//evil.example/en/modules/",
        "/\\evil.example/en/modules/",
        "https://evil.example/en/modules/",
        "http://testserver/en/modules/",
        "javascript:alert(1)",
        "modules/",
        "",
    ],
)
def test_language_link_drops_a_next_that_is_not_a_local_path(client, next_url):
    link = _language_link(client, f"/ar/accounts/login/?from=menu&next={next_url}", "en")
    assert link == "/en/accounts/login/?from=menu"


def test_language_link_without_next_is_unchanged(client):
    assert _language_link(client, "/ar/accounts/login/?from=menu", "en") == "/en/accounts/login/?from=menu"
