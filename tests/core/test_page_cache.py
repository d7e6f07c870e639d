"""Whole pages cached for readers with nothing stored, on the fixture content (module alpha)."""

import re

import pytest
from django.contrib.admin.sites import site as admin_site
from django.http import HttpResponse
from django.test import Client, RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from apps.core import page_cache
from apps.core.models import ContentVersion
from apps.lessons.models import Lesson
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db
LESSON = "/en/modules/alpha/first-steps/"
TOKENS = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


def tokens(response) -> set[str]:
    return {a or b for a, b in TOKENS.findall(response.content.decode())}


def retitle(title: str) -> None:
    Lesson.objects.filter(slug="first-steps").update(title_en=title)


def test_a_second_anonymous_reader_gets_the_page_from_the_cache(django_assert_max_num_queries):
    first = Client().get(LESSON)
    retitle("Changed behind the cache's back")
    with django_assert_max_num_queries(0):
        second = Client().get(LESSON)
    assert second.status_code == 200
    strip = lambda r: TOKENS.sub("", r.content.decode())  # noqa: E731
    assert strip(second) == strip(first)


def test_each_cached_page_carries_a_fresh_working_csrf_token():
    Client().get(LESSON)
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(LESSON)
    (token,) = tokens(page)
    assert page_cache.TOKEN_PLACE not in page.content.decode()
    assert len(token) == 64 and token != next(iter(tokens(Client().get(LESSON))))
    assert browser.post(LESSON, {"csrfmiddlewaretoken": token}).status_code == 302


def test_the_cached_page_keeps_the_headers_of_the_page(client):
    first, second = client.get("/ar/modules/alpha/"), Client().get("/ar/modules/alpha/")
    for header in ("Content-Type", "Content-Language", "Content-Security-Policy", "X-Frame-Options"):
        assert second[header] == first[header], header
    assert 'lang="ar"' in second.content.decode()


def version() -> int:
    return ContentVersion.objects.values_list("number", flat=True).first() or 0


def test_a_content_change_retires_every_cached_page(django_capture_on_commit_callbacks):
    before = version()
    Client().get(LESSON)
    retitle("A new title")
    with django_capture_on_commit_callbacks(execute=True):
        page_cache.content_changed()
    assert "A new title" in Client().get(LESSON).content.decode()
    assert version() == before + 1


def test_another_instances_change_is_seen_within_a_second(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: now[0])
    Client().get(LESSON)
    retitle("Edited on another instance")
    ContentVersion.objects.update_or_create(pk=1, defaults={"number": 7})  # what the other one did
    assert "Edited on another instance" not in Client().get(LESSON).content.decode()
    now[0] += page_cache.VERSION_TTL + 0.01
    assert "Edited on another instance" in Client().get(LESSON).content.decode()


def test_loading_content_and_editing_it_in_the_admin_count_as_changes(django_capture_on_commit_callbacks):
    from apps.lessons.admin import LessonAdmin

    before = version()
    lesson = Lesson.objects.get(slug="first-steps")
    request = RequestFactory().post("/admin/")
    with django_capture_on_commit_callbacks(execute=True):
        LessonAdmin(Lesson, admin_site).save_model(request, lesson, form=None, change=True)
    assert version() == before + 1
    with django_capture_on_commit_callbacks(execute=True):
        LessonAdmin(Lesson, admin_site).delete_queryset(request, Lesson.objects.none())
    assert version() == before + 2


@pytest.mark.parametrize(
    "who", ["signed in", "anonymous reader with progress", "message waiting", "query", "htmx"]
)
def test_readers_with_something_of_their_own_get_their_own_page(who):
    Client().get(LESSON)
    # What the page cache would serve to a reader with nothing stored.
    key = f"page:{page_cache.content_version()}:en:testserver:{LESSON}"
    assert page_cache.cache.get(key) is not None
    page_cache.cache.set(key, page_cache.StoredPage.of(HttpResponse("From the cache")))
    assert Client().get(LESSON).content == b"From the cache"
    client, extra, url = Client(), {}, LESSON
    if who == "signed in":
        client.force_login(StudentFactory())
    elif who == "anonymous reader with progress":
        client.post("/en/modules/alpha/second-look/")  # marks a lesson read: this browser has a reader now
    elif who == "message waiting":
        client.cookies["messages"] = "anything"
    elif who == "query":
        url += "?from=search"
    else:
        extra = {"HTTP_HX_REQUEST": "true"}
    body = client.get(url, **extra).content.decode()
    assert "From the cache" not in body
    assert "<html" not in body if extra else "Alpha lesson 1: first-steps" in body


def test_refusals_and_redirects_are_never_cached():
    assert Client().get("/en/modules/alpha/no-such-lesson/").status_code == 404
    assert not page_cache.cache.get("page:0:en:testserver:/en/modules/alpha/no-such-lesson/")


@pytest.mark.parametrize(
    "url",
    [
        "/en/",
        "/en/modules/",
        "/en/modules/alpha/",
        LESSON,
        "/en/glossary/",
        "/en/privacy/",
        "/en/checklist/",
        "/en/checklist/photobook/",
        "/en/modules/alpha/quiz/",
    ],
)
def test_every_page_the_same_for_all_anonymous_readers_is_cached(url, django_assert_max_num_queries):
    Client().get(url)
    with django_assert_max_num_queries(0):
        assert Client().get(url).status_code == 200


def test_loading_the_content_files_counts_as_a_change():
    from apps.pages.content import content_sync_all
    from tests.helpers import FIXTURE_CONTENT_DIRS

    before = version()
    content_sync_all(**FIXTURE_CONTENT_DIRS)
    assert version() == before + 1


def test_what_is_computed_from_the_content_is_kept_until_the_content_changes(
    django_capture_on_commit_callbacks,
):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert page_cache.content_memo(("answer",), compute) == 1
    assert page_cache.content_memo(("answer",), compute) == 1  # kept
    assert page_cache.content_memo(("other",), compute) == 2  # each key its own
    with django_capture_on_commit_callbacks(execute=True):
        page_cache.content_changed()
    assert page_cache.content_memo(("answer",), compute) == 3  # computed again from the new content


def test_a_fragment_is_rendered_once_per_language_and_content_version(django_capture_on_commit_callbacks):
    from django.utils import translation

    renders = []
    render = lambda: renders.append(1) or f"<p>{translation.get_language()}</p>"  # noqa: E731
    assert page_cache.cached_fragment("x", render) == "<p>en</p>"
    assert page_cache.cached_fragment("x", render) == "<p>en</p>" and len(renders) == 1
    with translation.override("ar"):
        assert page_cache.cached_fragment("x", render) == "<p>ar</p>"
    with django_capture_on_commit_callbacks(execute=True):
        page_cache.content_changed()
    page_cache.cached_fragment("x", render)
    assert len(renders) == 3


def test_a_write_to_a_cached_page_is_never_answered_from_the_cache():
    from apps.lessons.models import LessonRead

    Client().get(LESSON)
    response = Client().post(LESSON)
    assert response.status_code == 302 and LessonRead.objects.count() == 1


def test_a_cached_page_is_sent_compressed_with_its_fresh_token_inside():
    import gzip

    Client().get(LESSON)
    browser = Client(enforce_csrf_checks=True)
    response = browser.get(LESSON, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response["Content-Encoding"] == "gzip" and "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    (token,) = {a or b for a, b in TOKENS.findall(html)}
    assert page_cache.TOKEN_PLACE not in html and 'lang="en"' in html
    assert browser.post(LESSON, {"csrfmiddlewaretoken": token}).status_code == 302
    plain = Client().get(LESSON)
    assert "Content-Encoding" not in plain and TOKENS.sub("", plain.content.decode()) == TOKENS.sub("", html)


def test_compressed_copies_differ_in_length_against_breach():
    Client().get(LESSON)
    sizes = {len(Client().get(LESSON, HTTP_ACCEPT_ENCODING="gzip").content) for _ in range(10)}
    assert len(sizes) > 1


@given(
    parts=st.lists(
        st.text(st.characters(exclude_characters='"\x00', exclude_categories=("Cs",)), max_size=300),
        min_size=1,
        max_size=6,
    ),
    token=st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=64, max_size=64
    ),
    hole_text=st.text(st.characters(exclude_categories=("Cs",)), max_size=200),
)
def test_any_page_with_any_token_and_holes_decompresses_to_the_page_with_them_filled(parts, token, hole_text):
    import gzip

    from django.http import HttpResponse

    # Between parts, by turns: a CSRF token, then the hole "read_status".
    places = ['"X-CSRFToken": "{}"'.format("a" * 64), page_cache.hole("read_status")]
    fills = [f'"X-CSRFToken": "{token}"', hole_text]
    stored = page_cache.StoredPage.of(
        HttpResponse("".join(part + places[i % 2] for i, part in enumerate(parts[:-1])) + parts[-1])
    )
    expected = ("".join(part + fills[i % 2] for i, part in enumerate(parts[:-1])) + parts[-1]).encode()
    filled = {"csrf-token": token.encode(), "hole:read_status": hole_text.encode()}
    assert gzip.decompress(stored.gzipped(filled)) == expected == stored.plain(filled)
