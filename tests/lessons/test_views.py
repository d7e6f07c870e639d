import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from apps.lessons.models import Lesson, LessonRead, Module
from tests.core.test_views import assert_csp_clean
from tests.factories import LessonFactory, ModuleFactory, StudentFactory

pytestmark = pytest.mark.django_db


def first_lesson() -> Lesson:
    return Lesson.objects.select_related("module").order_by("module__position", "position").first()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_catalogue_lists_modules_with_lessons_and_minutes(client, lang):
    response = client.get(f"/{lang}/modules/")
    assert response.status_code == 200
    body = response.content.decode()
    for module in Module.objects.all():
        assert getattr(module, f"title_{lang}") in body
    assert_csp_clean(body)


def test_catalogue_shows_progress_bars_for_a_reader(student_client, student):
    lesson = first_lesson()
    LessonRead.objects.create(user=student, lesson=lesson)
    body = student_client.get("/en/modules/").content.decode()
    count = lesson.module.lessons.count()
    assert f'<progress max="{count}" value="1"' in body


def test_module_overview_lists_lessons_in_order_with_read_marks(student_client, student):
    module = Module.objects.get(slug="profiling")
    lessons = list(module.lessons.order_by("position"))
    LessonRead.objects.create(user=student, lesson=lessons[1])
    body = student_client.get("/en/modules/profiling/").content.decode()
    positions = [body.index(lesson.title_en) for lesson in lessons]
    assert positions == sorted(positions)
    assert body.count("badge-ok") == 1


def test_lesson_page_has_minutes_breadcrumbs_and_neighbours(client):
    module = Module.objects.get(slug="profiling")
    lessons = list(module.lessons.order_by("position"))
    body = client.get(lessons[1].get_absolute_url()).content.decode()
    assert 'aria-label="Breadcrumbs"' in body
    assert f'href="{lessons[0].get_absolute_url()}" rel="prev"' in body
    assert f'href="{lessons[2].get_absolute_url()}" rel="next"' in body
    assert f"{lessons[1].minutes_en} min read" in body
    assert_csp_clean(body)


def test_last_lesson_points_to_the_quiz(client):
    last = Module.objects.get(slug="profiling").lessons.order_by("-position").first()
    body = client.get(last.get_absolute_url()).content.decode()
    assert 'href="/en/modules/profiling/quiz/"' in body


@pytest.mark.parametrize(
    "url",
    ["/en/modules/nope/", "/en/modules/profiling/nope/", "/ar/modules/nope/x/"],
)
def test_unknown_slugs_are_404_in_the_current_language(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert f'lang="{url[1:3]}"' in response.content.decode()


def test_mark_read_without_javascript_redirects_back(student_client, student):
    lesson = first_lesson()
    response = student_client.post(lesson.get_absolute_url())
    assert response.status_code == 302
    assert response.url == lesson.get_absolute_url() + "#read-status"
    assert LessonRead.objects.filter(user=student, lesson=lesson).count() == 1


def test_mark_read_with_htmx_returns_the_fragment(student_client, student):
    lesson = first_lesson()
    response = student_client.post(lesson.get_absolute_url(), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="read-status"' in body and 'aria-live="polite"' in body
    assert 'value="1"' in body
    assert "You have read this lesson." in body
    assert response["Vary"].count("HX-Request") == 1


def test_mark_read_of_unknown_lesson_is_404_and_stores_nothing(student_client):
    response = student_client.post("/en/modules/profiling/no-such-lesson/")
    assert response.status_code == 404
    assert not LessonRead.objects.exists()


def test_anonymous_read_marks_merge_at_sign_up():
    client = Client()
    lesson = first_lesson()
    client.post(lesson.get_absolute_url())
    assert (
        f'<progress max="{lesson.module.lessons.count()}" value="1"'
        in client.get("/en/modules/").content.decode()
    )
    client.post(
        "/en/accounts/signup/",
        {
            "username": "newbie",
            "role": "student",
            "password1": "a-strong-passphrase-42",
            "password2": "a-strong-passphrase-42",
        },
    )
    assert LessonRead.objects.filter(user__username="newbie", lesson=lesson).exists()


def test_anonymous_read_marks_merge_at_log_in(password):
    user = StudentFactory(username="returning")
    client = Client()
    lesson = first_lesson()
    client.post(lesson.get_absolute_url())
    client.post("/en/accounts/login/", {"username": "returning", "password": password})
    assert LessonRead.objects.filter(user=user, lesson=lesson).exists()


def test_home_offers_continue_where_you_left_off(student_client, student):
    lessons = list(Module.objects.get(slug="profiling").lessons.order_by("position"))
    LessonRead.objects.create(user=student, lesson=lessons[0])
    body = student_client.get("/en/").content.decode()
    assert f'href="{lessons[1].get_absolute_url()}"' in body
    assert "Continue:" in body


def _make_modules(count: int) -> None:
    for _ in range(count):
        module = ModuleFactory()
        LessonFactory.create_batch(3, module=module)


@pytest.mark.parametrize("path", ["/en/modules/", "/en/"])
def test_catalogue_query_count_does_not_grow(student_client, student, django_assert_max_num_queries, path):
    LessonRead.objects.create(user=student, lesson=first_lesson())
    with django_assert_max_num_queries(6) as small:
        student_client.get(path)
    _make_modules(54)
    assert Module.objects.count() == 60
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = student_client.get(path)
    assert response.content.decode().count('class="card"') == 60


def test_module_overview_query_count_does_not_grow(student_client, django_assert_max_num_queries):
    module = ModuleFactory()
    LessonFactory.create_batch(2, module=module)
    with django_assert_max_num_queries(6) as small:
        student_client.get(module.get_absolute_url())
    LessonFactory.create_batch(40, module=module)
    with django_assert_max_num_queries(len(small.captured_queries)):
        student_client.get(module.get_absolute_url())


def test_sitemap_lists_every_page_in_both_languages(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locations = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    for lesson in Lesson.objects.select_related("module"):
        for lang in ("en", "ar"):
            assert any(
                loc.endswith(f"/{lang}/modules/{lesson.module.slug}/{lesson.slug}/") for loc in locations
            )
    first = root.find("s:url", ns)
    assert {link.get("hreflang") for link in first.findall("x:link", ns)} >= {"en", "ar"}


def test_signed_in_reader_sees_a_bar_even_before_reading(student_client):
    body = student_client.get("/en/modules/").content.decode()
    assert body.count("<progress") == 6 and 'value="0"' in body


def test_anonymous_reader_sees_no_empty_bars(client):
    assert "<progress" not in client.get("/en/modules/").content.decode()
