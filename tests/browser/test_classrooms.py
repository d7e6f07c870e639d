import pytest
from django.utils import translation

from apps.accounts.models import User
from apps.checklist.models import ChecklistGroup
from apps.classrooms import services
from apps.classrooms.models import Classroom, Membership
from apps.lessons.models import Lesson, LessonRead, Module
from apps.lessons.services import lesson_mark_read
from apps.pages.demo import DEMO_PASSWORD, demo_data_seed
from apps.quizzes.services import attempt_start
from tests.browser.conftest import answer_current, assert_accessible, log_in, screenshot
from tests.factories import PASSWORD, StudentFactory, TeacherFactory
from tests.helpers import answer_all, quiz_for, reader_of


def test_teacher_and_student_whole_story(page):
    TeacherFactory(username="ms-noor")
    StudentFactory(username="yara")
    log_in(page, "ms-noor", PASSWORD)
    page.get_by_role("link", name="My classes").click()
    page.get_by_label("Class name").fill("Year 9 B")
    page.get_by_role("button", name="Create class").click()
    page.get_by_role("heading", name="Year 9 B").wait_for()
    page.get_by_label("What to assign").select_option(label="Alpha: how traces add up")
    page.get_by_role("button", name="Assign", exact=True).click()
    page.get_by_text("Assignment saved.").wait_for()
    code = Classroom.objects.get(name="Year 9 B").join_code
    class_url = page.url.split("#")[0]
    page.get_by_role("button", name="Log out").click()

    log_in(page, "yara", PASSWORD)
    page.get_by_role("link", name="Dashboard").click()
    page.get_by_label("Class code").fill(code.lower())
    page.get_by_role("button", name="Join", exact=True).click()
    page.get_by_text("You joined “Year 9 B”.").wait_for()
    page.get_by_role("link", name="Continue:").first.click()
    page.get_by_role("button", name="Mark as read").click()
    page.get_by_text("You have read this lesson.").wait_for()
    page.goto(f"{page.base}/en/modules/alpha/quiz/")
    page.get_by_role("button", name="Start the quiz").click()
    for number in range(8):
        answer_current(page, right=number < 6)
        page.locator(".feedback").wait_for()
        page.locator("#question-card a.button").click()
    page.wait_for_url("**/results/")
    page.get_by_role("button", name="Log out").click()

    log_in(page, "ms-noor", PASSWORD)
    page.goto(class_url)
    row = page.locator("tbody tr", has_text="yara")
    assert "1/3 lessons" in row.inner_text()
    assert "quiz 75%" in row.inner_text()
    assert "In progress" in row.inner_text()
    assert page.locator(".stats-table tbody tr").count() == 8
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_class_pages_have_no_accessibility_violations(page, shipped_content, lang):
    demo_data_seed()
    log_in(page, "teacher", DEMO_PASSWORD, lang=lang)
    page.goto(f"{page.base}/{lang}/classes/")
    assert_accessible(page)
    page.locator(".class-cards a").first.click()
    page.locator(".progress-grid").wait_for()
    assert_accessible(page)
    screenshot(page, f"class-{lang}")
    page.goto(page.url + "summary/")
    assert_accessible(page)
    page.get_by_role("button", name="Log out" if lang == "en" else "تسجيل الخروج").click()
    log_in(page, "student2", DEMO_PASSWORD, lang=lang)
    page.goto(f"{page.base}/{lang}/dashboard/")
    assert page.locator(".status-overdue").count() == 1
    assert_accessible(page)
    page.goto(f"{page.base}/{lang}/join/")
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_teacher_opens_a_students_page_from_the_grid(page, page_without_js, lang, javascript):
    page = page if javascript else page_without_js
    teacher = TeacherFactory(username="ms-noor")
    student = StudentFactory(username="yara", display_name="Yara K.")
    classroom = services.classroom_create(teacher=teacher, name="Year 9 B")
    services.assignment_set(classroom=classroom, module=Module.objects.get(slug="alpha"), due_date=None)
    Membership.objects.create(classroom=classroom, student=student, share_checklist=True)
    lesson_mark_read(reader=reader_of(student), lesson=Lesson.objects.filter(module__slug="alpha").first())
    answer_all(attempt_start(quiz=quiz_for("alpha"), reader=reader_of(student)), right=5)

    log_in(page, "ms-noor", PASSWORD, lang=lang)
    page.goto(f"{page.base}/{lang}/classes/{classroom.pk}/")
    page.locator("tbody th[scope=row]").get_by_role("link", name="yara").click()
    page.get_by_role("heading", level=1, name="Yara K.").wait_for()
    assert page.locator("article.student-attempt").count() == 1
    assert page.locator(".student-answers .badge").count() == 8
    if javascript:  # axe-core runs as script in the page: the same HTML is scanned in the run with it
        assert_accessible(page)
    page.go_back()
    page.locator("a.cell-link").first.click()
    page.wait_for_url(f"**/{lang}/classes/{classroom.pk}/students/{student.pk}/#module-alpha")
    assert page.locator("#module-alpha h2").is_visible()
    if javascript:
        assert_accessible(page)


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_teacher_assigns_one_lesson_and_one_platform_and_the_student_does_them(
    page, page_without_js, lang, javascript
):
    page = page if javascript else page_without_js
    teacher = TeacherFactory(username="ms-noor")
    StudentFactory(username="yara")
    classroom = services.classroom_create(teacher=teacher, name="Year 9 B")
    habits = Lesson.objects.get(module__slug="beta", slug="habits")
    with translation.override(lang):
        lesson_title, platform_label = habits.title, f"{ChecklistGroup.objects.get(slug='photobook').title}"

    log_in(page, "ms-noor", PASSWORD, lang=lang)
    page.goto(f"{page.base}/{lang}/classes/{classroom.pk}/")
    work = page.locator("select[name=work]")
    work.select_option(label=lesson_title)
    page.locator("#assignments form.stack-form button[type=submit]").click()
    page.locator(".assignment-item").first.wait_for()
    work.select_option(value=f"checklist-{ChecklistGroup.objects.get(slug='photobook').pk}")
    page.locator("#assignments form.stack-form button[type=submit]").click()
    # A locator, not wait_for_function: its polling would evaluate a string, which our CSP forbids.
    page.locator(".assignment-item").nth(1).wait_for()
    assert page.locator(".assignment-item").count() == 2
    if javascript:
        assert_accessible(page)
    page.locator("form[action$='/logout/'] button").click()

    Membership.objects.create(classroom=classroom, student=User.objects.get(username="yara"))
    log_in(page, "yara", PASSWORD, lang=lang)
    page.goto(f"{page.base}/{lang}/dashboard/")
    cards = page.locator(".assignment-card")
    assert cards.count() == 2
    assert platform_label in cards.nth(1).inner_text()
    if javascript:
        assert_accessible(page)
    cards.nth(0).locator("a.button").click()
    page.wait_for_url(f"**{habits.get_absolute_url().removeprefix('/en')}")
    page.locator("form.read-form button[type=submit]").click()
    for _ in range(50):  # with JavaScript the mark is an htmx request: wait until it is stored
        if LessonRead.objects.filter(lesson=habits).exists():
            break
        page.wait_for_timeout(100)
    page.goto(f"{page.base}/{lang}/dashboard/")
    assert (
        page.locator(".assignment-card")
        .nth(0)
        .locator(".status-badge")
        .inner_text()
        .strip()
        .endswith("Done" if lang == "en" else "تم")
    )
