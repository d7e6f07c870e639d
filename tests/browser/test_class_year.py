"""A class over a school year, in the browser: confirmations with and without JavaScript, printed login
cards, archiving, and the class page on a phone in both languages."""

import re

import pytest

from apps.classrooms import services
from apps.classrooms.models import Membership
from apps.lessons.models import Module
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, StudentFactory, TeacherFactory

# A4 is 210 mm wide; with the 1 cm margins of print.css's @page, 190 mm of it is printed: 718 px at 96 dpi.
A4_PRINTABLE_PX = 718


@pytest.fixture
def class_with_students(transactional_db):
    teacher = TeacherFactory(username="ms-noor")
    classroom = services.classroom_create(teacher=teacher, name="Year 9 B")
    services.assignment_set(classroom=classroom, module=Module.objects.get(slug="alpha"), due_date=None)
    for name in ("yara", "omar-2"):
        Membership.objects.create(classroom=classroom, student=StudentFactory(username=name))
    return classroom


def test_the_confirmation_page_itself_is_accessible(page, class_with_students):
    log_in(page, "ms-noor", PASSWORD, lang="ar")
    student = Membership.objects.get(student__username="yara").student
    page.goto(f"{page.base}/ar/classes/{class_with_students.pk}/students/{student.pk}/remove/")
    assert_accessible(page)


def test_removing_a_student_asks_in_a_dialog_with_javascript(page, class_with_students):
    log_in(page, "ms-noor", PASSWORD)
    page.goto(f"{page.base}/en/classes/{class_with_students.pk}/")
    page.locator("tbody tr", has_text="yara").get_by_role("link", name="Remove yara").click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    assert "Remove yara from the class?" in dialog.inner_text()
    assert_accessible(page)
    dialog.get_by_role("button", name="Cancel").click()
    assert Membership.objects.filter(student__username="yara").exists()
    page.locator("tbody tr", has_text="yara").get_by_role("link", name="Remove yara").click()
    page.get_by_role("dialog").get_by_role("button", name="Remove from the class").click()
    page.get_by_text("Student removed from the class.").wait_for()
    assert not Membership.objects.filter(student__username="yara").exists()


def test_removing_a_student_asks_on_a_page_without_javascript(page_without_js, class_with_students):
    page = page_without_js
    log_in(page, "ms-noor", PASSWORD, lang="ar")
    page.goto(f"{page.base}/ar/classes/{class_with_students.pk}/")
    page.locator("tbody tr", has_text="yara").get_by_role("link", name="إزالة yara").click()
    page.wait_for_url("**/students/*/remove/")
    page.get_by_role("button", name="إزالة من الفصل").click()
    page.wait_for_url(f"**/ar/classes/{class_with_students.pk}/")
    assert not Membership.objects.filter(student__username="yara").exists()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_creating_accounts_shows_login_cards_to_print(page, page_without_js, class_with_students, javascript):
    page = page if javascript else page_without_js
    log_in(page, "ms-noor", PASSWORD)
    page.goto(f"{page.base}/en/classes/{class_with_students.pk}/")
    page.get_by_role("link", name="Create accounts for students who have none").click()
    page.get_by_label("Students' names, one per line").fill("Sara K.\nليلى م.")
    page.get_by_role("button", name="Create the accounts and show the cards").click()
    page.get_by_role("heading", name="Login cards").wait_for()
    assert page.locator(".login-card").count() == 2
    if javascript:
        assert_accessible(page)
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden() and page.locator(".login-card").first.is_visible()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_class_page_fits_a_phone_without_sideways_scroll(page, class_with_students, lang):
    for index in range(12):
        Membership.objects.create(
            classroom=class_with_students,
            student=StudentFactory(username=f"a-very-long-student-name-{index}"),
        )
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, "ms-noor", PASSWORD, lang=lang)
    page.goto(f"{page.base}/{lang}/classes/{class_with_students.pk}/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width == page.viewport_size["width"] == 360
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.progress-grid th[scope=row]')).position")
        == "sticky"
    )
    assert_accessible(page)


def test_archiving_hides_the_class_from_its_students(page, class_with_students):
    log_in(page, "ms-noor", PASSWORD)
    page.goto(f"{page.base}/en/classes/{class_with_students.pk}/")
    page.get_by_role("button", name="Archive the class").click()
    page.get_by_text("Class archived: it is read-only").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Log out").click()
    log_in(page, "yara", PASSWORD)
    page.goto(f"{page.base}/en/dashboard/")
    assert "Year 9 B" not in page.content()


def pdf_pages(pdf: bytes) -> int:
    """Pages in a PDF Chromium printed ("/Type /Page" objects, not the "/Type /Pages" tree)."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_twelve_login_cards_print_on_two_a4_sheets(page, class_with_students):
    log_in(page, "ms-noor", PASSWORD)
    page.goto(f"{page.base}/en/classes/{class_with_students.pk}/students/new/")
    names = "\n".join(f"Student {number} with a rather long family name" for number in range(12))
    page.get_by_label("Students' names, one per line").fill(names)
    page.get_by_role("button", name="Create the accounts and show the cards").click()
    page.get_by_role("heading", name="Login cards").wait_for()
    assert pdf_pages(page.pdf(format="A4")) == 2  # six cards, two by three, on each sheet


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_printed_checklist_fits_the_width_of_a4(page, lang):
    page.goto(f"{page.base}/{lang}/checklist/print/")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_PRINTABLE_PX, "height": 1000})
    assert page.evaluate("document.documentElement.scrollWidth") == A4_PRINTABLE_PX
