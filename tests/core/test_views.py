import re

import pytest
from django.test import Client
from django.utils import translation

from apps.core.templatetags.datatrail import format_percent, percent

pytestmark = pytest.mark.django_db

PAGES = ["/{lang}/", "/{lang}/accounts/login/", "/{lang}/accounts/signup/", "/{lang}/privacy/"]


@pytest.mark.parametrize("lang,direction", [("en", "ltr"), ("ar", "rtl")])
@pytest.mark.parametrize("page", PAGES)
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


def test_404_page_is_in_the_current_language(client):
    response = client.get("/ar/no-such-page/")
    assert response.status_code == 404
    assert 'lang="ar"' in response.content.decode()
    assert "الصفحة غير موجودة" in response.content.decode()


def test_language_switcher_keeps_the_current_page(client):
    body = client.get("/en/accounts/login/").content.decode()
    assert 'href="/ar/accounts/login/" hreflang="ar"' in body


def test_home_says_what_the_site_teaches_and_invites_to_start(client):
    body = client.get("/en/").content.decode()
    assert "data you leave on social media" in body
    assert "Start learning" in body
    body_ar = client.get("/ar/").content.decode()
    assert "ابدأ التعلم" in body_ar


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


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTR = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
REMOTE = re.compile(r'(?:src|href)="(?:https?:)?//(?!testserver)', re.IGNORECASE)


def assert_csp_clean(html: str) -> None:
    assert not INLINE_SCRIPT.search(html), "inline <script>"
    assert not EVENT_HANDLER.search(html), "on*= attribute"
    assert not STYLE_ATTR.search(html), "style= attribute"
    assert "<style" not in html.lower()
    assert "hx-on" not in html


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("page", PAGES)
def test_pages_have_no_inline_script_style_or_handlers(client, page, lang):
    assert_csp_clean(client.get(page.format(lang=lang)).content.decode())


def test_htmx_is_served_from_our_origin_and_configured_for_csp(client):
    body = client.get("/en/").content.decode()
    assert re.search(r'<script src="/static/django_htmx/htmx-2\.min\.js"', body)
    assert '"allowEval": false' in body
    assert '"includeIndicatorStyles": false' in body
    assert '"historyCacheSize": 0' in body
    assert '{"code": "422", "swap": true}' in body
    assert 'hx-headers=\'{"X-CSRFToken": "' in body
    assert client.get("/static/django_htmx/htmx-2.min.js").status_code == 200


def test_nothing_is_loaded_from_another_origin(client):
    for page in PAGES:
        html = client.get(page.format(lang="en")).content.decode()
        links = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html)
        assert links and all(link.startswith(("/", "http://testserver/")) for link in links), links


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_broken_database(client, monkeypatch):
    from apps.core import views

    class Broken:
        def cursor(self):
            raise RuntimeError("database down")

    monkeypatch.setattr(views, "connection", Broken())
    assert client.get("/healthz").status_code == 503


def test_post_without_csrf_token_is_a_translated_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/ar/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    body = response.content.decode()
    assert 'lang="ar"' in body
    assert "انتهت صلاحية هذا النموذج" in body


def test_500_page_renders_in_both_languages(client):
    from apps.core.views import server_error

    for lang, text in [("en", "Something went wrong"), ("ar", "حدث خطأ ما")]:
        with translation.override(lang):
            response = server_error(None)
        assert response.status_code == 500
        assert text in response.content.decode()
        assert f'lang="{lang}"' in response.content.decode()


def test_percent_is_localised_and_isolated():
    with translation.override("en"):
        assert percent(70) == '<bdi class="num">70%</bdi>'
    with translation.override("ar"):
        assert percent(70) == '<bdi class="num">70\u066a</bdi>'
        assert format_percent(69.6) == "70\u066a"
    # No space between digits and sign: a space would let the sign drift to the wrong side in RTL.
    assert " " not in format_percent(70, "ar")


def test_dates_are_formatted_in_the_page_language():
    import datetime

    from django.template import Context, Template

    template = Template('{{ day|date:"j F Y" }}')
    day = datetime.date(2026, 11, 26)
    with translation.override("en"):
        assert "November" in template.render(Context({"day": day}))
    with translation.override("ar"):
        assert "نوفمبر" in template.render(Context({"day": day}))


def test_privacy_headers(client):
    response = client.get("/en/")
    assert "browsing-topics=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "no-store" not in response.get("Cache-Control", "")


def test_pages_for_logged_in_people_are_not_stored(student_client):
    response = student_client.get("/en/modules/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_robots_txt_points_to_the_sitemap(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_pages_link_their_other_language(client):
    body = client.get("/en/modules/profiling/").content.decode()
    assert '<link rel="alternate" hreflang="ar" href="http://testserver/ar/modules/profiling/">' in body
