"""The policy reader: its content rules, answers kept in the session, feedback per clause, the guide."""

import re

import pytest

from apps.core.content import ContentError
from apps.labs.content import CONTENT_DIR, RATINGS, TOPICS, load_policies
from apps.labs.models import LabFinish
from apps.labs.services import POLICY_SESSION_KEY
from tests.helpers import assert_csp_clean, edited_copy
from tests.labs.conftest import POLICY_FIXTURE

HTMX = {"HTTP_HX_REQUEST": "true"}
RIGHT = {
    "social": {"collect": "collected", "keep": "kept", "change": "changes"},
    "shop": {"sell": "shared", "erase": "delete", "keep": "kept"},
}


def edited(tmp_path, old: str, new: str):
    return edited_copy(POLICY_FIXTURE, tmp_path, old, new)


PROBLEMS = [
    ('topic = "collected"', 'topic = "colours"', "topic must be one of"),
    ('rating = "bad"', 'rating = "awful"', "rating must be one of"),
    ('url = "https://example.org/privacy"', 'url = "http://example.org/privacy"', "https url"),
    ('key = "shop"', 'key = "social"', "a key of its own"),
    (
        'key = "keep"\n  topic = "kept"\n  text.en = "We keep it',
        'key = "collect"\n  topic = "kept"\n  text.en = "We keep it',
        "each clause needs a key of its own",
    ),
    ('  reason.ar = "حدّ واضح."\n', "", "'reason.ar' is missing or empty"),
]


@pytest.mark.parametrize(("old", "new", "message"), PROBLEMS, ids=[p[2] for p in PROBLEMS])
def test_each_broken_rule_is_refused_with_its_reason(tmp_path, old, new, message):
    with pytest.raises(ContentError, match=re.escape(message)):
        load_policies(edited(tmp_path, old, new))


def test_the_shipped_reader_has_five_excerpts_rated_with_reasons():
    policies = load_policies(CONTENT_DIR / "policies.toml")
    assert len(policies) >= 5
    clauses = [clause for policy in policies for clause in policy.clauses]
    assert {clause.topic for clause in clauses} == set(TOPICS)
    assert {clause.rating for clause in clauses} == set(RATINGS)
    assert all(link[1].startswith("https://") for policy in policies for link in policy.compare)


pytestmark = pytest.mark.django_db


def submit(client, key: str, topics: dict, **extra):
    return client.post(f"/en/labs/policies/{key}/", {f"clause-{k}": v for k, v in topics.items()}, **extra)


def test_the_reader_lists_the_excerpts_and_links_the_guide(client):
    body = client.get("/en/labs/policies/").content.decode()
    assert 'href="/en/labs/policies/social/"' in body and 'href="/en/labs/policies/guide/"' in body
    page = client.get("/en/labs/policies/social/").content.decode()
    assert page.count('type="radio"') == 3 * len(TOPICS) and "Good for you" not in page
    assert_csp_clean(page)
    assert "تواصل تجريبي" in client.get("/ar/labs/policies/social/").content.decode()


def test_answers_without_javascript_show_meaning_rating_and_reason(client):
    topics = {**RIGHT["social"], "change": "delete"}
    response = submit(client, "social", topics)
    assert response.status_code == 302 and response["Location"] == "/en/labs/policies/social/#policy"
    body = client.get("/en/labs/policies/social/").content.decode()
    assert "2 of 3 clauses right" in body and "Changes without warning." in body and "No notice." in body
    assert body.count("Bad for you") == 2 and body.count("Good for you") == 1
    assert 'href="https://example.org/privacy"' in body and 'href="/en/labs/policies/shop/"' in body
    assert client.session[POLICY_SESSION_KEY] == {"social": topics}


def test_an_htmx_answer_swaps_the_card_and_announces_once(client):
    body = submit(client, "shop", RIGHT["shop"], **HTMX).content.decode()
    assert "<html" not in body and body.count('id="lab-announcer"') == 1 and "3 of 3 clauses right" in body


def test_answering_every_excerpt_finishes_the_lab(student_client):
    submit(student_client, "social", RIGHT["social"])
    assert not LabFinish.objects.exists()
    submit(student_client, "shop", RIGHT["shop"])
    submit(student_client, "shop", RIGHT["shop"])
    assert list(LabFinish.objects.values_list("lab", flat=True)) == ["policies"]
    assert (
        "How to read any policy in five minutes"
        in student_client.get("/en/labs/policies/shop/").content.decode()
    )


@pytest.mark.parametrize(
    "topics",
    [
        {},
        {"collect": "collected", "keep": "kept"},
        {**RIGHT["social"], "keep": "weather"},
        {"collect": "\x00"},
    ],
)
def test_incomplete_or_tampered_answers_are_refused_and_change_nothing(client, topics):
    submit(client, "social", RIGHT["social"])
    response = submit(client, "social", topics)
    assert response.status_code == 400 and client.session[POLICY_SESSION_KEY] == {"social": RIGHT["social"]}


def test_unknown_excerpts_are_not_found_and_start_again_clears(client):
    assert client.get("/en/labs/policies/nope/").status_code == 404
    submit(client, "social", RIGHT["social"])
    assert client.post("/en/labs/policies/start-again/").status_code == 302
    assert POLICY_SESSION_KEY not in client.session


def test_the_guide_names_the_five_things_to_look_for(client):
    body = client.get("/en/labs/policies/guide/").content.decode()
    for heading in (
        "What is collected.",
        "Who gets it.",
        "How long it is kept.",
        "How to delete it.",
        "What can change.",
    ):
        assert heading in body


def test_the_protecting_yourself_module_links_to_the_reader(client, monkeypatch):
    from apps.labs import content

    monkeypatch.setattr(content, "POLICIES_MODULE", "beta")
    assert 'href="/en/labs/policies/"' in client.get("/en/modules/beta/").content.decode()
