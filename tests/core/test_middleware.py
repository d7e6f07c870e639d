"""Headers on every response and pages that keep to our Content Security Policy."""

import re

import pytest

from tests.helpers import PUBLIC_PAGES, assert_csp_clean

pytestmark = pytest.mark.django_db


def test_security_headers(client):
    response = client.get("/en/")
    csp = response["Content-Security-Policy"]
    for directive in [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]:
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_privacy_headers(client):
    response = client.get("/en/")
    assert "browsing-topics=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "no-store" not in response.get("Cache-Control", "")


def test_pages_for_logged_in_people_are_not_stored(student_client):
    response = student_client.get("/en/modules/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_pages_have_no_inline_script_style_or_handlers(client, page, lang):
    assert_csp_clean(client.get(page.format(lang=lang)).content.decode())


def test_htmx_is_served_from_our_origin_and_configured_for_csp(client):
    body = client.get("/en/").content.decode()
    assert re.search(r'<script src="/static/django_htmx/htmx-2\.min\.js"', body)
    assert '"allowEval": false' in body
    assert '"includeIndicatorStyles": false' in body
    assert '"historyCacheSize": 0' in body
    assert '{"code": "422", "swap": true}' in body
    assert 'data-hx-headers=\'{"X-CSRFToken": "' in body
    assert client.get("/static/django_htmx/htmx-2.min.js").status_code == 200


def test_nothing_is_loaded_from_another_origin(client):
    for page in PUBLIC_PAGES:
        html = client.get(page.format(lang="en")).content.decode()
        links = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html)
        assert links and all(link.startswith(("/", "http://testserver/")) for link in links), links
