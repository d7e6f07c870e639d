"""A class for a whole school year: co-teachers, rename, archive and restore, delete, the class log
(issue #11, item 4), and who may reach each teacher URL."""

import pytest

from apps.classrooms import services
from apps.classrooms.models import Assignment, ClassEvent, Classroom, Membership
from tests.factories import StudentFactory, TeacherFactory
from tests.helpers import join_class, run_concurrently

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
RACE = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Every URL a teacher of the class may use, with a request that would change something.
TEACHER_URLS = [
    ("get", "/en/classes/{id}/", None),
    ("get", "/en/classes/{id}/export.csv", None),
    ("get", "/en/classes/{id}/summary/", None),
    ("get", "/en/classes/{id}/delete/", None),
    ("post", "/en/classes/{id}/assignments/", {"work": "module-{beta}", "due_date": "2026-12-01"}),
    ("post", "/en/classes/{id}/assignments/{assignment}/delete/", {}),
    ("post", "/en/classes/{id}/code/", {}),
    ("post", "/en/classes/{id}/students/{member}/remove/", {}),
    ("post", "/en/classes/{id}/rename/", {"name": "Taken over"}),
    ("post", "/en/classes/{id}/archive/", {"archived": "yes"}),
    ("post", "/en/classes/{id}/delete/", {"confirm_name": "Year 9 B"}),
    ("post", "/en/classes/{id}/co-teachers/", {"username": "intruder"}),
    ("post", "/en/classes/{id}/co-teachers/{co}/remove/", {}),
]


@pytest.fixture
def co_teacher(classroom, teacher):
    co_teacher = TeacherFactory(username="mr-nasser")
    services.co_teacher_add(classroom=classroom, actor=teacher, username="mr-nasser")
    return co_teacher


@pytest.fixture
def people(teacher, member, co_teacher):
    TeacherFactory(username="intruder")
    return {
        "anonymous": None,
        "outsider": StudentFactory(),
        "member": member,
        "other_teacher": TeacherFactory(),
        "co_teacher": co_teacher,
        "owner": teacher,
    }


def _request(client, method, url, data, *, classroom, member, co_teacher, beta):
    values = {
        "id": classroom.pk,
        "assignment": classroom.assignments.get().pk,
        "member": member.pk,
        "co": co_teacher.pk,
        "beta": beta.pk,
    }
    path = url.format(**values)
    body = {key: value.format(**values) for key, value in data.items()} if data is not None else None
    return getattr(client, method)(path, body)


def _unchanged(classroom, member, co_teacher, code) -> None:
    stored = Classroom.objects.get(pk=classroom.pk)
    assert (stored.name, stored.join_code, stored.archived_at) == ("Year 9 B", code, None)
    assert Membership.objects.filter(classroom=classroom, student=member).exists()
    assert list(classroom.assignments.values_list("module__slug", "due_date")) == [("alpha", None)]
    assert list(stored.co_teachers.values_list("username", flat=True)) == [co_teacher.username]


@pytest.mark.parametrize("who", ["anonymous", "outsider", "member", "other_teacher"])
@pytest.mark.parametrize(("method", "url", "data"), TEACHER_URLS)
def test_only_the_class_teachers_reach_a_teacher_url(
    classroom, member, co_teacher, beta, people, login, who, method, url, data
):
    code = classroom.join_code
    response = _request(
        login(people[who]),
        method,
        url,
        data,
        classroom=classroom,
        member=member,
        co_teacher=co_teacher,
        beta=beta,
    )
    if who == "anonymous":
        assert response.status_code == 302 and response.url.startswith(f"{LOGIN}?next=")
    else:
        assert response.status_code == {"outsider": 403, "member": 403, "other_teacher": 404}[who]
    _unchanged(classroom, member, co_teacher, code)


@pytest.mark.parametrize("who", ["owner", "co_teacher"])
@pytest.mark.parametrize(("method", "url", "data"), TEACHER_URLS)
def test_the_owner_and_a_co_teacher_reach_every_teacher_url(
    classroom, member, co_teacher, beta, people, login, who, method, url, data
):
    response = _request(
        login(people[who]),
        method,
        url,
        data,
        classroom=classroom,
        member=member,
        co_teacher=co_teacher,
        beta=beta,
    )
    if method == "get":
        assert response.status_code == 200
    else:
        assert response.status_code == 302, response.content[:300]


@pytest.mark.parametrize("url", ["/en/classes/{id}/rename/", "/en/classes/{id}/co-teachers/{co}/remove/"])
def test_huge_or_unknown_ids_are_404(classroom, co_teacher, teacher_client, url):
    for bad in (2**63, 10**30, 999_999):
        path = url.format(id=bad, co=co_teacher.pk)
        assert teacher_client.post(path, {"name": "x"}).status_code == 404
    assert teacher_client.post(f"/en/classes/{classroom.pk}/co-teachers/{2**63}/remove/").status_code == 404
    assert classroom.co_teachers.count() == 1


# Co-teachers


def test_a_co_teacher_sees_the_class_in_their_list_and_can_add_another(classroom, co_teacher, login):
    client = login(co_teacher)
    assert "Year 9 B" in client.get("/en/classes/").content.decode()
    third = TeacherFactory(username="ms-amal")
    client.post(f"/en/classes/{classroom.pk}/co-teachers/", {"username": "MS-AMAL "})
    assert set(classroom.co_teachers.values_list("pk", flat=True)) == {co_teacher.pk, third.pk}


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("sara", "No teacher account has this username."),
        ("nobody", "No teacher account has this username."),
        ("ms-haddad", "This teacher already owns the class."),
        ("", "This field is required."),
    ],
)
def test_only_other_teacher_accounts_can_be_added(classroom, member, teacher_client, username, message):
    response = teacher_client.post(f"/en/classes/{classroom.pk}/co-teachers/", {"username": username})
    assert response.status_code == 422 and message in response.content.decode()
    assert not classroom.co_teachers.exists()


def test_adding_a_co_teacher_twice_keeps_one_and_logs_once(classroom, co_teacher, teacher_client):
    teacher_client.post(f"/en/classes/{classroom.pk}/co-teachers/", {"username": "mr-nasser"})
    assert classroom.co_teachers.count() == 1
    assert ClassEvent.objects.filter(kind=ClassEvent.Kind.CO_TEACHER_ADDED).count() == 1


def test_a_removed_co_teacher_loses_access(classroom, co_teacher, teacher_client, login):
    teacher_client.post(f"/en/classes/{classroom.pk}/co-teachers/{co_teacher.pk}/remove/")
    assert login(co_teacher).get(classroom.get_absolute_url()).status_code == 404
    assert list(classroom.events.values_list("kind", "subject")) == [
        ("co-teacher-removed", "mr-nasser"),
        ("co-teacher-added", "mr-nasser"),
    ]


@RACE
def test_concurrent_adds_of_the_same_co_teacher_keep_one_row():
    teacher = TeacherFactory()
    classroom = services.classroom_create(teacher=teacher, name="Race")
    TeacherFactory(username="twin")
    results = run_concurrently(
        [lambda: services.co_teacher_add(classroom=classroom, actor=teacher, username="twin")] * 4
    )
    assert all(getattr(result, "username", result) == "twin" for result in results), results
    assert classroom.co_teachers.count() == 1


# Rename


def test_rename_changes_the_name_and_logs_it(classroom, teacher_client):
    response = teacher_client.post(f"/en/classes/{classroom.pk}/rename/", {"name": "  Year 10 B  "})
    assert response.status_code == 302 and response.url.endswith("#settings")
    assert Classroom.objects.get(pk=classroom.pk).name == "Year 10 B"
    assert list(classroom.events.values_list("kind", "subject")) == [("renamed", "Year 10 B")]
    teacher_client.post(f"/en/classes/{classroom.pk}/rename/", {"name": "Year 10 B"})
    assert classroom.events.count() == 1


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_bad_name_is_422_and_changes_nothing(classroom, teacher_client, name):
    response = teacher_client.post(f"/en/classes/{classroom.pk}/rename/", {"name": name})
    assert response.status_code == 422
    assert Classroom.objects.get(pk=classroom.pk).name == "Year 9 B"


# Archive and restore


def test_archive_hides_the_class_from_students_and_makes_it_read_only(
    classroom, member, beta, teacher_client, login
):
    assert "Year 9 B" in login(member).get("/en/dashboard/").content.decode()
    teacher_client.post(f"/en/classes/{classroom.pk}/archive/", {"archived": "yes"})
    assert Classroom.objects.get(pk=classroom.pk).is_archived
    assert "Year 9 B" not in login(member).get("/en/dashboard/").content.decode()
    page = teacher_client.get(classroom.get_absolute_url()).content.decode()
    assert "Restore the class" in page and "Assign a module" not in page and "Make a new code" not in page
    response = teacher_client.post(f"/en/classes/{classroom.pk}/assignments/", {"work": f"module-{beta.pk}"})
    assert response.status_code == 409
    assert "This class is archived, so it cannot change." in response.content.decode()
    assert teacher_client.post(f"/en/classes/{classroom.pk}/rename/", {"name": "New"}).status_code == 409
    assert classroom.assignments.count() == 1 and Classroom.objects.get(pk=classroom.pk).name == "Year 9 B"
    assert teacher_client.get(f"/en/classes/{classroom.pk}/export.csv").status_code == 200


def test_restore_brings_the_class_back_and_both_are_logged_once(classroom, member, teacher_client, login):
    for value in ("yes", "yes", "no", "no"):
        teacher_client.post(f"/en/classes/{classroom.pk}/archive/", {"archived": value})
    assert not Classroom.objects.get(pk=classroom.pk).is_archived
    assert "Year 9 B" in login(member).get("/en/dashboard/").content.decode()
    assert list(classroom.events.values_list("kind", flat=True)) == ["restored", "archived"]


def test_archived_classes_come_last_in_the_teachers_list(teacher, teacher_client):
    services.classroom_create(teacher=teacher, name="A first")
    old = services.classroom_create(teacher=teacher, name="0 old")
    services.classroom_archive(classroom=old, actor=teacher)
    body = teacher_client.get("/en/classes/").content.decode()
    assert body.index("A first") < body.index("0 old") and "Archived" in body


# Delete


def test_delete_asks_for_the_name_and_deletes_only_when_it_matches(classroom, member, teacher_client):
    page = teacher_client.get(f"/en/classes/{classroom.pk}/delete/").content.decode()
    assert "Type the class name to confirm" in page
    for wrong in ("year 9 b", "Year 9", ""):
        response = teacher_client.post(f"/en/classes/{classroom.pk}/delete/", {"confirm_name": wrong})
        assert response.status_code == 422
    assert Classroom.objects.filter(pk=classroom.pk).exists()
    response = teacher_client.post(f"/en/classes/{classroom.pk}/delete/", {"confirm_name": " Year 9 B "})
    assert (response.status_code, response.url) == (302, "/en/classes/")
    assert not Classroom.objects.filter(pk=classroom.pk).exists()
    assert (
        not Membership.objects.exists()
        and not Assignment.objects.exists()
        and not ClassEvent.objects.exists()
    )
    assert type(member).objects.filter(pk=member.pk).exists()  # the student's account stays
    assert (
        teacher_client.post(f"/en/classes/{classroom.pk}/delete/", {"confirm_name": "Year 9 B"}).status_code
        == 404
    )


def test_an_archived_class_can_be_deleted(classroom, teacher, teacher_client):
    services.classroom_archive(classroom=classroom, actor=teacher)
    teacher_client.post(f"/en/classes/{classroom.pk}/delete/", {"confirm_name": "Year 9 B"})
    assert not Classroom.objects.filter(pk=classroom.pk).exists()


# Pages in both languages


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_settings_and_log_show_on_the_class_page(classroom, co_teacher, teacher, teacher_client, lang):
    services.classroom_rename(classroom=classroom, actor=teacher, name="Year 9 B")
    body = teacher_client.get(f"/{lang}/classes/{classroom.pk}/").content.decode()
    assert 'id="settings"' in body and "mr-nasser" in body and 'id="rename_name"' in body
    assert f'href="/{lang}/classes/{classroom.pk}/delete/"' in body
    join_class(classroom, "layla")
    assert teacher_client.get(f"/{lang}/classes/{classroom.pk}/delete/").status_code == 200


@pytest.mark.parametrize("data", [{}, {"archived": ""}, {"archived": "true"}, {"archived": "YES"}])
def test_a_tampered_archive_choice_is_refused_and_changes_nothing(classroom, teacher_client, data):
    response = teacher_client.post(f"/ar/classes/{classroom.pk}/archive/", data)
    assert response.status_code == 400 and 'lang="ar"' in response.content.decode()
    assert not Classroom.objects.get(pk=classroom.pk).is_archived
    assert not classroom.events.exists()
