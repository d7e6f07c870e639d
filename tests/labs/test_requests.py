"""Ask for your data: the content rules, the letter, and the page that writes it without storing it."""

import datetime
import re

import pytest
from django.apps import apps
from django.core import serializers
from django.test import Client
from django.utils import timezone

from apps.core.content import ContentError
from apps.labs.content import REQUESTS, load_requests
from apps.labs.letters import FSI, PDI, Choices, letter_for
from apps.labs.models import LabFinish
from apps.labs.services import LETTER_SESSION_KEY
from tests.helpers import assert_csp_clean, edited_copy, reader_of
from tests.labs.conftest import REQUESTS_FIXTURE

HTMX = {"HTTP_HX_REQUEST": "true"}
DAY = datetime.date(2026, 12, 2)


def edited(tmp_path, old: str, new: str):
    return edited_copy(REQUESTS_FIXTURE, tmp_path, old, new)


PROBLEMS = [
    ('key = "copy"', 'key = "photocopy"', "key must be one of"),
    ('key = "sell"\ntitle.en = "No selling"', 'key = "copy"\ntitle.en = "No selling"', "once each"),
    (
        'body.en = "Under {under}, send me a copy."',
        'body.en = "Under {law}, send me a copy."',
        "{law} is not a word",
    ),
    ('opening.en = "Dear {company},"', 'opening.en = "Dear {compny},"', "{compny} is not a word"),
    (
        'article_of_law.ar = "{article} من {law}"',
        'article_of_law.ar = "{article}"',
        "needs {article} and {law}",
    ),
    ('no_deadline.en = "Please answer within 30 days."\n', "", "'no_deadline.en' is missing or empty"),
    ('key = "elsewhere"', 'key = "testland"', "each law needs a key of its own"),
    (
        'deadline.en = "within one month"',
        'no_deadline.en = "x"\ndeadline.en = "within one month"',
        "give the deadline",
    ),
    (
        'no_deadline.claim.en = "We found no deadline in the Elsewhere law"\n'
        'no_deadline.claim.ar = "لم نجد مهلة في قانون المكان الآخر"\n'
        'no_deadline.url = "https://example.org/elsewhere"\n',
        "",
        "give the deadline",
    ),
    (
        '[laws.rights.correct]\narticle.en = "Article 7"',
        '[laws.rights.fix]\narticle.en = "Article 7"',
        "rights must cover",
    ),
    ('nearest = "marketing"', 'nearest = "everything"', "nearest must be one of"),
    (
        'nearest = "marketing"',
        'nearest = "marketing"\narticle.en = "Article 9"',
        "its article or its nearest, not both",
    ),
    (
        '[laws.rights.copy]\nsource.claim.en = "Elsewhere',
        '[laws.rights.copy]\nnearest = "sell"\nwhy_not.en = "x"\nwhy_not.ar = "س"\nx.claim.en = "Elsewhere',
        "is not given either",
    ),
    (
        'source.url = "https://example.org/article-5"',
        'source.url = "http://example.org/article-5"',
        "https url",
    ),
    ('deadline_source.url = "https://example.org/ten-days"', "", "deadline_source: needs a source"),
    (
        'complain_url = "https://example.org/complain"',
        'complain_url = "example.org"',
        "complain_url needs an https",
    ),
    (
        'why_not.ar = "لا يوجد هذا الحق في أرض الاختبار، وأقربه إيقاف التسويق."\n',
        "",
        "'why_not.ar' is missing",
    ),
    ('before_you_send_source.url = "https://example.org/fee"', "", "before_you_send_source: needs a source"),
]


@pytest.mark.parametrize(("old", "new", "message"), PROBLEMS, ids=[p[2] for p in PROBLEMS])
def test_each_broken_rule_is_refused_with_its_reason(tmp_path, old, new, message):
    with pytest.raises(ContentError, match=re.escape(message)):
        load_requests(edited(tmp_path, old, new))


def test_a_file_without_laws_is_refused(tmp_path):
    text = REQUESTS_FIXTURE.read_text(encoding="utf-8")
    path = tmp_path / "requests.toml"
    path.write_text(text[: text.index("[[laws]]")], encoding="utf-8")
    with pytest.raises(ContentError, match="laws: missing or empty"):
        load_requests(path)


# The letter, on the fixture content.


def letter(lab, **choices):
    return letter_for(lab=lab, choices=Choices(**{"company": "Acme", "language": "en", **choices}), today=DAY)


def test_a_letter_names_the_article_the_law_and_its_deadline(fixture_requests):
    written = letter(fixture_requests, law="testland", kind="copy", account="me@example.org", name="Sam Lee")
    assert written.text == (
        "Dear Acme,\n\n"
        "Under Article 5 of the Testland Data Act, send me a copy.\n\n"
        "Account: me@example.org.\n\n"
        "You must answer within one month.\n\n"
        "Regards,\nSam Lee\n2 December 2026\n"
    )
    assert not written.is_nearest and written.right.source.url == "https://example.org/article-5"
    assert written.filename == "data-request-testland-copy-en.txt"


def test_a_right_with_its_own_deadline_uses_it(fixture_requests):
    written = letter(fixture_requests, law="testland", kind="marketing")
    assert "You must answer within ten days." in written.text and "one month" not in written.text
    assert str(written.deadline) == "within ten days"
    assert written.deadline_source.url == "https://example.org/ten-days"
    copy = letter(fixture_requests, law="testland", kind="copy")
    assert copy.deadline_source.url == "https://example.org/deadline"


def test_a_request_the_law_does_not_give_becomes_the_nearest_it_does(fixture_requests):
    written = letter(fixture_requests, law="testland", kind="sell")
    assert written.is_nearest and written.asked.key == "sell" and written.kind.key == "marketing"
    assert "Under Article 8 of the Testland Data Act, stop marketing to me." in written.text
    assert str(written.why_not) == "Testland has no such right; stopping marketing is nearest."
    assert written.filename == "data-request-testland-marketing-en.txt"
    assert not letter(fixture_requests, law="testland", kind="marketing").is_nearest


def test_without_a_deadline_or_an_article_the_letter_asks_for_30_days_and_names_the_law(fixture_requests):
    written = letter(
        fixture_requests, law="elsewhere", kind="correct", details="My name is Sam.\n\n  Not Sal. "
    )
    assert written.text == (
        "Dear Acme,\n\n"
        "Under the Elsewhere Privacy Law, correct my data.\n\n"
        "Details:\nMy name is Sam.\nNot Sal.\n\n"
        "Please answer within 30 days.\n\n"
        "Regards,\n[your name]\n2 December 2026\n"
    )
    assert written.deadline is None and written.deadline_source.url == "https://example.org/elsewhere"


def test_an_arabic_letter_isolates_what_was_typed_in_latin_letters(fixture_requests):
    written = letter(
        fixture_requests, law="testland", kind="delete", language="ar", company="Acme  Games", name="سام"
    )
    assert written.text == (
        f"إلى {FSI}Acme Games{PDI}،\n\n"
        "استنادًا إلى المادة 6 من قانون بيانات أرض الاختبار احذفوا بياناتي.\n\n"
        "عليكم الرد خلال شهر.\n\n"
        "مع التحية،\nسام\n2 ديسمبر 2026\n"
    )
    phone = letter(fixture_requests, law="testland", kind="copy", language="ar", account="+966 50 123 4567")
    assert f"الحساب: {FSI}+966 50 123 4567{PDI}." in phone.text
    digits = letter(fixture_requests, law="testland", kind="copy", language="ar", account="رقم العضوية 42")
    assert "الحساب: رقم العضوية 42." in digits.text
    english = letter(fixture_requests, law="testland", kind="delete", company="شركة النور", name="Sam")
    assert f"Dear {FSI}شركة النور{PDI}," in english.text and f"{FSI}Sam" not in english.text


def test_a_law_or_request_no_longer_in_the_content_writes_no_letter(fixture_requests):
    assert letter(fixture_requests, law="atlantis", kind="copy") is None
    assert letter(fixture_requests, law="testland", kind="fax") is None


# The page.

pytestmark = pytest.mark.django_db
FORM = {"law": "testland", "kind": "copy", "company": "Zebracorn Unique Ltd", "language": "en"}


def test_the_page_offers_every_law_and_request_with_what_each_covers(client):
    body = client.get("/en/labs/requests/").content.decode()
    assert body.count('name="law"') == 2 and body.count('name="kind"') == 5
    assert "You live in Testland." in body and "Selling hint." in body and 'id="letter"' not in body
    assert 'value="en" required id="id_language_0" checked' in body or re.search(
        r'value="en"[^>]*checked', body
    )
    assert_csp_clean(body)
    arabic = client.get("/ar/labs/requests/").content.decode()
    assert "أرض الاختبار: قانون البيانات" in arabic and re.search(r'value="ar"[^>]*checked', arabic)


def test_writing_a_letter_without_javascript(client):
    response = client.post("/en/labs/requests/", {**FORM, "name": "Sam", "account": "sam@example.org"})
    assert response.status_code == 302 and response["Location"] == "/en/labs/requests/#letter"
    assert client.session[LETTER_SESSION_KEY] == {
        **FORM,
        "name": "Sam",
        "account": "sam@example.org",
        "details": "",
    }
    body = client.get("/en/labs/requests/").content.decode()
    assert '<textarea id="letter-text"' in body and "Under Article 5 of the Testland Data Act" in body
    assert 'lang="en" dir="ltr"' in body and 'value="Zebracorn Unique Ltd"' in body
    assert 'href="https://example.org/article-5"' in body and 'href="https://example.org/deadline"' in body
    assert 'href="https://example.org/complain"' in body and "Write it again" in body
    assert "could not confirm the article number" not in body and "Before you send it" not in body
    assert_csp_clean(body)


def test_writing_a_letter_with_htmx_answers_with_the_form_and_letter_and_one_announcement(client):
    response = client.post("/en/labs/requests/", {**FORM, "kind": "sell"}, **HTMX)
    body = response.content.decode()
    assert (
        response.status_code == 200
        and "<html" not in body
        and body.lstrip().startswith('<div id="request-lab">')
    )
    assert "You asked for “No selling”, so this letter asks for “No marketing”." in body
    assert "stopping marketing is nearest" in body and body.count("data-hx-swap-oob") == 1
    assert 'href="https://example.org/article-8"' in body and 'href="https://example.org/ten-days"' in body


def test_a_letter_in_arabic_from_the_english_page(client):
    client.post("/en/labs/requests/", {**FORM, "language": "ar"})
    body = client.get("/en/labs/requests/").content.decode()
    assert 'lang="ar" dir="rtl"' in body and "استنادًا إلى المادة 5" in body


def test_a_law_without_deadline_article_or_complaint_page_says_so(client):
    client.post("/en/labs/requests/", {**FORM, "law": "elsewhere"})
    body = client.get("/en/labs/requests/").content.decode()
    assert "could not confirm the article number" in body and "within 30 days" in body
    assert "Elsewhere companies may charge a fee." in body and 'href="https://example.org/fee"' in body
    assert "Go to the Elsewhere Regulator" not in body and "Complain to the Elsewhere Regulator." in body


def test_writing_counts_as_finishing_the_lab_once(client):
    client.post("/en/labs/requests/", FORM)
    client.post("/en/labs/requests/", FORM)
    assert LabFinish.objects.get().lab == REQUESTS


def test_what_the_reader_types_is_stored_nowhere_but_their_session(client):
    client.post(
        "/en/labs/requests/", {**FORM, "account": "secret-handle-4242", "details": "Wrong birthday 1999"}
    )
    for model in apps.get_models():
        if model._meta.label == "sessions.Session":
            continue
        dump = serializers.serialize("json", model.objects.all())
        for typed in ("Zebracorn", "secret-handle-4242", "Wrong birthday"):
            assert typed not in dump, model._meta.label


REFUSED = [
    ({"company": ""}, "This field is required."),
    ({"company": "x" * 101}, "at most 100 characters"),
    ({"company": "Acme\u202eevil"}, "invisible formatting characters"),
    ({"law": "atlantis"}, "Select a valid choice."),
    ({"kind": "fax"}, "Select a valid choice."),
    ({"language": "fr"}, "Select a valid choice."),
    ({"kind": "correct"}, "Say what is wrong and what it should say"),
    ({"kind": "correct", "details": "   "}, "Say what is wrong and what it should say"),
    ({"details": "y" * 1001}, "at most 1000 characters"),
]


@pytest.mark.parametrize(("change", "message"), REFUSED, ids=[r[1] for r in REFUSED])
def test_a_form_we_never_send_is_refused_with_the_reason_and_changes_nothing(client, change, message):
    client.post("/en/labs/requests/", FORM)
    kept = client.session[LETTER_SESSION_KEY]
    for headers in ({}, HTMX):
        response = client.post("/en/labs/requests/", {**FORM, **change}, **headers)
        assert response.status_code == 422 and message in response.content.decode()
        assert client.session[LETTER_SESSION_KEY] == kept
    assert LabFinish.objects.count() == 1


def test_a_first_refused_form_finishes_nothing(client):
    response = client.post("/en/labs/requests/", {**FORM, "company": ""}, **HTMX)
    assert response.status_code == 422 and 'role="alert"' in response.content.decode()
    assert "data-hx-swap-oob" not in response.content.decode()
    assert LETTER_SESSION_KEY not in client.session and not LabFinish.objects.exists()


def test_without_the_csrf_token_nothing_is_written():
    client = Client(enforce_csrf_checks=True)
    assert client.post("/en/labs/requests/", FORM).status_code == 403
    assert not LabFinish.objects.exists()


def test_the_letter_downloads_as_text_and_is_never_cached(client):
    assert client.get("/en/labs/requests/letter.txt").status_code == 404
    client.post("/en/labs/requests/", {**FORM, "language": "ar"})
    response = client.get("/en/labs/requests/letter.txt")
    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="data-request-testland-copy-ar.txt"'
    assert "no-store" in response["Cache-Control"]
    expected = letter_for(
        lab=load_requests(REQUESTS_FIXTURE),
        choices=Choices(**client.session[LETTER_SESSION_KEY]),
        today=timezone.localdate(),
    )
    assert response.content.decode() == expected.text
    assert client.post("/en/labs/requests/letter.txt").status_code == 405


def test_start_again_forgets_the_letter(client):
    client.post("/en/labs/requests/", FORM)
    response = client.post("/en/labs/requests/start-again/")
    assert response.status_code == 302 and LETTER_SESSION_KEY not in client.session
    assert 'id="letter"' not in client.get("/en/labs/requests/").content.decode()
    assert client.get("/en/labs/requests/start-again/").status_code == 405


@pytest.mark.parametrize(
    "stored",
    [
        "nonsense",
        {"law": "testland"},
        {**FORM, "extra": "x"},
        {**FORM, "company": 7},
        {**FORM, "law": "atlantis"},
    ],
)
def test_a_session_value_that_is_not_ours_shows_no_letter(client, stored):
    session = client.session
    session[LETTER_SESSION_KEY] = stored
    session.save()
    response = client.get("/en/labs/requests/")
    assert response.status_code == 200 and 'id="letter"' not in response.content.decode()
    assert client.get("/en/labs/requests/letter.txt").status_code == 404


def test_a_signed_in_reader_finishes_the_lab_on_their_account(client, django_user_model):
    user = django_user_model.objects.create_user(username="sam", password="a long enough password")
    client.force_login(user)
    client.post("/en/labs/requests/", FORM)
    client.post("/en/labs/requests/", {**FORM, "kind": "delete"})
    finish = LabFinish.objects.get()
    assert finish.reader == reader_of(user) and finish.reader.progress_version == 1


def test_the_protecting_yourself_module_and_the_home_page_link_to_the_letter_writer(client, monkeypatch):
    from apps.labs import content

    monkeypatch.setattr(content, "REQUESTS_MODULE", "beta")
    assert 'href="/en/labs/requests/"' in client.get("/en/modules/beta/").content.decode()
    assert 'href="/en/labs/requests/"' not in client.get("/en/modules/alpha/").content.decode()
    assert 'href="/ar/labs/requests/"' in client.get("/ar/").content.decode()


def test_a_teacher_sets_the_letter_writer_and_sees_who_wrote_a_letter(teacher):
    import csv
    import io

    from apps.classrooms import services as classroom_services
    from apps.classrooms.models import Assignment
    from tests.helpers import join_class

    classroom = classroom_services.classroom_create(teacher=teacher, name="Year 9 B")
    teacher_client = Client()
    teacher_client.force_login(teacher)
    url = f"/en/classes/{classroom.pk}/"
    assert (
        teacher_client.post(f"{url}assignments/", {"work": "lab-requests", "due_date": ""}).status_code == 302
    )
    (assignment,) = Assignment.objects.filter(classroom=classroom)
    assert (assignment.kind, assignment.lab, assignment.title) == ("lab", "requests", "Ask for your data")
    done, _idle = join_class(classroom, "hana", "omar")
    pupil = Client()
    pupil.force_login(done)
    assert 'href="/en/labs/requests/"' in pupil.get("/en/dashboard/").content.decode()
    pupil.post("/en/labs/requests/", FORM)
    assert "1 of 2 done" in teacher_client.get(url).content.decode()
    rows = list(csv.reader(io.StringIO(teacher_client.get(f"{url}export.csv").content.decode())))
    assert rows[0][3] == "Ask for your data: finished"
    assert {row[1]: row[3] for row in rows[1:]} == {"hana": "yes", "omar": "no"}
