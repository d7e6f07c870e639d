"""The checklist pages over HTTP, on the fixture checklist (`everywhere`: public-or-private,
strong-password; `photobook`: private-account, tag-approval, ad-partners)."""

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import Reader
from apps.accounts.readers import SESSION_KEY
from apps.checklist.models import ChecklistGroup, ChecklistItem, ChecklistTick, PathReport, UsedPlatform
from apps.checklist.services import checklist_item_set, checklist_platforms_set
from apps.core.page_cache import content_changed
from tests.factories import PASSWORD, ChecklistGroupFactory, ChecklistItemFactory, StudentFactory
from tests.helpers import assert_csp_clean, logged_in_clients, reader_of, run_concurrently

pytestmark = pytest.mark.django_db
# Races run on a transactional database; the fixture content comes back from the snapshot.
RACE = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OVERVIEW = "/en/checklist/"
EVERYWHERE = "/en/checklist/everywhere/"
PHOTOBOOK = "/en/checklist/photobook/"
JAN = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def item(key: str = "strong-password") -> ChecklistItem:
    return ChecklistItem.objects.select_related("group").get(key=key)


def tick(client: Client, key: str = "strong-password", state=("not-done", "done"), **headers):
    return client.post(item(key).get_absolute_url(), {"state": list(state)}, **headers)


def ticked(reader: Reader) -> set[str]:
    return set(ChecklistTick.objects.filter(reader=reader).values_list("item__key", flat=True))


def anonymous_reader(client: Client) -> Reader:
    return Reader.objects.get(pk=client.session[SESSION_KEY], user__isnull=True)


def item_row(body: str, key: str) -> str:
    """The markup of one item on a group page or in a fragment, up to the next item or the list's end."""
    start = body.index(f'<li id="item-{key}"')
    ends = [i for i in (body.find('<li id="item-', start + 1), body.find("</ol>\n<p>", start)) if i > 0]
    return body[start : min(ends, default=len(body))]


def is_ticked(row: str) -> bool:
    return bool(re.search(r'name="state" value="done" checked', row))


# Pages


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("page", ["", "everywhere/", "photobook/", "print/"])
def test_pages_in_both_languages(client, lang, page):
    response = client.get(f"/{lang}/checklist/{page}")
    body = response.content.decode()
    assert response.status_code == 200 and f'<html lang="{lang}"' in body
    assert_csp_clean(body)
    assert not Reader.objects.exists()


def test_the_group_page_lists_its_items_in_order_with_steps_and_links(client):
    body = client.get(PHOTOBOOK).content.decode()
    keys = re.findall(r'<li id="item-([a-z-]+)"', body)
    assert keys == ["private-account", "tag-approval", "ad-partners"]
    row = item_row(body, "private-account")
    assert "Open settings" in row and "Change private-account" in row
    assert 'href="https://help.photobook.example/private-account"' in row
    assert 'href="/en/modules/beta/settings/"' in row
    assert 'href="/en/checklist/photobook/private-account/report/"' in row
    assert "To do" in row and not is_ticked(row)


def test_an_arabic_reader_gets_the_arabic_help_page_where_the_platform_has_one(client):
    english = client.get(PHOTOBOOK).content.decode()
    assert 'href="https://help.photobook.example/private-account"' in item_row(english, "private-account")
    assert "(in English)" not in english and "hreflang" not in item_row(english, "tag-approval")
    arabic = client.get(PHOTOBOOK.replace("/en/", "/ar/")).content.decode()
    assert 'href="https://help.photobook.example/ar/private-account"' in item_row(arabic, "private-account")
    assert "hreflang" not in item_row(arabic, "private-account")
    fallback = item_row(arabic, "tag-approval")
    assert (
        'href="https://help.photobook.example/tag-approval" rel="noopener noreferrer" hreflang="en"'
        in fallback
    )
    assert "(بالإنجليزية)" in fallback


def test_an_unconfirmed_path_says_so_instead_of_a_check_date(client):
    body = client.get(PHOTOBOOK).content.decode()
    assert "Path not confirmed" in item_row(body, "ad-partners")
    assert "Path checked on" not in item_row(body, "ad-partners")
    assert "Path checked on 26 November 2026" in item_row(body, "private-account")
    assert "Path not confirmed" not in item_row(body, "private-account")


def test_unknown_group_or_item_is_404(student_client, student):
    assert student_client.get("/en/checklist/myspace/").status_code == 404
    assert tick(student_client, "ad-partners").status_code == 302
    for url in ["/en/checklist/photobook/no-such-item/", "/en/checklist/myspace/ad-partners/"]:
        assert student_client.post(url, {"state": "done"}).status_code == 404
    assert ticked(reader_of(student)) == {"ad-partners"}


def test_an_item_through_another_groups_url_is_404(client):
    response = client.post("/en/checklist/everywhere/ad-partners/", {"state": "done"})
    assert response.status_code == 404
    assert not ChecklistTick.objects.exists() and not Reader.objects.exists()


def test_an_item_url_takes_only_post(client):
    assert client.get(item().get_absolute_url()).status_code == 405


# Ticks


def test_an_anonymous_tick_is_stored_against_the_browsers_reader(client):
    response = tick(client)
    assert response.status_code == 302
    assert response.url == "/en/checklist/everywhere/#item-strong-password"
    reader = anonymous_reader(client)
    assert ticked(reader) == {"strong-password"}
    tick(client, "ad-partners")
    assert ticked(reader) == {"strong-password", "ad-partners"} and Reader.objects.count() == 1
    row = item_row(client.get(EVERYWHERE).content.decode(), "strong-password")
    assert is_ticked(row) and "is-done" in row
    assert not is_ticked(Client().get(EVERYWHERE).content.decode())


def test_a_signed_in_tick_is_stored_against_the_accounts_reader(student_client, student):
    assert tick(student_client).status_code == 302
    assert ticked(reader_of(student)) == {"strong-password"}
    assert Reader.objects.count() == 1 and SESSION_KEY not in student_client.session


def test_a_tick_with_htmx_returns_the_item_both_bars_and_the_announcement(student_client):
    response = tick(student_client, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    row = item_row(body, "strong-password")
    assert is_ticked(row) and "is-done" in row
    assert re.search(
        r'id="group-progress"[^>]*>\s*<span[^>]*>Everywhere: <bdi class="num">1 of 2</bdi> done', body
    )
    assert re.search(
        r'id="overall-progress"[^>]*>\s*<span[^>]*>All platforms: <bdi class="num">1 of 5</bdi>', body
    )
    assert '<progress max="2" value="1"' in body and '<progress max="5" value="1"' in body
    assert "“everywhere setting 2: strong-password” marked as done. 1 of 2 done on Everywhere." in body


def test_untick_with_htmx_announces_not_done(student_client):
    tick(student_client)
    body = tick(student_client, state=["not-done"], HTTP_HX_REQUEST="true").content.decode()
    assert "marked as not done. 0 of 2 done on Everywhere." in body
    assert not is_ticked(item_row(body, "strong-password"))


@pytest.mark.parametrize(
    "state,done",
    [
        (["not-done", "done"], True),
        (["done"], True),
        (["not-done"], False),
        (["done", "not-done"], False),
        (["not-done", "done", "not-done"], False),
    ],
)
def test_the_last_state_wins(student_client, student, state, done):
    tick(student_client, "public-or-private")
    tick(student_client, state=state)
    assert ticked(reader_of(student)) == (
        {"public-or-private", "strong-password"} if done else {"public-or-private"}
    )


def test_setting_not_flipping(student_client, student):
    for _ in range(3):
        tick(student_client)
    assert ChecklistTick.objects.filter(reader=reader_of(student)).count() == 1
    for _ in range(2):
        tick(student_client, state=["not-done"])
    assert not ChecklistTick.objects.exists()


@pytest.mark.parametrize("state", [[], [""], ["yes"], ["done", "maybe"], ["DONE"], ["1"], ["done" * 1000]])
@pytest.mark.parametrize("signed_in", [True, False], ids=["account", "anonymous"])
def test_a_bad_state_is_400_and_changes_nothing(client, student, state, signed_in):
    if signed_in:
        client.force_login(student)
    response = tick(client, state=state)
    assert response.status_code == 400
    assert "done" in response.content.decode()
    assert not ChecklistTick.objects.exists() and not Reader.objects.exists()


def test_a_missing_csrf_token_is_refused(student):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    assert tick(client).status_code == 403
    assert (
        client.post(OVERVIEW, {"platforms": [ChecklistGroup.objects.get(slug="photobook").pk]}).status_code
        == 403
    )
    assert not ChecklistTick.objects.exists() and not UsedPlatform.objects.exists()


# Review


def test_an_item_is_due_for_review_after_180_days_and_reconfirming_restarts_the_clock(
    student_client, student
):
    with time_machine.travel(JAN, tick=False):
        tick(student_client)
    with time_machine.travel(JAN + datetime.timedelta(days=179), tick=False):
        body = student_client.get(EVERYWHERE).content.decode()
        assert "Due for review" not in body and "I checked it again" not in body
    with time_machine.travel(JAN + datetime.timedelta(days=181), tick=False):
        body = student_client.get(EVERYWHERE).content.decode()
        row = item_row(body, "strong-password")
        assert "Due for review" in row and "I checked it again" in row and "is-due" in row
        assert "1 due for review" in student_client.get(OVERVIEW).content.decode()
        response = student_client.post(item().get_absolute_url(), {"state": "done", "reconfirm": "1"})
        assert response.status_code == 302
        tick_row = ChecklistTick.objects.get(reader=reader_of(student))
        assert tick_row.done_at == JAN + datetime.timedelta(days=181)
        assert "Due for review" not in student_client.get(EVERYWHERE).content.decode()
        assert "1 due for review" not in student_client.get(OVERVIEW).content.decode()


def backdate(reader: Reader, key: str, days: int) -> datetime.datetime:
    """Tick (or re-tick) an item for `reader` as if done `days` ago. Requests stay at the real time:
    an anonymous session started in a time-travelled past would have expired by now."""
    when = timezone.now() - datetime.timedelta(days=days)
    with time_machine.travel(when, tick=False):
        checklist_item_set(reader=reader, item=item(key), done=True, reconfirm=True)
    return when


def test_ticking_again_without_reconfirm_keeps_the_clock(client):
    tick(client)
    when = backdate(anonymous_reader(client), "strong-password", days=181)
    tick(client)
    assert ChecklistTick.objects.get().done_at == when
    assert "Due for review" in item_row(client.get(EVERYWHERE).content.decode(), "strong-password")


def test_an_anonymous_reader_reconfirms_with_htmx(client):
    tick(client)
    backdate(anonymous_reader(client), "strong-password", days=200)
    assert "1 due for review" in client.get(OVERVIEW).content.decode()
    before = timezone.now()
    response = client.post(
        item().get_absolute_url(), {"state": "done", "reconfirm": "1"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "Due for review" not in item_row(body, "strong-password") and "1 due for review" not in body
    assert ChecklistTick.objects.get().done_at >= before


# Platforms


def _platforms(reader: Reader) -> list[str]:
    return list(UsedPlatform.objects.filter(reader=reader).values_list("group__slug", flat=True))


@pytest.mark.parametrize("signed_in", [True, False], ids=["account", "anonymous"])
def test_the_platform_choice_is_remembered_and_shown_first(client, student, signed_in):
    if signed_in:
        client.force_login(student)
    chirper = ChecklistGroupFactory(slug="chirper", position=0)
    ChecklistItemFactory(group=chirper)
    photobook = ChecklistGroup.objects.get(slug="photobook")
    body = client.get(OVERVIEW).content.decode()
    assert body.index('href="/en/checklist/chirper/"') < body.index(PHOTOBOOK)
    response = client.post(OVERVIEW, {"platforms": [photobook.pk]})
    assert response.status_code == 302 and response.url == OVERVIEW
    reader = reader_of(student) if signed_in else anonymous_reader(client)
    assert _platforms(reader) == ["photobook"] and Reader.objects.count() == 1
    body = client.get(OVERVIEW).content.decode()
    assert "Saved: your platforms come first." in body
    assert body.index(PHOTOBOOK) < body.index('href="/en/checklist/chirper/"')
    assert re.search(rf'value="{photobook.pk}"[^>]*checked', body)
    assert client.post(OVERVIEW, {}).status_code == 302
    assert _platforms(reader) == []


def test_everywhere_is_not_a_platform_to_choose(client):
    everywhere = ChecklistGroup.objects.get(slug="everywhere")
    assert client.post(OVERVIEW, {"platforms": [everywhere.pk]}).status_code == 400
    assert f'value="{everywhere.pk}"' not in client.get(OVERVIEW).content.decode()


@pytest.mark.parametrize(
    "value", ["99999", "9223372036854775808", "99999999999999999999999", "-1", "abc", "", "1" * 5000]
)
@pytest.mark.parametrize("signed_in", [True, False], ids=["account", "anonymous"])
def test_the_platform_choice_refuses_unknown_ids(client, student, value, signed_in):
    if signed_in:
        client.force_login(student)
        checklist_platforms_set(
            reader=reader_of(student), groups=[ChecklistGroup.objects.get(slug="photobook")]
        )
    response = client.post(OVERVIEW, {"platforms": [value]})
    assert response.status_code == 400 and "Choose platforms from the list." in response.content.decode()
    assert _platforms(reader_of(student)) == (["photobook"] if signed_in else [])
    assert Reader.objects.filter(user__isnull=True).count() == 0


# Print and CSV


def one_done_one_due(client: Client, student, *, signed_in: bool) -> datetime.datetime:
    """As the account or as an anonymous browser: strong-password done now, ad-partners done 200 days
    ago and so due for review. Returns when ad-partners was done."""
    if signed_in:
        client.force_login(student)
    tick(client, "ad-partners")
    tick(client, "strong-password")
    return backdate(reader_of(student) if signed_in else anonymous_reader(client), "ad-partners", days=200)


@pytest.mark.parametrize("signed_in", [True, False], ids=["account", "anonymous"])
def test_the_print_page_shows_every_item_with_its_state(client, student, signed_in):
    one_done_one_due(client, student, signed_in=signed_in)
    body = client.get("/en/checklist/print/").content.decode()
    assert '<bdi class="num">2 of 5</bdi> done' in body
    assert 'Everywhere (<bdi class="num">1 of 2</bdi>)' in body
    assert 'Photobook (<bdi class="num">1 of 3</bdi>)' in body
    assert "Due for review:</strong> photobook setting 3: ad-partners" in body
    assert "Done:</strong> everywhere setting 2: strong-password" in body
    assert "To do:</strong> everywhere setting 1: public-or-private" in body
    assert "Open settings › Open privacy › Change tag-approval" in body
    assert "https://help.photobook.example/tag-approval" in body


def test_the_print_page_in_arabic(client):
    tick(client, "private-account")
    body = client.get("/ar/checklist/print/").content.decode()
    assert 'lang="ar"' in body and "إعداد 1 في فوتوبوك" in body and "افتح الإعدادات › افتح الخصوصية" in body


def _csv(client: Client, lang: str = "en") -> tuple[object, list[list[str]]]:
    response = client.get(f"/{lang}/checklist/export.csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return response, list(csv.reader(io.StringIO(text[1:], newline="")))


@pytest.mark.parametrize("signed_in", [True, False], ids=["account", "anonymous"])
def test_the_csv_export_lists_every_item_with_its_state(client, student, signed_in):
    due = one_done_one_due(client, student, signed_in=signed_in)
    done = ChecklistTick.objects.get(item__key="strong-password").done_at
    response, rows = _csv(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"] == 'attachment; filename="data-trail-checklist.csv"'
    assert rows[0] == ["Platform", "Setting", "Status", "Done on", "Where to find it", "Help page"]
    assert rows[1] == [
        "Everywhere",
        "everywhere setting 1: public-or-private",
        "To do",
        "",
        "Open settings > Open privacy > Change public-or-private",
        "https://help.example.org/public-or-private",
    ]
    assert rows[2][:4] == ["Everywhere", "everywhere setting 2: strong-password", "Done", short_date(done)]
    assert rows[5][:4] == ["Photobook", "photobook setting 3: ad-partners", "Due for review", short_date(due)]
    assert len(rows) == 6


def short_date(when: datetime.datetime) -> str:
    return when.strftime("%m/%d/%Y")


def test_the_csv_export_in_arabic(client):
    tick(client, "private-account")
    _response, rows = _csv(client, "ar")
    assert rows[3][:2] == ["فوتوبوك", "إعداد 1 في فوتوبوك"]
    assert rows[3][4] == "افتح الإعدادات > افتح الخصوصية > غيّر الإعداد"
    assert rows[3][5] == "https://help.photobook.example/ar/private-account"
    assert rows[0][0] == "المنصة" and not any(re.search("[A-Za-z]", header) for header in rows[0])


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(client, start):
    title = f'{start}HYPERLINK("https://evil.example","x")'
    ChecklistItemFactory(
        group=ChecklistGroupFactory(title_en=f"{start}cmd|' /C calc'!A0"),
        title_en=title,
        steps_en=[f"{start}1+1"],
    )
    _response, rows = _csv(client)
    row = next(r for r in rows if r[1].endswith('HYPERLINK("https://evil.example","x")'))
    assert row[1] == "'" + title
    assert row[0] == f"'{start}cmd|' /C calc'!A0"
    assert row[4] == f"'{start}1+1"
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for cell in r)


def test_csv_cells_with_formula_characters_inside_stay_as_they_are(client):
    ChecklistItemFactory(title_en="Name = value + more @ home")
    _response, rows = _csv(client)
    assert [r[1] for r in rows if r[1].startswith("Name")] == ["Name = value + more @ home"]


# Reports


def test_reporting_a_moved_menu_needs_an_account(client):
    url = "/en/checklist/photobook/ad-partners/report/"
    for response in (client.get(url), client.post(url, {"note": "moved"})):
        assert response.status_code == 302 and response.url.startswith("/en/accounts/login/?next=")
    assert not PathReport.objects.exists() and not Reader.objects.exists()


def test_a_report_is_stored_once_per_reader_and_updated(student_client, student):
    url = "/en/checklist/photobook/ad-partners/report/"
    response = student_client.get(url)
    assert (
        response.status_code == 200
        and "Open settings › Open privacy › Change ad-partners" in response.content.decode()
    )
    response = student_client.post(url, {"note": "It is under Privacy now"})
    assert response.status_code == 302 and response.url == "/en/checklist/photobook/#item-ad-partners"
    student_client.post(url, {"note": "Actually under Settings"})
    report = PathReport.objects.get()
    assert report.reader == reader_of(student) and report.item == item("ad-partners")
    assert report.note == "Actually under Settings"
    assert "Thank you." in student_client.get(PHOTOBOOK).content.decode()


def test_a_report_may_have_no_note(student_client):
    assert student_client.post("/en/checklist/photobook/ad-partners/report/", {}).status_code == 302
    assert PathReport.objects.get().note == ""


def test_a_too_long_report_is_422_and_stores_nothing(student_client):
    url = "/en/checklist/photobook/ad-partners/report/"
    student_client.post(url, {"note": "first"})
    response = student_client.post(url, {"note": "x" * 501})
    assert response.status_code == 422 and "<html" in response.content.decode()
    assert PathReport.objects.get().note == "first"


def test_a_report_on_an_unknown_item_is_404(student_client):
    assert student_client.get("/en/checklist/photobook/nope/report/").status_code == 404
    assert (
        student_client.post("/en/checklist/everywhere/ad-partners/report/", {"note": "x"}).status_code == 404
    )
    assert not PathReport.objects.exists()


# Merging at log-in


def test_anonymous_ticks_and_platforms_merge_into_the_account_at_log_in(client, student):
    account = reader_of(student)
    tick(client, "strong-password")
    tick(client, "private-account")
    tick(client, "ad-partners")
    anonymous = anonymous_reader(client)
    older = backdate(anonymous, "ad-partners", days=20)
    account_times = {
        key: backdate(account, key, days=10) for key in ("strong-password", "ad-partners", "tag-approval")
    }
    newer = ChecklistTick.objects.get(reader=anonymous, item__key="strong-password").done_at
    only_anonymous = ChecklistTick.objects.get(reader=anonymous, item__key="private-account").done_at
    client.post(OVERVIEW, {"platforms": [ChecklistGroup.objects.get(slug="photobook").pk]})
    response = client.post("/en/accounts/login/", {"username": student.username, "password": PASSWORD})
    assert response.status_code == 302
    done = dict(ChecklistTick.objects.filter(reader=account).values_list("item__key", "done_at"))
    assert done == {
        "strong-password": newer,  # both: the later tick wins
        "ad-partners": account_times["ad-partners"],  # both: the account's is later
        "tag-approval": account_times["tag-approval"],  # only the account's
        "private-account": only_anonymous,  # only the browser's
    }
    assert older < account_times["ad-partners"] and account_times["strong-password"] < newer
    assert _platforms(account) == ["photobook"]
    assert not ChecklistTick.objects.filter(reader=anonymous).exists()
    assert not UsedPlatform.objects.filter(reader=anonymous).exists()
    assert is_ticked(item_row(client.get(PHOTOBOOK).content.decode(), "private-account"))


# Query counts


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("signed_in", [True, False], ids=["account", "anonymous"])
def test_overview_and_group_pages_take_as_many_queries_at_any_size(
    client, student, signed_in, django_capture_on_commit_callbacks
):
    if signed_in:
        client.force_login(student)
    tick(client, "ad-partners")
    client.post(OVERVIEW, {"platforms": [ChecklistGroup.objects.get(slug="photobook").pk]})
    small = (
        _queries(client, OVERVIEW),
        _queries(client, PHOTOBOOK),
        _queries(client, "/en/checklist/print/"),
    )
    photobook = ChecklistGroup.objects.get(slug="photobook")
    new_items = ChecklistItemFactory.create_batch(30, group=photobook)
    for _ in range(20):
        ChecklistItemFactory.create_batch(2, group=ChecklistGroupFactory())
    with django_capture_on_commit_callbacks(execute=True):
        content_changed()  # as loading content does
    for new in new_items[:10]:
        tick(client, new.key)
    large = (
        _queries(client, OVERVIEW),
        _queries(client, PHOTOBOOK),
        _queries(client, "/en/checklist/print/"),
    )
    assert small == large
    assert client.get(OVERVIEW).content.decode().count("<progress") == 1 + 22


def test_a_tick_takes_as_many_queries_at_any_size(student_client, django_capture_on_commit_callbacks):
    tick(student_client, "ad-partners")

    def tick_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            tick(student_client, "ad-partners", HTTP_HX_REQUEST="true")
        return len(queries)

    tick_queries()  # the content, read once per content version
    small = tick_queries()
    ChecklistItemFactory.create_batch(30, group=ChecklistGroup.objects.get(slug="photobook"))
    with django_capture_on_commit_callbacks(execute=True):
        content_changed()  # as loading content does
    tick_queries()  # the first request after a change reads the new content once
    assert tick_queries() == small


@pytest.mark.parametrize("state", [("not-done", "done"), ("not-done",)], ids=["tick", "untick"])
def test_a_resent_tick_or_untick_takes_no_write_lock_and_writes_nothing(student_client, student, state):
    tick(student_client, "ad-partners", state)
    reader = reader_of(student)
    before = (ticked(reader), Reader.objects.get(pk=reader.pk).progress_version)
    with CaptureQueriesContext(connection) as captured:
        response = tick(student_client, "ad-partners", state, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    statements = [query["sql"].split()[0].upper() for query in captured.captured_queries]
    assert not {"BEGIN", "INSERT", "UPDATE", "DELETE", "SAVEPOINT"} & set(statements), statements
    assert not any("FOR UPDATE" in query["sql"] for query in captured.captured_queries)
    assert (ticked(reader), Reader.objects.get(pk=reader.pk).progress_version) == before


def test_an_untick_from_a_browser_with_nothing_stored_creates_no_reader(client):
    response = tick(client, "ad-partners", ("not-done",), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="item-ad-partners"' in response.content.decode()
    assert not Reader.objects.exists() and SESSION_KEY not in client.session


def test_reconfirming_a_done_item_restarts_its_review_clock_even_when_done_already(student_client, student):
    tick(student_client, "ad-partners")
    ChecklistTick.objects.update(done_at=ChecklistTick.objects.get().done_at - datetime.timedelta(days=200))
    student_client.post(item("ad-partners").get_absolute_url(), {"state": "done", "reconfirm": "1"})
    assert timezone.now() - ChecklistTick.objects.get().done_at < datetime.timedelta(minutes=1)


# Races


@RACE
def test_identical_ticks_at_the_same_moment_store_one_row():
    student = StudentFactory()
    clients = logged_in_clients(student, 6)
    results = run_concurrently([lambda c=c: tick(c).status_code for c in clients])
    assert results == [302] * 6
    assert ChecklistTick.objects.filter(reader__user=student, item__key="strong-password").count() == 1
    assert Reader.objects.filter(user=student).count() == 1


@RACE
def test_opposite_states_in_a_race_end_in_one_of_them_without_error():
    student = StudentFactory()
    clients = logged_in_clients(student, 6)
    states = [["done"], ["not-done"]] * 3
    results = run_concurrently(
        [lambda c=c, s=s: tick(c, state=s).status_code for c, s in zip(clients, states, strict=True)]
    )
    assert results == [302] * 6
    assert ChecklistTick.objects.filter(reader__user=student).count() in (0, 1)
    tick(clients[0], state=["not-done"])
    assert not ChecklistTick.objects.filter(reader__user=student).exists()
    tick(clients[1], state=["done"])
    assert ChecklistTick.objects.filter(reader__user=student).count() == 1


@RACE
def test_concurrent_reports_keep_one_per_reader():
    student = StudentFactory()
    url = "/en/checklist/photobook/ad-partners/report/"
    clients = logged_in_clients(student, 4)
    results = run_concurrently([lambda c=c: c.post(url, {"note": "moved"}).status_code for c in clients])
    assert results == [302] * 4
    assert PathReport.objects.filter(reader__user=student).count() == 1


@RACE
def test_concurrent_platform_choices_keep_one_row_per_platform():
    student = StudentFactory()
    photobook = ChecklistGroup.objects.get(slug="photobook")
    clients = logged_in_clients(student, 4)
    results = run_concurrently(
        [lambda c=c: c.post(OVERVIEW, {"platforms": [photobook.pk]}).status_code for c in clients]
    )
    assert results == [302] * 4
    assert UsedPlatform.objects.filter(reader__user=student, group=photobook).count() == 1


def test_a_tick_answer_reads_the_counts_but_not_the_readers_platforms(student_client):
    student_client.post(OVERVIEW, {"platforms": [ChecklistGroup.objects.get(slug="photobook").pk]})
    for state in (["not-done", "done"], ["not-done"], ["not-done"]):  # a tick, an untick, a resent untick
        with CaptureQueriesContext(connection) as queries:
            assert tick(student_client, state=state, HTTP_HX_REQUEST="true").status_code == 200
        assert not [q for q in queries if "usedplatform" in q["sql"].lower()]
        assert any("checklisttick" in q["sql"].lower() and "count" in q["sql"].lower() for q in queries)
