"""The class page is kept rendered between views (core.page_cache.cached_page) and replaced as soon as
anything it shows changes: every kind of change here is made after a first view, and the next view
must show it. The page is also checked to come from the cache when nothing changed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts import services as account_services
from apps.accounts.models import Reader
from apps.checklist.models import ChecklistItem
from apps.checklist.services import checklist_item_set
from apps.classrooms import services
from apps.classrooms.models import Membership
from apps.core.page_cache import content_changed
from apps.lessons.models import Lesson
from apps.lessons.services import lesson_mark_read
from apps.quizzes.services import attempt_start
from tests.factories import StudentFactory, TeacherFactory
from tests.helpers import answer_all, at_noon, join_class, quiz_for, reader_of

pytestmark = pytest.mark.django_db


def page(client, classroom, query: str = "") -> str:
    response = client.get(f"/en/classes/{classroom.pk}/{query}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def seen(login, teacher, classroom, member):
    """The teacher's browser, which has already seen the class page once (so it is cached). The member's
    reader exists before that view, so that only the change a test makes can move the page's version."""
    reader_of(member)
    client = login(teacher)
    page(client, classroom)
    return client


def test_an_unchanged_page_is_served_from_the_cache(seen, classroom):
    with CaptureQueriesContext(connection) as first:
        page(seen, classroom)
    with CaptureQueriesContext(connection) as second:
        page(seen, classroom)
    # Session, user, the class, and the one query of the page's version: no grid, no log, no teachers.
    assert len(first) == len(second) <= 4


def test_a_hit_has_a_fresh_csrf_token_of_its_own_session(seen, classroom, login, teacher):
    other_browser = login(teacher)
    body = page(other_browser, classroom)
    token = other_browser.cookies["csrftoken"].value
    assert seen.cookies["csrftoken"].value != token
    assert 'name="csrfmiddlewaretoken" value="' in body
    assert seen.cookies["csrftoken"].value not in body


def test_a_lesson_read_shows(seen, classroom, member):
    assert "0/3 lessons" in sara_row(page(seen, classroom))  # kept, before the change
    lesson_mark_read(reader=reader_of(member), lesson=Lesson.objects.filter(module__slug="alpha").first())
    assert "1/3 lessons" in sara_row(page(seen, classroom))


def sara_row(body: str) -> str:
    return body.split("sara", 1)[1].split("</tr>")[0]


def test_a_quiz_started_and_finished_shows(seen, classroom, member):
    assert "Not started" in sara_row(page(seen, classroom))
    attempt = attempt_start(quiz=quiz_for("alpha"), reader=reader_of(member))
    answer_all(attempt, right=8)
    assert "quiz <bdi" in sara_row(page(seen, classroom))


def test_a_checklist_tick_and_untick_show(seen, classroom, member):
    services.assignment_set(classroom=classroom, kind="checklist", due_date=None)
    Membership.objects.filter(student=member).update(share_checklist=True)
    item = ChecklistItem.objects.order_by("group__position", "position").first()
    assert "0 of " in page(seen, classroom)
    checklist_item_set(reader=reader_of(member), item=item, done=True)
    assert "1 of " in page(seen, classroom)
    checklist_item_set(reader=reader_of(member), item=item, done=False)
    assert "0 of " in page(seen, classroom)


def test_progress_brought_in_at_log_in_shows(seen, classroom, member):
    assert "0/3 lessons" in sara_row(page(seen, classroom))
    anonymous = Reader.objects.create()
    lesson_mark_read(reader=anonymous, lesson=Lesson.objects.filter(module__slug="alpha").first())
    account_services.reader_merge(source=anonymous, target=reader_of(member))
    assert "1/3 lessons" in sara_row(page(seen, classroom))


def test_an_account_deleted_shows(seen, classroom, member):
    assert "sara" in page(seen, classroom)
    account_services.user_delete(user=member)
    assert "sara" not in page(seen, classroom)


def test_members_joining_leaving_and_renamed_show(seen, classroom, member):
    (newcomer,) = join_class(classroom, "zaid")
    assert "zaid" in page(seen, classroom)
    newcomer.username = "zaid-h"  # only the admin renames an account
    newcomer.save()
    assert "zaid-h" in page(seen, classroom)
    account_services.user_display_name_set(user=newcomer, display_name="Zaid Haddad")
    assert "Zaid Haddad" in page(seen, classroom)
    services.membership_remove(classroom=classroom, student_id=newcomer.pk)
    assert "Zaid Haddad" not in page(seen, classroom)


def test_a_sharing_choice_shows(seen, classroom, member):
    services.assignment_set(classroom=classroom, kind="checklist", due_date=None)
    assert "Not shared" in sara_row(page(seen, classroom))
    services.membership_share_set(membership=Membership.objects.get(student=member), share=True)
    assert "Not shared" not in sara_row(page(seen, classroom))


def test_assignments_changed_and_removed_show(seen, classroom, beta, alpha):
    assignment = services.assignment_set(classroom=classroom, module=beta, due_date=None)
    assert beta.title in page(seen, classroom)
    services.assignment_set(classroom=classroom, module=beta, due_date=None, comment="Read it twice")
    assert "Read it twice" in page(seen, classroom)
    services.assignment_remove(classroom=classroom, assignment_id=assignment.pk)
    assert "Read it twice" not in page(seen, classroom)


def test_class_changes_show(seen, classroom, teacher):
    services.classroom_rename(classroom=classroom, actor=teacher, name="Year 10 B")
    classroom.refresh_from_db()
    assert "Year 10 B" in page(seen, classroom)
    old_code = classroom.join_code
    services.classroom_code_regenerate(classroom=classroom)
    classroom.refresh_from_db()
    body = page(seen, classroom)
    assert classroom.join_code in body and old_code not in body
    services.classroom_archive(classroom=classroom, actor=teacher)
    classroom.refresh_from_db()
    assert "This class is archived" in page(seen, classroom)


def test_a_co_teacher_added_shows(seen, classroom, teacher):
    colleague = TeacherFactory(username="colleague")
    services.co_teacher_add(classroom=classroom, actor=teacher, username="colleague")
    assert "colleague" in page(seen, classroom)
    services.co_teacher_remove(classroom=classroom, actor=teacher, teacher_id=colleague.pk)
    assert "colleague" not in page(seen, classroom).split('id="settings"', 1)[1].split("Class log")[0]


def test_each_teacher_gets_their_own_page(seen, classroom, teacher, login):
    colleague = TeacherFactory(username="colleague")
    services.co_teacher_add(classroom=classroom, actor=teacher, username="colleague")
    page(seen, classroom)
    body = page(login(colleague), classroom)
    assert f">{colleague.username}</a>" in body and f">{teacher.username}</a>" not in body


def test_a_due_date_passing_shows(login, teacher, classroom, member, alpha):
    services.assignment_set(classroom=classroom, module=alpha, due_date=datetime.date(2026, 3, 10))
    client = login(teacher)
    with at_noon(datetime.date(2026, 3, 10)):
        assert "Overdue" not in sara_row(page(client, classroom))
    with at_noon(datetime.date(2026, 3, 11)):
        assert "Overdue" in sara_row(page(client, classroom))


def test_content_edits_show(seen, classroom, alpha, django_capture_on_commit_callbacks):
    alpha.title_en = "Alpha, retitled"
    alpha.save()
    assert "Alpha, retitled" not in page(seen, classroom)  # saved behind the site's back: still cached
    with django_capture_on_commit_callbacks(execute=True):
        content_changed()
    assert "Alpha, retitled" in page(seen, classroom)


def test_sorting_and_language_are_separate_pages(seen, classroom):
    by_progress = page(seen, classroom, "?sort=progress")
    assert 'href="?sort=progress#progress" aria-current="true"' in by_progress
    assert 'href="?sort=progress#progress" aria-current="true"' not in page(seen, classroom)
    assert 'lang="ar"' in seen.get(f"/ar/classes/{classroom.pk}/").content.decode()


def test_a_message_waiting_is_shown_once_and_not_kept(seen, classroom):
    response = seen.post(f"/en/classes/{classroom.pk}/rename/", {"name": "Year 9 C"}, follow=True)
    assert "Year 9 C" in response.content.decode()
    messages = [str(m) for m in response.context["messages"]]
    assert messages and all(m not in page(seen, classroom) for m in messages)


def test_a_second_class_is_not_mixed_up(seen, teacher, classroom, alpha):
    other = services.classroom_create(teacher=teacher, name="Year 7 A")
    services.assignment_set(classroom=other, module=alpha, due_date=None)
    Membership.objects.create(classroom=other, student=StudentFactory(username="lina"))
    body = page(seen, other)
    assert "Year 7 A" in body and "lina" in body and "sara" not in body
