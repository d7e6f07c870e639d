"""The site's header and footer: kept rendered per language, role and section, never per reader."""

import re

import pytest
from django.test import Client
from django.urls import ResolverMatch

from apps.core.context_processors import _nav_section
from tests.factories import StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db
NAV = re.compile(r'<nav class="site-nav".*?</nav>', re.S)


def nav(response) -> str:
    return NAV.search(response.content.decode())[0]


def current(response) -> list[str]:
    return re.findall(r'<a href="([^"]+)" aria-current="page">', nav(response))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_current_section_follows_the_page_after_the_header_was_kept():
    client = Client()
    assert current(client.get("/en/modules/")) == ["/en/modules/"]
    assert current(client.get("/en/checklist/")) == ["/en/checklist/"]
    assert current(client.get("/en/glossary/")) == []
    assert current(client.get("/en/modules/")) == ["/en/modules/"]


def test_each_role_gets_its_own_links_on_the_same_page():
    page = "/en/modules/"
    assert "/en/classes/" not in nav(Client().get(page))
    assert "/en/dashboard/" not in nav(Client().get(page))
    teacher = nav(signed_in(TeacherFactory()).get(page))
    assert "/en/classes/" in teacher and "/en/dashboard/" not in teacher
    student = nav(signed_in(StudentFactory()).get(page))
    assert "/en/dashboard/" in student and "/en/classes/" not in student
    assert "/en/dashboard/" not in nav(Client().get(page))


def test_each_reader_sees_their_own_name_and_a_log_out_button():
    for name in ("header-reader-one", "header-reader-two"):
        html = signed_in(StudentFactory(username=name)).get("/en/modules/").content.decode()
        assert f'<a href="/en/accounts/">{name}</a>' in html
        assert "header-reader-one" not in html or name == "header-reader-one"


def test_the_header_and_footer_are_in_the_page_language_after_the_other_was_kept():
    Client().get("/en/modules/")
    arabic = Client().get("/ar/modules/").content.decode()
    assert 'href="/ar/checklist/"' in arabic and 'href="/en/checklist/"' not in arabic
    assert 'href="/ar/glossary/"' in arabic
    english = Client().get("/en/glossary/").content.decode()
    assert 'href="/en/privacy/"' in english and 'href="/ar/privacy/"' not in english


def test_a_teachers_classes_and_a_students_dashboard_are_marked_current():
    teacher = signed_in(TeacherFactory())
    assert current(teacher.get("/en/classes/")) == ["/en/classes/"]
    assert current(teacher.get("/en/modules/")) == ["/en/modules/"]
    student = signed_in(StudentFactory())
    assert current(student.get("/en/dashboard/")) == ["/en/dashboard/"]
    assert current(student.get("/en/modules/")) == ["/en/modules/"]


@pytest.mark.parametrize(
    "app,view,section",
    [
        ("classrooms", "class_list", "classes"),
        ("classrooms", "class_detail", "classes"),
        ("classrooms", "dashboard", "dashboard"),
        ("classrooms", "join", ""),
        ("lessons", "lesson_detail", "modules"),
        ("quizzes", "take", "modules"),
        ("checklist", "group", "checklist"),
        ("pages", "home", ""),
        ("", "glossary", ""),
    ],
)
def test_each_view_belongs_to_its_header_section(rf, app, view, section):
    request = rf.get("/")
    request.resolver_match = ResolverMatch(
        lambda r: None, (), {}, url_name=view, app_names=[app] if app else []
    )
    assert _nav_section(request) == section


def test_a_page_no_view_answered_belongs_to_no_section(rf):
    assert _nav_section(rf.get("/")) == ""
