import csv
import datetime
import io

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from apps.checklist.models import ChecklistItem, ChecklistTick, PathReport, UsedPlatform
from apps.checklist.services import checklist_item_set
from tests.conftest import logged_in_clients, run_concurrently
from tests.core.test_views import assert_csp_clean
from tests.factories import ChecklistGroupFactory, ChecklistItemFactory, StudentFactory

pytestmark = pytest.mark.django_db


def fb_item() -> ChecklistItem:
    return ChecklistItem.objects.select_related("group").filter(group__slug="facebook").first()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_overview_and_group_pages(client, lang):
    for url in [f"/{lang}/checklist/", f"/{lang}/checklist/facebook/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert_csp_clean(response.content.decode())


def test_tick_without_javascript_sets_done_and_redirects(student_client, student):
    item = fb_item()
    response = student_client.post(item.get_absolute_url(), {"state": ["not-done", "done"]})
    assert response.status_code == 302
    assert response.url == f"/en/checklist/facebook/#item-{item.key}"
    assert ChecklistTick.objects.filter(user=student, item=item).count() == 1


def test_tick_with_htmx_returns_item_and_both_bars(student_client, student):
    item = fb_item()
    total = ChecklistItem.objects.filter(group__slug="facebook").count()
    response = student_client.post(
        item.get_absolute_url(), {"state": ["not-done", "done"]}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert f'id="item-{item.key}"' in body and " checked" in body
    assert f'<progress max="{total}" value="1"' in body
    assert 'id="overall-progress"' in body and body.count('hx-swap-oob="true"') == 3
    assert 'aria-live="polite"' in body and "marked as done" in body


def test_set_not_flip(student_client, student):
    item = fb_item()
    for _ in range(3):
        student_client.post(item.get_absolute_url(), {"state": ["not-done", "done"]})
    assert ChecklistTick.objects.filter(user=student, item=item).count() == 1
    for _ in range(2):
        student_client.post(item.get_absolute_url(), {"state": ["not-done"]})
    assert not ChecklistTick.objects.filter(user=student, item=item).exists()


@pytest.mark.parametrize("state", [[], ["yes"], ["done", "maybe"], ["DONE"], ["1"]])
def test_bad_state_is_400_and_changes_nothing(student_client, student, state):
    item = fb_item()
    response = student_client.post(item.get_absolute_url(), {"state": state})
    assert response.status_code == 400
    assert "done" in response.content.decode()
    assert not ChecklistTick.objects.exists()


def test_unknown_group_or_item_is_404(student_client):
    assert student_client.get("/en/checklist/myspace/").status_code == 404
    assert student_client.post("/en/checklist/facebook/no-such-item/", {"state": "done"}).status_code == 404


def test_item_through_another_groups_url_is_refused(student_client):
    tiktok_item = ChecklistItem.objects.filter(group__slug="tiktok").first()
    if ChecklistItem.objects.filter(group__slug="facebook", key=tiktok_item.key).exists():
        pytest.skip("same key in both groups")
    response = student_client.post(f"/en/checklist/facebook/{tiktok_item.key}/", {"state": "done"})
    assert response.status_code == 404
    assert not ChecklistTick.objects.exists()


def test_missing_csrf_is_refused(student):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    assert client.post(fb_item().get_absolute_url(), {"state": "done"}).status_code == 403
    assert not ChecklistTick.objects.exists()


def test_anonymous_ticks_merge_into_the_account_as_a_union(password):
    user = StudentFactory(username="ticker")
    items = list(ChecklistItem.objects.select_related("group")[:3])
    checklist_item_set(owner=user, item=items[0], done=True)
    client = Client()
    for item in items[:2]:
        client.post(item.get_absolute_url(), {"state": "done"})
    client.post("/en/accounts/login/", {"username": "ticker", "password": password})
    assert set(ChecklistTick.objects.filter(user=user).values_list("item_id", flat=True)) == {
        items[0].pk,
        items[1].pk,
    }


def test_due_for_review_after_180_days(student_client, student):
    item = fb_item()
    with time_machine.travel(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), tick=False):
        checklist_item_set(owner=student, item=item, done=True)
    with time_machine.travel(datetime.datetime(2026, 6, 29, tzinfo=datetime.UTC), tick=False):  # 179 days
        assert "Due for review" not in student_client.get("/en/checklist/facebook/").content.decode()
    with time_machine.travel(datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC), tick=False):  # 181 days
        body = student_client.get("/en/checklist/facebook/").content.decode()
        assert "Due for review" in body
        assert "1 due for review" in student_client.get("/en/checklist/").content.decode()
        student_client.post(item.get_absolute_url(), {"state": "done", "reconfirm": "1"})
        assert ChecklistTick.objects.get(user=student, item=item).done_at == timezone.now()
        assert "Due for review" not in student_client.get("/en/checklist/facebook/").content.decode()


def test_platform_choice_is_remembered_and_shown_first(student_client, student):
    tiktok = ChecklistItem.objects.filter(group__slug="tiktok").first().group
    response = student_client.post("/en/checklist/", {"platforms": [tiktok.pk]})
    assert response.status_code == 302
    assert list(UsedPlatform.objects.filter(user=student).values_list("group__slug", flat=True)) == ["tiktok"]
    body = student_client.get("/en/checklist/").content.decode()
    assert body.index('href="/en/checklist/tiktok/"') < body.index('href="/en/checklist/facebook/"')


def test_platform_choice_refuses_unknown_ids(student_client):
    assert student_client.post("/en/checklist/", {"platforms": ["99999"]}).status_code == 400
    assert not UsedPlatform.objects.exists()


def test_report_a_moved_menu_once_per_reader(student_client, student):
    item = fb_item()
    url = f"/en/checklist/facebook/{item.key}/report/"
    assert student_client.get(url).status_code == 200
    student_client.post(url, {"note": "It is under Privacy now"})
    student_client.post(url, {"note": "Actually under Settings"})
    report = PathReport.objects.get(user=student, item=item)
    assert report.note == "Actually under Settings"
    assert student_client.post(url, {"note": "x" * 600}).status_code == 422


def test_report_needs_an_account(client):
    response = client.get(f"/en/checklist/facebook/{fb_item().key}/report/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_print_view_and_csv(student_client, student):
    item = fb_item()
    checklist_item_set(owner=student, item=item, done=True)
    body = student_client.get("/ar/checklist/print/").content.decode()
    assert item.title_ar in body and 'lang="ar"' in body
    response = student_client.get("/ar/checklist/export.csv")
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content[1:])))
    assert len(rows) == ChecklistItem.objects.count() + 1
    done_rows = [row for row in rows if row[1] == item.title_ar]
    assert done_rows and done_rows[0][0] == "فيسبوك"


def _groups(count: int) -> None:
    for _ in range(count):
        ChecklistItemFactory.create_batch(2, group=ChecklistGroupFactory())


def test_overview_query_count_is_constant(student_client, student, django_assert_max_num_queries):
    checklist_item_set(owner=student, item=fb_item(), done=True)
    with django_assert_max_num_queries(8) as seven:
        student_client.get("/en/checklist/")
    _groups(63)
    with django_assert_max_num_queries(len(seven.captured_queries)):
        response = student_client.get("/en/checklist/")
    assert response.content.decode().count("<progress") == 71


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_ticks_store_one_row(content):
    student = StudentFactory()
    item = fb_item()
    clients = logged_in_clients(student, 6)
    results = run_concurrently(
        [lambda c=c: c.post(item.get_absolute_url(), {"state": "done"}).status_code for c in clients]
    )
    assert results == [302] * 6
    assert ChecklistTick.objects.filter(user=student, item=item).count() == 1


@pytest.mark.django_db(transaction=True)
def test_opposite_states_in_a_race_end_in_one_of_them_without_error(content):
    student = StudentFactory()
    item = fb_item()
    clients = logged_in_clients(student, 6)
    states = ["done", "not-done"] * 3
    results = run_concurrently(
        [
            lambda c=c, s=s: c.post(item.get_absolute_url(), {"state": s}).status_code
            for c, s in zip(clients, states, strict=True)
        ]
    )
    assert results == [302] * 6
    assert ChecklistTick.objects.filter(user=student, item=item).count() in (0, 1)
    # The state now is what the last request asked for.
    clients[0].post(item.get_absolute_url(), {"state": "not-done"})
    assert not ChecklistTick.objects.filter(user=student, item=item).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_reports_keep_one_per_reader(content):
    student = StudentFactory()
    item = fb_item()
    url = f"/en/checklist/facebook/{item.key}/report/"
    clients = logged_in_clients(student, 4)
    results = run_concurrently([lambda c=c: c.post(url, {"note": "moved"}).status_code for c in clients])
    assert results == [302] * 4
    assert PathReport.objects.filter(user=student, item=item).count() == 1
