"""The catalogue, module and lesson pages, and marking a lesson as read, over HTTP."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import Reader
from apps.accounts.readers import SESSION_KEY
from apps.core.page_cache import content_changed
from apps.lessons.models import Lesson, LessonRead, Module
from tests.factories import LessonFactory, ModuleFactory, StudentFactory, TeacherFactory
from tests.helpers import assert_csp_clean, module_cards, reader_of

pytestmark = pytest.mark.django_db


def _lesson(slug: str) -> Lesson:
    return Lesson.objects.select_related("module").get(slug=slug)


def _read(reader: Reader, *slugs: str) -> None:
    for slug in slugs:
        LessonRead.objects.create(reader=reader, lesson=_lesson(slug))


# The catalogue


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_catalogue_lists_modules_with_lessons_and_minutes(client, lang):
    response = client.get(f"/{lang}/modules/")
    assert response.status_code == 200
    body = response.content.decode()
    for module in Module.objects.all():
        assert getattr(module, f"title_{lang}") in body
    assert list(module_cards(body)) == ["alpha", "beta"]
    assert_csp_clean(body)


def test_reading_times_do_not_depend_on_how_much_anyone_has_read(client):
    """The bug of issue #9: a signed-in reader's module times were multiplied by every read on the
    site (a teacher who had read nothing saw 48 minutes instead of 16)."""
    readers = [reader_of(StudentFactory()) for _ in range(3)] + [Reader.objects.create()]
    for reader in readers:
        _read(reader, "first-steps", "second-look", "third-way", "settings", "habits")
    reader_of(student := StudentFactory(username="reads-some"))
    _read(reader_of(student), "first-steps", "third-way")
    teacher = TeacherFactory(username="reads-nothing")

    signed_in = {}
    for user in (student, teacher):
        signed_in[user] = Client()
        signed_in[user].force_login(user)
    expected = [
        (client, "3 lessons · about 6 min", "2 lessons · about 3 min"),
        (
            signed_in[student],
            "about 6 min 2 of 3 lessons read [bar 2/3]",
            "about 3 min 0 of 2 lessons read [bar 0/2]",
        ),
        (
            signed_in[teacher],
            "about 6 min 0 of 3 lessons read [bar 0/3]",
            "about 3 min 0 of 2 lessons read [bar 0/2]",
        ),
    ]
    for who, alpha, beta in expected:
        for page in ("/en/modules/", "/en/"):
            cards = module_cards(who.get(page).content.decode())
            assert alpha in cards["alpha"], (page, cards["alpha"])
            assert beta in cards["beta"], (page, cards["beta"])
    arabic = module_cards(signed_in[teacher].get("/ar/modules/").content.decode())
    assert "نحو 6 دقائق" in arabic["alpha"] and "[bar 0/3]" in arabic["alpha"]


def test_anonymous_reader_sees_no_empty_bars(client):
    assert "<progress" not in client.get("/en/modules/").content.decode()


def test_anonymous_reader_who_has_read_sees_progress(client):
    client.post(_lesson("settings").get_absolute_url())
    cards = module_cards(client.get("/en/modules/").content.decode())
    assert "[bar" not in cards["alpha"]
    assert cards["beta"].endswith("1 of 2 lessons read [bar 1/2]")


def test_signed_in_reader_sees_a_bar_even_before_reading(student_client):
    cards = module_cards(student_client.get("/en/modules/").content.decode())
    assert cards["alpha"].endswith("[bar 0/3]") and cards["beta"].endswith("[bar 0/2]")


def _make_modules(count: int) -> None:
    for _ in range(count):
        LessonFactory.create_batch(3, module=ModuleFactory())


# The home page also looks up the student's classes for "due soon" (one query without a class).
@pytest.mark.parametrize(("path", "budget"), [("/en/modules/", 7), ("/en/", 8)])
def test_catalogue_query_count_does_not_grow(
    student_client, student, django_assert_max_num_queries, path, budget
):
    _read(reader_of(student), "first-steps", "habits")
    student_client.get(path)  # the content version is read at most once a second, not per page
    with django_assert_max_num_queries(budget) as small:
        student_client.get(path)
    _make_modules(20)
    for reader in (reader_of(student), Reader.objects.create()):
        LessonRead.objects.bulk_create(
            [LessonRead(reader=reader, lesson=lesson) for lesson in Lesson.objects.all()],
            ignore_conflicts=True,
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = student_client.get(path)
    assert response.content.decode().count('class="card"') == 22


# The module page


def test_module_overview_lists_lessons_in_order_with_this_readers_marks(
    student_client, student, other_student
):
    _read(reader_of(student), "second-look")
    _read(reader_of(other_student), "first-steps", "third-way")
    body = student_client.get("/en/modules/alpha/").content.decode()
    titles = ["Alpha lesson 1: first-steps", "Alpha lesson 2: second-look", "Alpha lesson 3: third-way"]
    positions = [body.index(title) for title in titles]
    assert positions == sorted(positions)
    assert body.count("badge-ok") == 1
    assert re.search(r'class="lesson-item is-read">\s*<a href="/en/modules/alpha/second-look/"', body)
    assert '<progress max="3" value="1"' in body
    assert_csp_clean(body)


def test_module_overview_for_an_anonymous_reader(client):
    client.post(_lesson("third-way").get_absolute_url())
    body = client.get("/en/modules/alpha/").content.decode()
    assert body.count("badge-ok") == 1 and '<progress max="3" value="1"' in body
    assert '<progress max="3" value="0"' in Client().get("/en/modules/alpha/").content.decode()


def test_module_page_links_to_the_quiz_without_querying_quizzes(client):
    body = client.get("/en/modules/beta/").content.decode()
    assert 'href="/en/modules/beta/quiz/"' in body


@pytest.mark.parametrize("path", ["module", "lesson"])
def test_module_and_lesson_page_query_counts_do_not_grow(
    student_client, student, django_assert_max_num_queries, django_capture_on_commit_callbacks, path
):
    module = ModuleFactory()
    lessons = LessonFactory.create_batch(2, module=module)
    with django_capture_on_commit_callbacks(execute=True):
        content_changed()  # as loading content does: the pages read the new version, then the lessons
    reader = reader_of(student)
    LessonRead.objects.create(reader=reader, lesson=lessons[0])
    url = (module if path == "module" else lessons[1]).get_absolute_url()
    # Session, user, module or lesson, reader, content version, the module's lessons, the reads.
    with django_assert_max_num_queries(7) as small:
        assert student_client.get(url).status_code == 200
    more = LessonFactory.create_batch(30, module=module)
    with django_capture_on_commit_callbacks(execute=True):
        content_changed()
    LessonRead.objects.bulk_create([LessonRead(reader=reader, lesson=lesson) for lesson in more[::2]])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = student_client.get(url)
    assert f'<progress max="32" value="{1 + len(more[::2])}"' in response.content.decode()


# The lesson page


def test_lesson_page_has_minutes_breadcrumbs_and_neighbours(client):
    first, second, third = (_lesson(slug) for slug in ("first-steps", "second-look", "third-way"))
    body = client.get(second.get_absolute_url()).content.decode()
    assert 'aria-label="Breadcrumbs"' in body
    assert f'href="{first.get_absolute_url()}" rel="prev"' in body
    assert f'href="{third.get_absolute_url()}" rel="next"' in body
    assert "2 min read" in body and "Lesson 2 of 3" in body
    assert '<h1 id="lesson-title">Alpha lesson 2: second-look</h1>' in body
    assert_csp_clean(body)


def test_first_lesson_has_no_previous_and_last_lesson_points_to_the_quiz(client):
    body = client.get(_lesson("first-steps").get_absolute_url()).content.decode()
    assert 'rel="prev"' not in body
    body = client.get(_lesson("third-way").get_absolute_url()).content.decode()
    assert 'rel="next"' not in body
    assert 'href="/en/modules/alpha/quiz/"' in body


def test_lesson_page_in_arabic(client):
    body = client.get("/ar/modules/alpha/first-steps/").content.decode()
    assert Lesson.objects.get(slug="first-steps").title_ar in body
    assert 'lang="ar" dir="rtl"' in body


@pytest.mark.parametrize(
    "url",
    ["/en/modules/nope/", "/en/modules/alpha/nope/", "/ar/modules/nope/x/", "/en/modules/beta/first-steps/"],
)
def test_unknown_slugs_are_404_in_the_current_language(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert f'lang="{url[1:3]}"' in response.content.decode()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_lesson_page_refuses_other_methods(client, method):
    assert getattr(client, method)(_lesson("first-steps").get_absolute_url()).status_code == 405
    assert client.post("/en/modules/").status_code == 405
    assert client.post("/en/modules/alpha/").status_code == 405
    assert not Reader.objects.exists()


# Marking a lesson as read


def test_mark_read_without_javascript_redirects_back_and_stores_the_mark_for_the_account(
    student_client, student
):
    lesson = _lesson("second-look")
    response = student_client.post(lesson.get_absolute_url())
    assert response.status_code == 302
    assert response.url == lesson.get_absolute_url() + "#read-status"
    assert list(LessonRead.objects.values_list("reader__user", "lesson")) == [(student.pk, lesson.pk)]
    body = student_client.get(response.url).content.decode()
    assert "You have read this lesson." in body and "Mark as read" not in body


def test_mark_read_without_javascript_for_an_anonymous_reader(client):
    lesson = _lesson("habits")
    response = client.post(lesson.get_absolute_url())
    assert response.status_code == 302 and response.url == lesson.get_absolute_url() + "#read-status"
    reader = Reader.objects.get()
    assert reader.user is None and client.session[SESSION_KEY] == reader.pk
    assert list(LessonRead.objects.values_list("reader", "lesson")) == [(reader.pk, lesson.pk)]
    assert "You have read this lesson." in client.get(lesson.get_absolute_url()).content.decode()


@pytest.mark.parametrize("who", ["anonymous", "signed in"])
def test_mark_read_with_htmx_returns_the_fragment(client, student, who):
    if who == "signed in":
        client.force_login(student)
    _read(reader_of(StudentFactory()), "first-steps", "second-look", "third-way")
    lesson = _lesson("second-look")
    response = client.post(lesson.get_absolute_url(), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert body.lstrip().startswith('<section id="read-status"')
    assert "You have read this lesson." in body and "Mark as read" not in body
    assert '<progress max="3" value="1"' in body
    assert "Marked as read. 1 of 3 lessons read in “Alpha: how traces add up”." in body
    assert response["Vary"].count("HX-Request") == 1
    reader = Reader.objects.get(user=student) if who == "signed in" else Reader.objects.get(user__isnull=True)
    assert list(LessonRead.objects.filter(reader=reader).values_list("lesson__slug", flat=True)) == [
        "second-look"
    ]


def test_lesson_page_requested_by_htmx_is_the_fragment_but_a_history_restore_is_the_page(client):
    url = _lesson("first-steps").get_absolute_url()
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and 'id="read-status"' in fragment and "Mark as read" in fragment
    restore = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in restore.content.decode()
    assert not Reader.objects.exists()


def test_marking_read_again_keeps_one_mark(client):
    lesson = _lesson("first-steps")
    client.post(lesson.get_absolute_url())
    response = client.post(lesson.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert '<progress max="3" value="1"' in response.content.decode()
    assert LessonRead.objects.count() == 1 and Reader.objects.count() == 1


def test_marking_read_again_takes_no_write_lock_and_writes_nothing(student_client):
    url = _lesson("first-steps").get_absolute_url()
    student_client.post(url)
    first_read = LessonRead.objects.get()
    with CaptureQueriesContext(connection) as captured:
        response = student_client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "You have read this lesson." in response.content.decode()
    statements = [query["sql"].split()[0].upper() for query in captured.captured_queries]
    assert not {"BEGIN", "INSERT", "UPDATE", "DELETE", "SAVEPOINT"} & set(statements), statements
    assert not any("FOR UPDATE" in query["sql"] for query in captured.captured_queries)
    assert LessonRead.objects.get() == first_read and LessonRead.objects.get().read_at == first_read.read_at


def test_mark_read_of_unknown_lesson_is_404_and_stores_nothing(client, student_client):
    for who in (client, student_client):
        assert who.post("/en/modules/alpha/no-such-lesson/").status_code == 404
        assert who.post("/en/modules/nope/first-steps/", HTTP_HX_REQUEST="true").status_code == 404
    assert not LessonRead.objects.exists()
    assert not Reader.objects.exists()


def test_the_next_lesson_button_is_primary_once_read(client):
    lesson = _lesson("first-steps")
    before = client.get(lesson.get_absolute_url()).content.decode()
    assert re.search(r'class="lesson-nav-next button button-secondary"[^>]*rel="next"', before)
    after = client.post(lesson.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert re.search(r'class="lesson-nav-next button"[^>]*rel="next"', after)
