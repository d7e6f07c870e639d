"""Every page type weighs at most 100 KB as a browser first receives it, its JavaScript at most 20 KB.

A first visit, with an empty cache: the HTML through the whole middleware stack with the
Accept-Encoding a browser sends, plus every stylesheet, script and icon the page links to, compressed
the way whitenoise serves them in production (gzip at level 9, made by `collectstatic`). The class page
is measured at 200 students with 6 assignments, the largest class the site is built for."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from apps.accounts.models import User
from apps.checklist.models import ChecklistGroup
from apps.classrooms import services as classroom_services
from apps.classrooms.models import Assignment, Membership
from apps.lessons.models import Lesson, Module
from tests.factories import StudentFactory, TeacherFactory
from tests.helpers import PAGE_TYPES

pytestmark = pytest.mark.django_db
PAGE_LIMIT = 100 * 1024
SCRIPT_LIMIT = 20 * 1024
BROWSER_ACCEPT_ENCODING = "gzip, deflate, br, zstd"
ASSETS = re.compile(
    r'<(?:link[^>]*\brel="(?:stylesheet|icon)"[^>]*\bhref|script[^>]*\bsrc)="(/static/[^"]+)"'
)


def served_size(path: str) -> int:
    """A static file's size as whitenoise sends it to a browser that accepts gzip."""
    found = finders.find(path.removeprefix("/static/"))
    assert found, path
    with open(found, "rb") as file:
        return len(gzip.compress(file.read(), compresslevel=9))


def first_visit(client: Client, url: str) -> tuple[int, int]:
    """(all bytes, script bytes) a browser receives for the page and what it links to."""
    response = client.get(url, HTTP_ACCEPT_ENCODING=BROWSER_ACCEPT_ENCODING)
    assert response.status_code == 200, url
    html = (
        gzip.decompress(response.content) if response.get("Content-Encoding") == "gzip" else response.content
    )
    headers = sum(len(name) + len(value) + 4 for name, value in response.items())
    assets = ASSETS.findall(html.decode())
    scripts = sum(served_size(path) for path in assets if path.endswith(".js"))
    return len(response.content) + headers + sum(served_size(path) for path in assets), scripts


@pytest.fixture
def big_class():
    """200 students, 6 assignments: both modules, a lesson of each, the whole checklist and one platform."""
    teacher = TeacherFactory()
    classroom = classroom_services.classroom_create(teacher=teacher, name="Year 9, all of it")
    alpha, beta = Module.objects.get(slug="alpha"), Module.objects.get(slug="beta")
    photobook = ChecklistGroup.objects.get(slug="photobook")
    for module in (alpha, beta):
        classroom_services.assignment_set(classroom=classroom, module=module, due_date=None)
        lesson = Lesson.objects.filter(module=module).order_by("position").first()
        classroom_services.assignment_set(
            classroom=classroom, kind=Assignment.Kind.LESSON, lesson=lesson, due_date=None
        )
    classroom_services.assignment_set(classroom=classroom, kind=Assignment.Kind.CHECKLIST, due_date=None)
    classroom_services.assignment_set(
        classroom=classroom, kind=Assignment.Kind.CHECKLIST, checklist_group=photobook, due_date=None
    )
    students = User.objects.bulk_create(
        User(username=f"pupil-{n:03}", display_name=f"Pupil {n:03} K", role=User.Role.STUDENT)
        for n in range(200)
    )
    Membership.objects.bulk_create(Membership(classroom=classroom, student=s) for s in students)
    assert classroom.assignments.count() == 6
    return teacher, classroom, students[0]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_page_type_is_at_most_100_kb_on_a_first_visit(big_class, lang):
    teacher, classroom, student = big_class
    member = StudentFactory()
    Membership.objects.create(classroom=classroom, student=member)
    clients = {"anonymous": Client(), "student": Client(), "teacher": Client()}
    clients["student"].force_login(member)
    clients["teacher"].force_login(teacher)
    weights = {}
    for role, urls in PAGE_TYPES.items():
        for template in urls:
            url = template.format(lang=lang, classroom=classroom.pk, student=student.pk)
            total, scripts = first_visit(clients[role], url)
            weights[url] = total
            assert total <= PAGE_LIMIT, (url, total)
            assert scripts <= SCRIPT_LIMIT, (url, scripts)
    assert weights[f"/{lang}/classes/{classroom.pk}/"] > 20 * 1024  # the 200 rows are there


def test_pages_are_sent_compressed_to_browsers_that_accept_it(client):
    response = client.get("/en/modules/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    plain = client.get("/en/modules/")
    assert "Content-Encoding" not in plain
    assert len(response.content) < len(plain.content) / 2


def test_compressed_pages_differ_in_length_against_breach(client):
    """Django's gzip adds a random-length filename to each response; the CSRF token is masked per response."""
    sizes = {len(client.get("/en/accounts/login/", HTTP_ACCEPT_ENCODING="gzip").content) for _ in range(8)}
    assert len(sizes) > 1
