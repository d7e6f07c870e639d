"""Each request that once answered 500 now answers 4xx in the page's language and changes nothing
(issue #12, item 3). The class of bug is fuzzed in tests/core/test_fuzz_requests.py."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from apps.accounts.models import User
from apps.checklist.models import UsedPlatform
from apps.classrooms.models import Membership
from apps.quizzes.models import Attempt

pytestmark = pytest.mark.django_db
ARABIC = re.compile("[\u0621-\u064a]")


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_host_we_do_not_serve_answers_400_in_the_pages_language(method, lang):
    response = getattr(Client(), method)(f"/{lang}/accounts/login/", HTTP_HOST="evil.example")
    body = response.content.decode()
    assert response.status_code == 400
    assert f'lang="{lang}"' in body
    assert bool(ARABIC.search(body)) == (lang == "ar")
    assert "evil.example" not in body


def post_raw(client: Client, url: str, body: bytes, content_type: str):
    return client.generic("POST", url, body, content_type=content_type)


@pytest.mark.parametrize("charset", ["utf-16", "UTF-16LE", "latin-1", "shift_jis", "nonsense", "utf8"])
@pytest.mark.parametrize(
    "form_type", ["application/x-www-form-urlencoded", "multipart/form-data; boundary=b"]
)
def test_a_form_in_another_charset_is_refused_with_400(student_client, charset, form_type):
    body = "platforms=instagram".encode("utf-16") if charset == "utf-16" else b"platforms=instagram"
    response = post_raw(student_client, "/ar/checklist/", body, f"{form_type}; charset={charset}")
    assert response.status_code == 400
    assert 'lang="ar"' in response.content.decode()
    assert not UsedPlatform.objects.exists()


@pytest.mark.parametrize("content_type", ["charset=utf-8", "charset=UTF-8", ""])
def test_utf8_forms_are_read(client, content_type):
    content_type = f"application/x-www-form-urlencoded; {content_type}".strip("; ")
    response = post_raw(client, "/en/accounts/login/", b"username=x&password=y", content_type)
    assert response.status_code == 422  # read, and refused as a wrong password


def test_the_english_message_names_the_charset():
    response = post_raw(
        Client(), "/en/accounts/login/", b"x", "application/x-www-form-urlencoded; charset=utf-16"
    )
    assert "Forms must be sent as UTF-8." in response.content.decode()


def test_a_nul_in_the_session_cookie_starts_a_fresh_session(student_client):
    student_client.cookies["sessionid"] = "a" * 20 + "\x00" + "b" * 11  # as long as a real key
    response = student_client.get("/en/")
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_a_nul_in_the_language_cookie_is_ignored(client):
    client.cookies["django_language"] = "ar\x00"
    assert client.get("/en/").status_code == 200


def test_a_nul_in_the_csrf_cookie_is_a_csrf_refusal_not_an_error():
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 31 + "\x00"
    response = client.post(
        "/ar/accounts/login/", {"username": "x", "password": "y", "csrfmiddlewaretoken": "a" * 32}
    )
    assert response.status_code == 403
    assert 'lang="ar"' in response.content.decode()


@pytest.mark.parametrize("where", ["path", "query", "field", "key"])
def test_a_nul_anywhere_in_a_request_is_400_with_the_reason(student_client, where):
    url, data = "/en/checklist/", {"platforms": "instagram"}
    if where == "path":
        url = "/en/checklist/inst\x00agram/"
    elif where == "query":
        url += "?next=%00"
    elif where == "field":
        data = {"platforms": "insta\x00gram"}
    else:
        data = {"plat\x00forms": "instagram"}
    response = student_client.post(url, data)
    assert response.status_code == 400
    assert "not allowed" in response.content.decode()
    assert not UsedPlatform.objects.exists()


@pytest.mark.parametrize("big", [2**63, 2**64, 10**30])
def test_ids_beyond_the_databases_range_are_not_found(teacher_client, big):
    assert teacher_client.get(f"/en/classes/{big}/").status_code == 404
    assert teacher_client.post(f"/en/classes/{big}/students/1/remove/").status_code == 404
    assert teacher_client.post(f"/en/dashboard/classes/{big}/leave/").status_code == 404
    assert teacher_client.post(f"/en/modules/alpha/quiz/{big}/", {"question": "q01"}).status_code == 404
    assert not Membership.objects.exists() and not Attempt.objects.exists()


def test_the_largest_id_the_database_holds_is_looked_up_and_not_found(teacher_client):
    assert teacher_client.get(f"/en/classes/{2**63 - 1}/").status_code == 404


@pytest.mark.parametrize(
    "path", ["//evil.example/en/", "//evil.example/", "/\\evil.example/", "//evil.example/ar/modules/"]
)
def test_a_path_that_reads_as_another_site_keeps_the_language_links_local(client, path):
    body = client.get(path, follow=True).content.decode()
    links = re.findall(r'hreflang="\w+"[^>]*href="([^"]*)"|href="([^"]*)"[^>]*hreflang="\w+"', body)
    assert links
    for link in (a or b for a, b in links):
        assert urlsplit(link).netloc in ("", "testserver") and not re.match(r"[/\\]{2}", urlsplit(link).path)


def test_refused_requests_leave_the_accounts_alone(client):
    before = User.objects.count()
    client.post("/en/accounts/signup/", {"username": "a\x00b", "password1": "x", "password2": "x"})
    post_raw(
        client,
        "/en/accounts/signup/",
        "username=ab".encode("utf-16"),
        "application/x-www-form-urlencoded; charset=utf-16",
    )
    assert User.objects.count() == before
