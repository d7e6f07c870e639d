"""Every page in both languages: language and direction, prefixes, links to the other language."""

import pytest

from tests.helpers import PUBLIC_PAGES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang,direction", [("en", "ltr"), ("ar", "rtl")])
@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_pages_declare_language_and_direction(client, page, lang, direction):
    response = client.get(page.format(lang=lang))
    assert response.status_code == 200
    assert f'<html lang="{lang}" dir="{direction}">' in response.content.decode()


def test_root_redirects_by_accept_language(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ar").url == "/ar/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8").url == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr").url == "/en/"


def test_unknown_language_prefix_is_404(client):
    assert client.get("/fr/").status_code == 404
    assert client.get("/de/accounts/login/").status_code == 404


def test_language_switcher_keeps_the_current_page(client):
    body = client.get("/en/accounts/login/").content.decode()
    assert 'href="/ar/accounts/login/" hreflang="ar"' in body


def test_pages_link_their_other_language(client):
    body = client.get("/en/modules/alpha/").content.decode()
    assert '<link rel="alternate" hreflang="ar" href="http://testserver/ar/modules/alpha/">' in body
