"""Pages kept with holes: a signed-in reader's lesson is the same for every reader of one role except for
its reading status, the reader's name and the CSRF tokens (fixture content, module alpha)."""

import gzip
import re

import pytest
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, rotate_token
from django.test import Client

from apps.core import page_cache
from apps.lessons.models import Lesson
from tests.factories import StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db
LESSON = "/en/modules/alpha/first-steps/"
TOKENS = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def without_tokens(html: str) -> str:
    return TOKENS.sub("", html)


def rendered_whole(client: Client, url: str = LESSON) -> str:
    """The page as it is rendered with nothing kept."""
    page_cache.cache.clear()
    return client.get(url).content.decode()


def test_a_second_reader_gets_exactly_their_own_page_from_the_kept_one():
    first = signed_in(StudentFactory(username="reader-who-read"))
    first.post(LESSON)  # marked read: a reading status the second reader does not have
    first_page = first.get(LESSON).content.decode()
    second = signed_in(StudentFactory(username="reader-not-yet"))
    kept = second.get(LESSON).content.decode()
    assert "reader-who-read" in first_page and "You have read this lesson." in first_page
    assert "reader-who-read" not in kept and "You have read this lesson." not in kept
    assert "\x00" not in kept
    assert without_tokens(kept) == without_tokens(rendered_whole(second))


def test_each_role_has_its_own_kept_page():
    signed_in(StudentFactory()).get(LESSON)
    teacher_page = signed_in(TeacherFactory(username="kept-teacher")).get(LESSON).content.decode()
    assert 'href="/en/classes/"' in teacher_page and 'href="/en/dashboard/"' not in teacher_page
    assert "kept-teacher" in teacher_page


def test_the_reading_status_is_the_readers_own_on_every_view():
    reader = signed_in(StudentFactory())
    assert "Mark as read" in reader.get(LESSON).content.decode()
    reader.post(LESSON)
    page = reader.get(LESSON).content.decode()
    assert "You have read this lesson." in page and "Mark as read" not in page


def test_the_mark_read_form_in_a_kept_page_works_with_its_fresh_token():
    signed_in(StudentFactory()).get(LESSON)
    reader = Client(enforce_csrf_checks=True)
    reader.force_login(StudentFactory())
    html = reader.get(LESSON).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    assert reader.post(LESSON, {"csrfmiddlewaretoken": token}).status_code == 302
    assert "You have read this lesson." in reader.get(LESSON).content.decode()


def test_a_content_change_retires_the_kept_pages(django_capture_on_commit_callbacks):
    signed_in(StudentFactory()).get(LESSON)
    Lesson.objects.filter(slug="first-steps").update(title_en="A new title")
    with django_capture_on_commit_callbacks(execute=True):
        page_cache.content_changed()
    assert "A new title" in signed_in(StudentFactory()).get(LESSON).content.decode()


def test_a_kept_page_is_sent_compressed_with_the_readers_parts_inside():
    signed_in(StudentFactory()).get(LESSON)
    reader = signed_in(StudentFactory(username="gzip-reader"))
    response = reader.get(LESSON, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    assert "gzip-reader" in html and "Mark as read" in html and "\x00" not in html


def replace_kept_lesson_page(text: str) -> None:
    lesson = Lesson.objects.get(slug="first-steps")
    key = f"shell:{page_cache.content_version()}:en:testserver:student:lesson-{lesson.pk}"
    assert page_cache.cache.get(key) is not None
    page_cache.cache.set(key, page_cache.StoredPage.of(HttpResponse(text)))


def test_the_kept_page_is_the_one_served():
    signed_in(StudentFactory()).get(LESSON)
    replace_kept_lesson_page("From the kept page")
    assert signed_in(StudentFactory()).get(LESSON).content == b"From the kept page"


@pytest.mark.parametrize("who", ["message waiting", "query"])
def test_a_page_with_a_message_or_a_query_is_rendered_whole(who):
    signed_in(StudentFactory()).get(LESSON)
    replace_kept_lesson_page("From the kept page")
    reader, url = signed_in(StudentFactory()), LESSON
    if who == "message waiting":
        reader.cookies["messages"] = "anything"
    else:
        url += "?from=search"
    body = reader.get(url).content.decode()
    assert "From the kept page" not in body and "Alpha lesson 1: first-steps" in body


def test_a_reader_name_that_looks_like_html_is_escaped_in_a_kept_page():
    signed_in(StudentFactory()).get(LESSON)
    user = StudentFactory()
    type(user).objects.filter(pk=user.pk).update(username="a<b>&c")
    html = signed_in(type(user).objects.get(pk=user.pk)).get(LESSON).content.decode()
    assert ">a&lt;b&gt;&amp;c</a>" in html and "a<b>" not in html


def test_a_reader_with_nothing_stored_still_gets_the_whole_page_kept_for_everyone(
    django_assert_max_num_queries,
):
    signed_in(StudentFactory()).get(LESSON)
    first = Client().get(LESSON)
    with django_assert_max_num_queries(0):
        second = Client().get(LESSON, HTTP_ACCEPT_ENCODING="gzip")
    assert first.status_code == second.status_code == 200
    assert without_tokens(gzip.decompress(second.content).decode()) == without_tokens(first.content.decode())


def test_a_compressed_page_is_never_kept():
    response = HttpResponse(b"\x1f\x8b\x08", headers={"Content-Encoding": "gzip"})
    assert not page_cache._storable(response)
    assert page_cache._storable(HttpResponse(b"plain"))


# The reading status is kept too, per lesson and reading state, with the CSRF token cut out.

SECOND = "/en/modules/alpha/second-look/"


def test_the_reading_status_is_kept_per_state_and_each_reader_sees_their_count():
    ahead = signed_in(StudentFactory())
    ahead.post(LESSON)  # one lesson of the module read
    fresh = signed_in(StudentFactory())
    assert '<progress max="3" value="1"' in ahead.get(SECOND).content.decode()
    assert '<progress max="3" value="0"' in fresh.get(SECOND).content.decode()
    fresh.post(LESSON)
    assert '<progress max="3" value="1"' in fresh.get(SECOND).content.decode()


def test_the_kept_reading_status_has_each_requests_own_working_token():
    readers = [signed_in(StudentFactory()) for _ in range(2)]
    pages = [reader.get(LESSON).content.decode() for reader in readers]
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1] for page in pages]
    assert "\x00" not in pages[0] + pages[1]
    for reader, token in zip(readers, tokens, strict=True):
        assert reader.post(LESSON, {"csrfmiddlewaretoken": token}).status_code == 302


def test_only_the_htmx_answer_announces_the_mark():
    reader = signed_in(StudentFactory())
    reader.get(LESSON)
    answer = reader.post(LESSON, headers={"HX-Request": "true"}).content.decode()
    assert "Marked as read." in answer and "You have read this lesson." in answer
    assert answer.lstrip().startswith('<section id="read-status"')
    for who in (reader, signed_in(StudentFactory())):
        who.post(LESSON)
        assert "Marked as read." not in who.get(LESSON).content.decode()
    assert "Marked as read." in reader.post(LESSON, headers={"HX-Request": "true"}).content.decode()


def test_a_kept_hole_is_rendered_once_per_key_and_content_version(rf, django_capture_on_commit_callbacks):
    rendered = []

    def render():
        rendered.append(1)
        return '<input type="hidden" name="csrfmiddlewaretoken" value="' + "x" * 64 + '">'

    requests = [rf.get("/"), rf.get("/")]
    holes = [page_cache.cached_hole(request, key="k", render=render) for request in requests]
    assert len(rendered) == 1
    for request, html in zip(requests, holes, strict=True):
        token = re.fullmatch(
            r'<input type="hidden" name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})">', html
        )[1]
        assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]  # this request's own
    assert holes[0] != holes[1]
    page_cache.cached_hole(requests[0], key="other", render=render)
    assert len(rendered) == 2
    with django_capture_on_commit_callbacks(execute=True):
        page_cache.content_changed()
    page_cache.cached_hole(requests[0], key="k", render=render)
    assert len(rendered) == 3


def test_a_kept_page_and_its_kept_holes_carry_one_token_masked_once(rf):
    reader = signed_in(StudentFactory())
    reader.get(LESSON)
    page = reader.get(LESSON).content.decode()
    tokens = {a or b for a, b in TOKENS.findall(page)}
    assert len(tokens) == 1 and len(TOKENS.findall(page)) >= 2  # the header's, the mark-read form's
    request = rf.get("/")
    first = page_cache._token(request)
    assert page_cache._token(request) == first
    old_secret = request.META["CSRF_COOKIE"]
    rotate_token(request)  # a log-in changes the secret: the token follows it
    after = page_cache._token(request)
    assert _unmask_cipher_token(first) == old_secret != request.META["CSRF_COOKIE"]
    assert _unmask_cipher_token(after) == request.META["CSRF_COOKIE"]
