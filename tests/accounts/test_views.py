import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from apps.accounts.models import Reader, User
from apps.accounts.readers import SESSION_KEY
from apps.checklist.models import ChecklistGroup, ChecklistItem, ChecklistTick, UsedPlatform
from apps.lessons.models import Lesson, LessonRead
from apps.quizzes.models import Answer, Attempt
from apps.quizzes.services import attempt_start
from tests.factories import StudentFactory, TeacherFactory
from tests.helpers import answer_all, quiz_for, reader_of, run_concurrently

pytestmark = pytest.mark.django_db


def signup_data(**overrides):
    data = {
        "username": "lina",
        "email": "",
        "role": "student",
        "password1": "a-strong-passphrase-42",
        "password2": "a-strong-passphrase-42",
    }
    data.update(overrides)
    return data


def test_sign_up_as_student_without_email_logs_in(client):
    response = client.post("/en/accounts/signup/", signup_data())
    assert response.status_code == 302
    user = User.objects.get(username="lina")
    assert user.role == User.Role.STUDENT
    assert user.email == ""
    assert client.get("/en/").context["user"] == user


def test_sign_up_as_teacher(client):
    client.post("/en/accounts/signup/", signup_data(username="mr-ali", role="teacher"))
    assert User.objects.get(username="mr-ali").is_teacher


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"password2": "something-else-42"}, "The two password fields didn’t match."),
        ({"password1": "12345678", "password2": "12345678"}, "This password is too common."),
        ({"password1": "abc", "password2": "abc"}, "This password is too short."),
        ({"username": ""}, "This field is required."),
        ({"role": "admin"}, "Select a valid choice."),
        ({"email": "not-an-email"}, "Enter a valid email address."),
    ],
)
def test_sign_up_refuses_bad_input_and_creates_nothing(client, overrides, message):
    response = client.post("/en/accounts/signup/", signup_data(**overrides))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_with_a_taken_username_is_refused(client):
    StudentFactory(username="lina")
    response = client.post("/en/accounts/signup/", signup_data())
    assert "A user with that username already exists." in response.content.decode()
    assert User.objects.count() == 1


def test_sign_up_errors_are_in_arabic_on_arabic_pages(client):
    response = client.post("/ar/accounts/signup/", signup_data(password2="different-42"))
    body = response.content.decode()
    assert "حقلا كلمة المرور غير متطابقين" in body or "غير متطابق" in body
    assert not User.objects.exists()


def test_log_in_and_log_out(client, password):
    user = StudentFactory(username="karim")
    response = client.post("/en/accounts/login/", {"username": "karim", "password": password})
    assert response.status_code == 302
    assert client.get("/en/").context["user"] == user
    response = client.post("/en/accounts/logout/")
    assert response.status_code == 302
    assert not client.get("/en/").context["user"].is_authenticated


def test_log_in_with_a_wrong_password_shows_an_error(client):
    StudentFactory(username="karim")
    response = client.post("/en/accounts/login/", {"username": "karim", "password": "nope"})
    assert response.status_code == 422
    assert "Please enter a correct username and password" in response.content.decode()


def test_log_in_redirects_only_to_safe_next(client, password):
    StudentFactory(username="karim")
    data = {"username": "karim", "password": password}
    assert client.post("/en/accounts/login/?next=/en/modules/", data).url == "/en/modules/"
    client.post("/en/accounts/logout/")
    assert client.post("/en/accounts/login/?next=https://evil.example/", data).url == "/en/"


def test_logout_by_get_only_asks_for_confirmation(student_client):
    response = student_client.get("/en/accounts/logout/")
    assert response.status_code == 200
    assert student_client.get("/en/").context["user"].is_authenticated


def test_change_password(student_client, student, password):
    response = student_client.post(
        "/en/accounts/password/",
        {
            "old_password": password,
            "new_password1": "another-strong-pass-77",
            "new_password2": "another-strong-pass-77",
        },
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.check_password("another-strong-pass-77")
    # The session survives the change.
    assert student_client.get("/en/").context["user"].is_authenticated


def test_change_password_with_wrong_old_password_changes_nothing(student_client, student, password):
    response = student_client.post(
        "/en/accounts/password/",
        {
            "old_password": "wrong",
            "new_password1": "x-strong-77-x",
            "new_password2": "x-strong-77-x",
        },
    )
    assert response.status_code == 422
    student.refresh_from_db()
    assert student.check_password(password)


def test_password_page_needs_login(client):
    response = client.get("/en/accounts/password/")
    assert response.status_code == 302
    assert response.url.startswith("/en/accounts/login/")


def test_admin_works_for_staff(client):
    admin = get_user_model().objects.create_superuser("root", password="root-pass-2026!")
    client.force_login(admin)
    assert client.get("/en/admin/").status_code == 200
    assert client.get("/en/admin/accounts/user/").status_code == 200
    assert client.get(f"/en/admin/accounts/user/{admin.pk}/change/").status_code == 200


def test_roles():
    assert TeacherFactory().is_teacher
    assert StudentFactory().is_student


def test_delete_account_needs_the_password(student_client, student, password):
    response = student_client.post("/en/accounts/delete/", {"password": "wrong"})
    assert response.status_code == 422
    assert User.objects.filter(pk=student.pk).exists()
    response = student_client.post("/en/accounts/delete/", {"password": password})
    assert response.status_code == 302
    assert not User.objects.filter(pk=student.pk).exists()


def test_deleting_an_account_deletes_its_progress(student_client, student, password):
    student_client.post("/en/modules/alpha/first-steps/")
    assert LessonRead.objects.filter(reader__user=student).exists()
    student_client.post("/en/accounts/delete/", {"password": password})
    assert not Reader.objects.exists()
    assert not LessonRead.objects.exists()


def test_account_page_links_to_the_data_export(student_client):
    body = student_client.get("/en/accounts/").content.decode()
    assert 'href="/en/accounts/export/"' in body


def test_account_page_needs_login(client):
    assert client.get("/en/accounts/").url.startswith("/en/accounts/login/")


def test_log_in_keeps_the_readers_own_progress(client, student, password):
    LessonRead.objects.create(reader=reader_of(student), lesson=Lesson.objects.get(slug="first-steps"))
    client.post("/en/accounts/login/", {"username": student.username, "password": password})
    assert "1 of 3" in client.get("/en/modules/").content.decode()


# One reader: what a browser did anonymously joins the account it logs in to or signs up for.

SIGN_UP = {
    "username": "newbie",
    "role": "student",
    "password1": "a-strong-passphrase-42",
    "password2": "a-strong-passphrase-42",
}


def _read(client, slug: str):
    lesson = Lesson.objects.select_related("module").get(slug=slug)
    assert client.post(lesson.get_absolute_url()).status_code == 302


def _tick(client, key: str, state: str = "done"):
    item = ChecklistItem.objects.select_related("group").get(key=key)
    assert client.post(f"/en/checklist/{item.group.slug}/{item.key}/", {"state": state}).status_code == 302


def _choose_platforms(client, *slugs: str):
    ids = [str(pk) for pk in ChecklistGroup.objects.filter(slug__in=slugs).values_list("pk", flat=True)]
    assert client.post("/en/checklist/", {"platforms": ids}).status_code == 302


def _start_quiz_and_answer(client, answers: dict[str, list[str]]) -> str:
    """Start the alpha quiz, answer some questions; the attempt's URL."""
    url = client.post("/en/modules/alpha/quiz/").url
    for key, choices in answers.items():
        response = client.post(url, {"question": key, "choice": choices})
        assert response.status_code == 302, response.content.decode()[:500]
    return url


def _anonymous_progress(client) -> str:
    _read(client, "first-steps")
    _read(client, "settings")
    _tick(client, "strong-password")
    _tick(client, "private-account")
    _choose_platforms(client, "photobook")
    return _start_quiz_and_answer(client, {"q01": ["b"], "q02": ["a", "b"]})


def _progress_of(reader: Reader) -> dict:
    return {
        "reads": set(LessonRead.objects.filter(reader=reader).values_list("lesson__slug", flat=True)),
        "ticks": set(ChecklistTick.objects.filter(reader=reader).values_list("item__key", flat=True)),
        "platforms": set(UsedPlatform.objects.filter(reader=reader).values_list("group__slug", flat=True)),
        "answers": sorted(
            Answer.objects.filter(attempt__reader=reader).values_list("question__key", flat=True)
        ),
    }


def _assert_no_anonymous_reader_left(client):
    assert not Reader.objects.filter(user__isnull=True, merged_into__isnull=True).exists()
    assert SESSION_KEY not in client.session


def test_sign_up_after_reading_anonymously_keeps_everything(client):
    attempt_url = _anonymous_progress(client)
    session_before = client.cookies["sessionid"].value
    assert Reader.objects.filter(merged_into__isnull=True).count() == 1

    response = client.post("/en/accounts/signup/", SIGN_UP)

    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert _progress_of(reader_of(user)) == {
        "reads": {"first-steps", "settings"},
        "ticks": {"strong-password", "private-account"},
        "platforms": {"photobook"},
        "answers": ["q01", "q02"],
    }
    assert Reader.objects.filter(merged_into__isnull=True).count() == 1
    _assert_no_anonymous_reader_left(client)
    assert client.cookies["sessionid"].value != session_before
    # The account carries on where the browser left off: the same attempt, the same progress.
    assert client.get(attempt_url).status_code == 200
    assert "1 of 3" in client.get("/en/modules/").content.decode()


def test_log_in_after_reading_anonymously_merges_into_the_account_progress(client, student, password):
    account = reader_of(student)
    now = timezone.now()
    LessonRead.objects.create(reader=account, lesson=Lesson.objects.get(slug="first-steps"))
    LessonRead.objects.create(reader=account, lesson=Lesson.objects.get(slug="third-way"))
    older, newer = now - datetime.timedelta(days=30), now + datetime.timedelta(days=1)
    ChecklistTick.objects.create(
        reader=account, item=ChecklistItem.objects.get(key="strong-password"), done_at=older
    )
    ChecklistTick.objects.create(
        reader=account, item=ChecklistItem.objects.get(key="private-account"), done_at=newer
    )
    ChecklistTick.objects.create(
        reader=account, item=ChecklistItem.objects.get(key="ad-partners"), done_at=older
    )
    UsedPlatform.objects.create(reader=account, group=ChecklistGroup.objects.get(slug="photobook"))
    answer_all(attempt_start(quiz=quiz_for(), reader=account), right=8)

    _anonymous_progress(client)
    response = client.post("/en/accounts/login/", {"username": student.username, "password": password})

    assert response.status_code == 302
    progress = _progress_of(account)
    assert progress["reads"] == {"first-steps", "settings", "third-way"}
    assert progress["ticks"] == {"strong-password", "private-account", "ad-partners"}
    assert progress["platforms"] == {"photobook"}
    assert Attempt.objects.filter(reader=account).count() == 2
    assert len(progress["answers"]) == 8 + 2
    done_at = dict(ChecklistTick.objects.filter(reader=account).values_list("item__key", "done_at"))
    assert done_at["strong-password"] > older  # the anonymous tick was later: it wins
    assert done_at["private-account"] == newer  # the account's tick was later: it stays
    assert done_at["ad-partners"] == older
    assert LessonRead.objects.count() == 3 and ChecklistTick.objects.count() == 3
    assert Reader.objects.filter(merged_into__isnull=True).count() == 1
    _assert_no_anonymous_reader_left(client)


def test_log_in_or_sign_up_without_anonymous_progress_creates_no_reader(client, password):
    StudentFactory(username="karim")
    client.get("/en/modules/alpha/first-steps/")
    client.post("/en/accounts/login/", {"username": "karim", "password": password})
    client.post("/en/accounts/logout/")
    client.post("/en/accounts/signup/", SIGN_UP)
    assert not Reader.objects.exists()


def test_after_log_out_the_browser_starts_again_as_a_new_anonymous_reader(client, student, password):
    _read(client, "first-steps")
    client.post("/en/accounts/login/", {"username": student.username, "password": password})
    client.post("/en/accounts/logout/")
    assert "<progress" not in client.get("/en/modules/").content.decode()
    _read(client, "second-look")
    anonymous = Reader.objects.get(user__isnull=True, merged_into__isnull=True)
    assert _progress_of(anonymous)["reads"] == {"second-look"}
    assert _progress_of(reader_of(student))["reads"] == {"first-steps"}


def test_a_failed_log_in_keeps_the_anonymous_progress_in_the_browser(client, student):
    _read(client, "first-steps")
    anonymous = Reader.objects.get()
    client.post("/en/accounts/login/", {"username": student.username, "password": "wrong"})
    assert client.session[SESSION_KEY] == anonymous.pk
    assert _progress_of(anonymous)["reads"] == {"first-steps"}
    assert not Reader.objects.filter(user=student).exists()


ANONYMOUS_PAGES = [
    "/en/",
    "/ar/",
    "/en/privacy/",
    "/en/modules/",
    "/en/modules/alpha/",
    "/en/modules/alpha/first-steps/",
    "/en/modules/alpha/quiz/",
    "/en/checklist/",
    "/en/checklist/everywhere/",
    "/en/checklist/print/",
    "/en/checklist/export.csv",
    "/en/accounts/export/",
    "/en/accounts/login/",
    "/en/accounts/signup/",
    "/sitemap.xml",
]


def test_reading_any_page_creates_no_reader(client, student_client):
    for url in ANONYMOUS_PAGES:
        assert client.get(url).status_code == 200, url
        assert student_client.get(url).status_code in (200, 302), url
    for url in ["/en/dashboard/", "/en/accounts/"]:
        student_client.get(url)
    assert Reader.objects.filter(merged_into__isnull=True).count() == 0
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("forged", ["unknown", "account", 2**70, "1"])
def test_a_stale_or_forged_reader_id_never_shows_or_changes_someone_elses_progress(
    client, student, other_student, password, forged
):
    account = reader_of(student)
    LessonRead.objects.create(reader=account, lesson=Lesson.objects.get(slug="first-steps"))
    ChecklistTick.objects.create(
        reader=account, item=ChecklistItem.objects.get(key="strong-password"), done_at=timezone.now()
    )
    session = client.session
    session[SESSION_KEY] = {"unknown": account.pk + 1000, "account": account.pk}.get(str(forged), forged)
    session.save()
    student_progress = _progress_of(account)

    assert "<progress" not in client.get("/en/modules/").content.decode()
    assert 'value="1"' not in client.get("/en/modules/alpha/").content.decode()
    assert "is-done" not in client.get("/en/checklist/everywhere/").content.decode()
    export = client.get("/en/accounts/export/").json()
    assert export["lessons_read"] == [] and export["checklist_done"] == []

    _read(client, "second-look")
    _tick(client, "strong-password", "not-done")
    mine = Reader.objects.get(user__isnull=True, merged_into__isnull=True)
    assert client.session[SESSION_KEY] == mine.pk
    assert _progress_of(mine)["reads"] == {"second-look"}

    # Logging in to another account takes the browser's own reader along, never the forged one.
    client.post("/en/accounts/login/", {"username": other_student.username, "password": password})
    assert _progress_of(reader_of(other_student))["reads"] == {"second-look"}
    assert _progress_of(account) == student_progress


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_log_ins_of_one_anonymous_browser_lose_nothing(password):
    user = StudentFactory(username="twice")
    first = Client()
    _anonymous_progress(first)
    second = Client()
    second.cookies["sessionid"] = first.cookies["sessionid"].value
    data = {"username": "twice", "password": password}

    results = run_concurrently(
        [lambda c=c: c.post("/en/accounts/login/", data).status_code for c in (first, second)]
    )

    assert results == [302, 302]
    assert _progress_of(Reader.objects.get(user=user)) == {
        "reads": {"first-steps", "settings"},
        "ticks": {"strong-password", "private-account"},
        "platforms": {"photobook"},
        "answers": ["q01", "q02"],
    }
    assert list(Reader.objects.filter(merged_into__isnull=True).values_list("user_id", flat=True)) == [
        user.pk
    ]


@pytest.mark.django_db(transaction=True)
def test_merges_of_many_browsers_into_one_account_at_once_lose_nothing(password):
    user = StudentFactory(username="many")
    slugs = ["first-steps", "second-look", "third-way", "settings", "habits"]
    clients = []
    for slug in slugs:
        client = Client()
        _read(client, slug)
        _tick(client, "strong-password")
        clients.append(client)
    data = {"username": "many", "password": password}

    results = run_concurrently([lambda c=c: c.post("/en/accounts/login/", data).status_code for c in clients])

    assert results == [302] * len(slugs)
    account = Reader.objects.get(user=user)
    assert _progress_of(account)["reads"] == set(slugs)
    assert ChecklistTick.objects.filter(reader=account).count() == 1
    assert Reader.objects.filter(merged_into__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_read_mark_racing_the_log_in_merge_reaches_the_account(monkeypatch, password):
    """The write has found and locked its reader when the log-in starts: the merge waits for the write
    (it holds the reader's lock until it commits), then moves its row. Without the lock the row was
    inserted for a reader the merge had just deleted: a 500 and a lost read mark."""
    from apps.lessons import services as lesson_services

    user = StudentFactory(username="racer")
    browser = Client()
    _read(browser, "first-steps")
    other_tab = Client()
    other_tab.cookies["sessionid"] = browser.cookies["sessionid"].value
    writing, merged = threading.Event(), threading.Event()
    mark_read = lesson_services.lesson_mark_read

    def mark_read_after_the_merge(*, reader, lesson):
        writing.set()
        merged.wait(timeout=1)  # the log-in cannot finish first: it waits for this write's lock
        return mark_read(reader=reader, lesson=lesson)

    monkeypatch.setattr(lesson_services, "lesson_mark_read", mark_read_after_the_merge)

    def log_in():
        writing.wait(timeout=10)
        try:
            return browser.post(
                "/en/accounts/login/", {"username": "racer", "password": password}
            ).status_code
        finally:
            merged.set()

    write = Lesson.objects.select_related("module").get(slug="second-look").get_absolute_url()
    results = run_concurrently([lambda: other_tab.post(write).status_code, log_in])

    assert results == [302, 302]
    assert _progress_of(Reader.objects.get(user=user))["reads"] == {"first-steps", "second-look"}


def test_a_teacher_lands_on_their_classes_after_logging_in_and_a_student_on_the_home_page(client):
    from tests.factories import PASSWORD, StudentFactory, TeacherFactory

    teacher, student = TeacherFactory(), StudentFactory()
    response = client.post("/en/accounts/login/", {"username": teacher.username, "password": PASSWORD})
    assert response.url == "/en/classes/"
    client.logout()
    response = client.post("/ar/accounts/login/", {"username": student.username, "password": PASSWORD})
    assert response.url == "/ar/"
    client.logout()
    response = client.post(
        "/en/accounts/login/", {"username": teacher.username, "password": PASSWORD, "next": "/en/checklist/"}
    )
    assert response.url == "/en/checklist/"
