"""The top app's pages: home, privacy, data export, forgetting a browser, health, robots, sitemap, errors."""

import datetime
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from apps.accounts.models import Reader
from apps.accounts.readers import SESSION_KEY
from apps.checklist.models import ChecklistGroup, ChecklistItem, ChecklistTick, PathReport, UsedPlatform
from apps.classrooms.models import Membership
from apps.lessons.models import Lesson, LessonRead, Module
from apps.quizzes.models import Attempt
from apps.quizzes.services import attempt_start, quiz_answer_submit
from tests.factories import ClassroomFactory, StudentFactory
from tests.helpers import answer_all, module_cards, quiz_for, reader_of

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2026, 4, 7, 9, 30, tzinfo=datetime.UTC)
LATER = WHEN + datetime.timedelta(minutes=20)


def _lesson(slug: str) -> Lesson:
    return Lesson.objects.select_related("module").get(slug=slug)


# Home


def test_home_says_what_the_site_teaches_and_invites_to_start(client):
    body = client.get("/en/").content.decode()
    assert "data you leave on social media" in body
    assert "Start learning" in body and "Continue:" not in body
    assert "ابدأ التعلم" in client.get("/ar/").content.decode()


def test_home_offers_to_continue_with_the_next_unread_lesson(client):
    client.post(_lesson("first-steps").get_absolute_url())
    body = client.get("/en/").content.decode()
    assert f'href="{_lesson("second-look").get_absolute_url()}">Continue: Alpha lesson 2: second-look' in body
    assert "Start learning" not in body


def test_home_shows_every_module_with_its_reading_time_and_this_readers_progress(
    client, student_client, student
):
    _others_read_everything()
    LessonRead.objects.create(reader=reader_of(student), lesson=_lesson("habits"))
    for who, expected in [
        (client, {"alpha": "3 lessons · about 6 min", "beta": "2 lessons · about 3 min"}),
        (
            student_client,
            {"alpha": "about 6 min 0 of 3 lessons read [bar 0/3]", "beta": "about 3 min 1 of 2"},
        ),
    ]:
        cards = module_cards(who.get("/en/").content.decode())
        assert list(cards) == ["alpha", "beta"]
        for slug, text in expected.items():
            assert text in cards[slug], cards[slug]


def _others_read_everything() -> None:
    """Many other readers, signed in and anonymous, who read every lesson."""
    lessons = list(Lesson.objects.all())
    for reader in [*(reader_of(StudentFactory()) for _ in range(4)), Reader.objects.create()]:
        LessonRead.objects.bulk_create([LessonRead(reader=reader, lesson=lesson) for lesson in lessons])


def test_home_answers_only_safe_methods(client):
    assert client.post("/en/").status_code == 405


# Privacy and "forget this browser" (more in test_forget.py)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_privacy_page_without_anything_stored(client, lang):
    response = client.get(f"/{lang}/privacy/")
    assert response.status_code == 200
    body = response.content.decode()
    if lang == "en":
        assert "This browser has not saved anything yet." in body
    assert f'action="/{lang}/privacy/forget/"' not in body


def test_forgetting_a_browser_deletes_every_kind_of_row_it_has_and_nobody_elses(client, student):
    account = reader_of(student)
    LessonRead.objects.create(reader=account, lesson=_lesson("first-steps"))
    someone = Reader.objects.create()
    LessonRead.objects.create(reader=someone, lesson=_lesson("first-steps"))
    client.post(_lesson("second-look").get_absolute_url())
    client.post("/en/checklist/everywhere/strong-password/", {"state": "done"})
    client.post("/en/checklist/", {"platforms": [str(ChecklistGroup.objects.get(slug="photobook").pk)]})
    client.post("/en/modules/alpha/quiz/")
    mine = Reader.objects.get(pk=client.session[SESSION_KEY])
    assert Attempt.objects.filter(reader=mine).exists() and UsedPlatform.objects.filter(reader=mine).exists()

    response = client.post("/en/privacy/forget/")

    assert response.status_code == 302 and response.url == "/en/privacy/"
    assert not Reader.objects.filter(pk=mine.pk).exists()
    assert set(Reader.objects.all()) == {account, someone}
    assert LessonRead.objects.count() == 2 and not ChecklistTick.objects.exists()
    assert not Attempt.objects.exists() and not UsedPlatform.objects.exists()
    assert SESSION_KEY not in client.session
    body = client.get("/en/privacy/").content.decode()
    assert "nothing you did in this browser is stored any more" in body
    assert "<progress" not in client.get("/en/modules/").content.decode()


# "Download my data"


def _student_with_everything(student) -> None:
    reader = reader_of(student)
    with time_machine.travel(WHEN, tick=False):
        LessonRead.objects.create(reader=reader, lesson=_lesson("habits"))
        LessonRead.objects.filter(reader=reader).update(read_at=WHEN - datetime.timedelta(days=1))
        LessonRead.objects.create(reader=reader, lesson=_lesson("first-steps"))
        attempt = attempt_start(quiz=quiz_for("alpha"), reader=reader)
        answer_all(attempt, right=6)
    with time_machine.travel(LATER, tick=False):
        unfinished = attempt_start(quiz=quiz_for("beta"), reader=reader)
        quiz_answer_submit(attempt=unfinished, question_key="q02", choice_keys=["b", "a"])
    with time_machine.travel(WHEN, tick=False):
        ChecklistTick.objects.create(
            reader=reader, item=ChecklistItem.objects.get(key="strong-password"), done_at=WHEN
        )
        UsedPlatform.objects.create(reader=reader, group=ChecklistGroup.objects.get(slug="photobook"))
        PathReport.objects.create(
            reader=reader, item=ChecklistItem.objects.get(key="tag-approval"), note="القائمة تغيّرت"
        )
        Membership.objects.create(
            classroom=ClassroomFactory(name="Year 9 B"), student=student, share_checklist=True
        )


def _someone_else_with_everything(other_student) -> None:
    for reader in (reader_of(other_student), Reader.objects.create()):
        LessonRead.objects.create(reader=reader, lesson=_lesson("second-look"))
        answer_all(attempt_start(quiz=quiz_for("alpha"), reader=reader), right=1)
        ChecklistTick.objects.create(
            reader=reader, item=ChecklistItem.objects.get(key="public-or-private"), done_at=WHEN
        )
        UsedPlatform.objects.create(reader=reader, group=ChecklistGroup.objects.get(slug="everywhere"))
        PathReport.objects.create(
            reader=reader, item=ChecklistItem.objects.get(key="ad-partners"), note="other"
        )
    Membership.objects.create(classroom=ClassroomFactory(name="Other class"), student=other_student)


def _answers(right: int) -> list[dict]:
    """The alpha quiz answered in order by answer_all, as exported (sorted by question here)."""
    keys = {"single": ["b"], "multiple": ["a", "b"]}
    answers = []
    for number in range(1, 9):
        kind = ["single", "multiple", "truefalse"][(number - 1) % 3]
        true_is_right = number % 2 == 0
        right_keys = keys.get(kind) or (["true"] if true_is_right else ["false"])
        answers.append({"question": f"q{number:02d}", "right": right_keys})
    return answers


def test_download_my_data_has_everything_of_the_signed_in_reader_and_nothing_of_anyone_else(
    student_client, student, other_student
):
    _someone_else_with_everything(other_student)
    _student_with_everything(student)

    response = student_client.get("/en/accounts/export/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="data-trail-{student.username}.json"'
    assert "no-store" in response["Cache-Control"]
    assert "القائمة تغيّرت" in response.content.decode()  # readable, not \u-escaped
    data = response.json()
    student.refresh_from_db()
    attempts = data.pop("quiz_attempts")
    assert data == {
        "account": {
            "username": student.username,
            "email": "",
            "role": "student",
            "date_joined": student.date_joined.isoformat(),
            "last_login": student.last_login.isoformat(),
        },
        "classes_joined": [
            {"class": "Year 9 B", "joined_at": WHEN.isoformat(), "shares_checklist_counts": True}
        ],
        "classes_taught": [],
        "lessons_read": [
            {
                "module": "beta",
                "lesson": "habits",
                "read_at": (WHEN - datetime.timedelta(days=1)).isoformat(),
            },
            {"module": "alpha", "lesson": "first-steps", "read_at": WHEN.isoformat()},
        ],
        "checklist_done": [{"group": "everywhere", "item": "strong-password", "done_at": WHEN.isoformat()}],
        "checklist_platforms": ["photobook"],
        "checklist_reports": [
            {"item": "photobook/tag-approval", "note": "القائمة تغيّرت", "created_at": WHEN.isoformat()}
        ],
        "simulator_finished": [],
        "labs_finished": [],
    }
    assert [a["module"] for a in attempts] == ["alpha", "beta"]
    finished, unfinished = attempts
    assert {key: finished[key] for key in ("started_at", "finished_at", "score_percent", "passed")} == {
        "started_at": WHEN.isoformat(),
        "finished_at": WHEN.isoformat(),
        "score_percent": 75,
        "passed": True,
    }
    assert len(finished["answers"]) == 8
    assert {answer["question"] for answer in finished["answers"]} == {f"q{n:02d}" for n in range(1, 9)}
    assert sum(answer["correct"] for answer in finished["answers"]) == 6
    right = {answer["question"]: answer["right"] for answer in _answers(6)}
    for answer in finished["answers"]:
        assert (answer["choices"] == right[answer["question"]]) == answer["correct"], answer
        assert answer["answered_at"] == WHEN.isoformat()
    assert unfinished == {
        "module": "beta",
        "started_at": LATER.isoformat(),
        "finished_at": None,
        "score_percent": None,
        "passed": None,
        "answers": [
            {"question": "q02", "choices": ["a", "b"], "correct": True, "answered_at": LATER.isoformat()}
        ],
    }


def test_download_my_data_lists_the_classes_a_teacher_teaches(teacher_client, teacher):
    with time_machine.travel(WHEN, tick=False):
        ClassroomFactory(teacher=teacher, name="Year 8")
    ClassroomFactory(name="Someone else's")
    data = teacher_client.get("/en/accounts/export/").json()
    assert data["classes_taught"] == [{"class": "Year 8", "created_at": WHEN.isoformat()}]
    assert data["account"]["role"] == "teacher"


def test_an_anonymous_reader_downloads_what_this_browser_did(client, other_student):
    _someone_else_with_everything(other_student)
    with time_machine.travel(WHEN, tick=False):
        client.post(_lesson("third-way").get_absolute_url())
        client.post("/en/checklist/photobook/private-account/", {"state": "done"})
        client.post("/en/checklist/", {"platforms": [str(ChecklistGroup.objects.get(slug="photobook").pk)]})
        attempt_url = client.post("/en/modules/beta/quiz/").url
        client.post(attempt_url, {"question": "q01", "choice": "a"})
        response = client.get("/en/accounts/export/")

    assert response["Content-Disposition"] == 'attachment; filename="data-trail-anonymous.json"'
    assert response.json() == {
        "lessons_read": [{"module": "alpha", "lesson": "third-way", "read_at": WHEN.isoformat()}],
        "quiz_attempts": [
            {
                "module": "beta",
                "started_at": WHEN.isoformat(),
                "finished_at": None,
                "score_percent": None,
                "passed": None,
                "answers": [
                    {"question": "q01", "choices": ["a"], "correct": False, "answered_at": WHEN.isoformat()}
                ],
            }
        ],
        "checklist_done": [{"group": "photobook", "item": "private-account", "done_at": WHEN.isoformat()}],
        "checklist_platforms": ["photobook"],
        "checklist_reports": [],
        "simulator_finished": [],
        "labs_finished": [],
    }


def test_a_browser_that_stored_nothing_downloads_empty_lists_and_stores_nothing(client, other_student):
    _someone_else_with_everything(other_student)
    readers = Reader.objects.count()
    assert client.get("/en/accounts/export/").json() == {
        "lessons_read": [],
        "quiz_attempts": [],
        "checklist_done": [],
        "checklist_platforms": [],
        "checklist_reports": [],
        "simulator_finished": [],
        "labs_finished": [],
    }
    assert Reader.objects.count() == readers


def test_a_signed_in_reader_who_did_nothing_downloads_the_account_only(student_client, other_student):
    _someone_else_with_everything(other_student)
    data = student_client.get("/en/accounts/export/").json()
    assert data["account"]["username"] == "sara"
    assert all(data[key] == [] for key in data if key != "account")
    assert not Reader.objects.filter(user__username="sara").exists()


def test_download_my_data_answers_only_safe_methods(student_client):
    assert student_client.post("/en/accounts/export/").status_code == 405


# Health, robots, sitemap


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_a_broken_database(client, monkeypatch):
    from apps.pages import views

    class Broken:
        def cursor(self):
            raise RuntimeError("database down")

    monkeypatch.setattr(views, "connection", Broken())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_livez_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert response.status_code == 200 and response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]
    assert client.post("/livez").status_code == 405


def test_robots_txt_keeps_crawlers_out_of_accounts_and_admin_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /en/accounts/",
        "Disallow: /en/admin/",
        "Disallow: /ar/accounts/",
        "Disallow: /ar/admin/",
        "Sitemap: http://testserver/sitemap.xml",
    ]


SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def test_sitemap_lists_every_public_page_in_both_languages(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    locations = {
        loc.text.removeprefix("http://testserver") for loc in root.findall("s:url/s:loc", SITEMAP_NS)
    }
    expected = {"/{lang}/", "/{lang}/modules/", "/{lang}/checklist/", "/{lang}/glossary/", "/{lang}/privacy/"}
    expected |= {f"/{{lang}}/modules/{slug}/quiz/" for slug in ("alpha", "beta")}
    expected |= {f"/{{lang}}/checklist/{slug}/" for slug in ("everywhere", "photobook")}
    expected |= {f"/{{lang}}/modules/{module.slug}/" for module in Module.objects.all()}
    expected |= {
        f"/{{lang}}/modules/{lesson.module.slug}/{lesson.slug}/"
        for lesson in Lesson.objects.select_related("module")
    }
    assert locations == {path.format(lang=lang) for path in expected for lang in ("en", "ar")}
    for url in root.findall("s:url", SITEMAP_NS):
        assert {link.get("hreflang") for link in url.findall("x:link", SITEMAP_NS)} == {
            "en",
            "ar",
            "x-default",
        }


# Error pages


def test_404_page_is_in_the_current_language(client):
    response = client.get("/ar/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert 'lang="ar"' in body
    assert "الصفحة غير موجودة" in body


def test_post_without_csrf_token_is_a_translated_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/ar/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    body = response.content.decode()
    assert 'lang="ar"' in body
    assert "انتهت صلاحية هذا النموذج" in body


def test_500_page_renders_in_both_languages_without_a_request():
    from apps.pages.views import server_error

    for lang, text in [("en", "Something went wrong"), ("ar", "حدث خطأ ما")]:
        with translation.override(lang):
            response = server_error(None)
        assert response.status_code == 500
        assert text in response.content.decode()
        assert f'lang="{lang}"' in response.content.decode()
