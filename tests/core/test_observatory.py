"""Every page type, as served behind TLS with the production defaults, held to the Mozilla HTTP
Observatory's rules: each test's modifier as its scoring methodology gives it
(https://github.com/mozilla/http-observatory/blob/main/httpobs/docs/scoring.md, 2024-02-27 revision).
An A+ is a score of 100 or more; we require more: no test with a negative modifier at all.

The suite speaks plain HTTP, so tests/settings.py turns off the HTTPS redirect and secure cookies;
here they are back as production has them when DJANGO_SECURE_SSL_REDIRECT and DJANGO_SECURE_COOKIES
are unset (tests/core/test_settings.py proves those defaults)."""

import re

import pytest
from django.http import HttpResponse
from django.test import Client, override_settings

from apps.classrooms import services as classroom_services
from apps.classrooms.models import Membership
from tests.factories import PASSWORD, StudentFactory, TeacherFactory
from tests.helpers import PAGE_TYPES

pytestmark = pytest.mark.django_db
BEHIND_TLS = override_settings(SECURE_SSL_REDIRECT=True, SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
SIX_MONTHS = 15768000
PRIVATE_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}


def _directives(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in filter(None, (p.strip() for p in policy.split(";"))):
        name, *sources = part.split()
        directives[name.lower()] = sources
    return directives


def _is_session_cookie(name: str) -> bool:
    # The Observatory's test: a cookie whose name speaks of a login or a session.
    return any(word in name.lower() for word in ("login", "sess"))


def observatory_modifiers(page, http_answer) -> dict[str, int]:
    """The Observatory's tests, each with its modifier, for one page and the answer to its http:// URL."""
    result = {}
    policy = _directives(page.get("Content-Security-Policy", ""))
    every_source = [source for sources in policy.values() for source in sources]
    script_sources = policy.get("script-src", policy.get("default-src", []))
    if not policy:
        result["csp-not-implemented"] = -25
    elif "'unsafe-inline'" in script_sources:
        result["csp-implemented-with-unsafe-inline"] = -20
    elif any(source.startswith("http:") for source in every_source):
        result["csp-implemented-with-insecure-scheme"] = -20
    elif "'unsafe-eval'" in every_source:
        result["csp-implemented-with-unsafe-eval"] = -10
    elif "'unsafe-inline'" in policy.get("style-src", []):
        result["csp-implemented-with-unsafe-inline-in-style-src-only"] = 0
    elif policy.get("default-src") == ["'none'"]:
        result["csp-implemented-with-no-unsafe-default-src-none"] = 10
    else:
        result["csp-implemented-with-no-unsafe"] = 5

    cookies = list(page.cookies.values())
    if not cookies:
        result["cookies-not-found"] = 0
    elif any(not c["secure"] and _is_session_cookie(c.key) for c in cookies):
        result["cookies-session-without-secure-flag"] = -40
    elif any(not c["httponly"] and _is_session_cookie(c.key) for c in cookies):
        result["cookies-session-without-httponly-flag"] = -30
    elif any(not c["secure"] for c in cookies):
        result["cookies-without-secure-flag"] = -20
    elif all(c["samesite"] for c in cookies):
        result["cookies-secure-with-httponly-sessions-and-samesite"] = 5
    else:
        result["cookies-secure-with-httponly-sessions"] = 0

    if page.get("Access-Control-Allow-Origin") == "*":
        result["cross-origin-resource-sharing-implemented-with-universal-access"] = -50
    else:
        result["cross-origin-resource-sharing-not-implemented"] = 0

    location = http_answer.get("Location", "")
    if http_answer.status_code in (301, 302, 307, 308) and location.startswith("https://testserver/"):
        result["redirection-to-https"] = 0
    else:
        result["redirection-missing"] = -20

    referrer = page.get("Referrer-Policy", "").split(",")[-1].strip().lower()
    if referrer in PRIVATE_REFERRER_POLICIES:
        result["referrer-policy-private"] = 5
    elif referrer:
        result["referrer-policy-unsafe"] = -5
    else:
        result["referrer-policy-not-implemented"] = 0

    hsts = re.search(r"max-age=(\d+)", page.get("Strict-Transport-Security", ""))
    if not hsts:
        result["hsts-not-implemented"] = -20
    elif int(hsts[1]) < SIX_MONTHS:
        result["hsts-implemented-max-age-less-than-six-months"] = -10
    else:
        result["hsts-implemented-max-age-at-least-six-months"] = 0

    scripts = re.findall(r"<script\b[^>]*\bsrc=\"([^\"]+)\"", page.content.decode())
    if "text/html" not in page.get("Content-Type", ""):
        result["sri-not-implemented-response-not-html"] = 0
    elif all(src.startswith("/") and not src.startswith("//") for src in scripts):
        result["sri-not-implemented-but-all-scripts-loaded-from-secure-origin"] = 0
    else:
        result["sri-not-implemented-but-external-scripts-loaded-securely"] = -5

    if page.get("X-Content-Type-Options", "").lower() == "nosniff":
        result["x-content-type-options-nosniff"] = 0
    else:
        result["x-content-type-options-not-implemented"] = -5

    if "frame-ancestors" in policy:
        result["x-frame-options-implemented-via-csp"] = 5
    elif page.get("X-Frame-Options", "").upper() in ("DENY", "SAMEORIGIN"):
        result["x-frame-options-sameorigin-or-deny"] = 0
    else:
        result["x-frame-options-not-implemented"] = -20

    corp = page.get("Cross-Origin-Resource-Policy", "").lower()
    result[f"corp-implemented-with-{corp}" if corp else "corp-not-implemented"] = 0
    return result


def observatory_score(modifiers: dict[str, int]) -> int:
    """100, plus penalties; bonuses count only when the score without them is 90 or more."""
    score = 100 + sum(m for m in modifiers.values() if m < 0)
    if score >= 90:
        score += sum(m for m in modifiers.values() if m > 0)
    return max(score, 0)


@pytest.fixture
def clients():
    teacher, student = TeacherFactory(), StudentFactory()
    classroom = classroom_services.classroom_create(teacher=teacher, name="Year 9 B")
    Membership.objects.create(classroom=classroom, student=student)
    by_role = {"anonymous": Client()}
    for role, user in (("student", student), ("teacher", teacher)):
        by_role[role] = Client()
        by_role[role].force_login(user)
    return by_role, {"classroom": classroom.pk, "student": student.pk}


@BEHIND_TLS
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_page_type_scores_a_plus_with_no_penalty(clients, lang):
    by_role, ids = clients
    pages = {**PAGE_TYPES, "anonymous": [*PAGE_TYPES["anonymous"], "/{lang}/no-such-page/"]}
    for role, urls in pages.items():
        for template in urls:
            url = template.format(lang=lang, **ids)
            page = by_role[role].get(url, secure=True)
            assert page.status_code in (200, 404), url
            modifiers = observatory_modifiers(page, by_role[role].get(url))
            assert not {name: m for name, m in modifiers.items() if m < 0}, url
            assert observatory_score(modifiers) >= 115, (url, modifiers)
            assert modifiers.get("corp-implemented-with-same-origin") == 0, url


@BEHIND_TLS
def test_the_cookies_a_log_in_sets_are_secure_httponly_and_same_site():
    StudentFactory(username="lina")
    client = Client()
    client.get("/en/accounts/login/", secure=True)
    response = client.post("/en/accounts/login/", {"username": "lina", "password": PASSWORD}, secure=True)
    assert response.status_code == 302
    names = set(response.cookies)
    assert {"sessionid", "csrftoken"} <= names
    modifiers = observatory_modifiers(response, client.get("/en/accounts/login/"))
    assert modifiers["cookies-secure-with-httponly-sessions-and-samesite"] == 5
    for cookie in response.cookies.values():
        assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax", cookie.key


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, "csp-not-implemented"),
        (
            {"Content-Security-Policy": "script-src 'self' 'unsafe-inline'"},
            "csp-implemented-with-unsafe-inline",
        ),
        ({"Content-Security-Policy": "default-src 'self'"}, "csp-implemented-with-no-unsafe"),
        (
            {"Access-Control-Allow-Origin": "*"},
            "cross-origin-resource-sharing-implemented-with-universal-access",
        ),
        ({"Referrer-Policy": "unsafe-url"}, "referrer-policy-unsafe"),
        ({"Strict-Transport-Security": "max-age=600"}, "hsts-implemented-max-age-less-than-six-months"),
        ({}, "x-frame-options-not-implemented"),
        ({}, "x-content-type-options-not-implemented"),
    ],
)
def test_the_rules_catch_what_the_observatory_penalises(headers, expected):
    """The scorer itself: a page without our headers, or with weaker ones, loses points."""
    page = HttpResponse("<p>x</p>", headers=headers)
    modifiers = observatory_modifiers(page, HttpResponse(status=200))
    assert expected in modifiers
    assert modifiers["redirection-missing"] == -20
    assert observatory_score(modifiers) < 100
