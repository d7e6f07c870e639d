"""apps/simulator/views.py over HTTP: the page, actions with and without htmx, settings, start again,
the debrief, refusals, and nothing stored outside the session."""

import pytest
from django.apps import apps as django_apps
from django.test import Client

from apps.simulator.services import SESSION_KEY
from tests.helpers import assert_csp_clean

pytestmark = pytest.mark.django_db
PAGE = "/en/simulator/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def act(client, post: str, value: str, **extra):
    return client.post(f"/en/simulator/posts/{post}/", {"set": value}, **extra)


def rows_outside_sessions() -> int:
    return sum(
        model._default_manager.count()
        for model in django_apps.get_models()
        if model._meta.label not in ("sessions.Session",)
    )


def test_the_page_shows_the_feed_the_panel_and_the_settings_in_both_languages(client):
    body = client.get(PAGE).content.decode()
    assert 'id="post-run"' in body and "Run Club" in body and 'id="panel-body"' in body
    assert 'name="switch" value="teen"' in body and "Nothing yet." in body
    assert 'href="/en/checklist/photobook/#item-ad-partners"' in body
    assert_csp_clean(body)
    arabic = client.get("/ar/simulator/").content.decode()
    assert 'lang="ar"' in arabic and "نادي الجري" in arabic


def test_an_action_without_javascript_is_saved_in_the_session_and_shown(client):
    response = act(client, "run", "like:on")
    assert response.status_code == 302 and response["Location"] == "/en/simulator/#post-run"
    assert client.session[SESSION_KEY] == {"choices": {"run": {"like": "on"}}, "switches": []}
    body = client.get(PAGE).content.decode()
    assert 'aria-pressed="true"' in body and 'value="like:off"' in body
    assert "You liked the post by <bdi>Run Club</bdi>" in body


def test_sending_an_action_twice_changes_nothing_more(client):
    act(client, "run", "share:on")
    first = client.get(PAGE).content.decode()
    act(client, "run", "share:on")
    assert client.session[SESSION_KEY]["choices"] == {"run": {"share": "on"}}
    second = client.get(PAGE).content.decode()
    assert second.count("You shared") == first.count("You shared") > 0


def test_taking_an_action_back(client):
    act(client, "run", "like:on")
    act(client, "run", "comment:pet")
    act(client, "run", "like:off")
    act(client, "run", "comment:")
    assert SESSION_KEY in client.session and client.session[SESSION_KEY]["choices"] == {}


def test_an_htmx_action_returns_the_post_the_panel_and_one_announcement(client):
    response = act(client, "run", "comment:brand", **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert (
        body.startswith('\n<article class="sim-post" id="post-run"')
        or '<article class="sim-post" id="post-run"' in body
    )
    assert body.count('data-hx-swap-oob="true"') == 1 and 'id="panel-body"' in body
    assert body.count('id="sim-announcer"') == 1 and "Its top guess: Running." in body
    assert "Zoom shoes" in body and "listening tool" in body
    assert response["Vary"].count("HX-Request") == 1


def test_settings_change_the_panel_and_can_be_turned_off_again(client):
    act(client, "mall", "checkin:on")
    response = client.post("/en/simulator/settings/", {"switch": ["location", "private"]}, **HTMX)
    body = response.content.decode()
    assert 'value="location" id="switch-location" checked' in body
    assert "not used for your ads" in body and "Settings applied" in body
    assert client.session[SESSION_KEY]["switches"] == ["location", "private"]
    response = client.post("/en/simulator/settings/", {})
    assert response.status_code == 302 and response["Location"].endswith("#settings")
    assert client.session[SESSION_KEY]["switches"] == []


def test_the_teen_switch_shows_what_still_reaches_a_teenager(client):
    act(client, "shop", "visit:on")
    client.post("/en/simulator/settings/", {"switch": "teen"})
    body = client.get(PAGE).content.decode()
    assert (
        "(you signed up as under 18)" in body and "None: the card offers here are aimed at audiences" in body
    )
    assert "What you do is still recorded" in body and "Test Bank" not in body


def test_start_again_clears_the_simulation(client):
    act(client, "run", "like:on")
    response = client.post("/en/simulator/start-again/")
    assert response.status_code == 302 and SESSION_KEY not in client.session


def test_the_debrief_names_what_they_know_from_what_and_the_strongest_switches(client):
    assert "You have not done anything" in client.get("/en/simulator/debrief/").content.decode()
    act(client, "shop", "visit:on")
    act(client, "run", "comment:pet")
    body = client.get("/en/simulator/debrief/").content.decode()
    assert "You visited the website of <bdi>Trip Shop (sponsored)</bdi>" in body
    assert body.index("Off-platform off") < body.index("Partners off")
    assert "What was your first pet called?" in body
    assert 'href="/en/modules/alpha/"' in body and "Alpha: how traces add up" in body
    assert_csp_clean(body)


def test_the_module_page_links_to_its_part_of_the_simulator(client):
    assert 'href="/en/simulator/#interests"' in client.get("/en/modules/alpha/").content.decode()
    assert "/simulator/" not in client.get("/en/modules/beta/").content.decode()


@pytest.mark.parametrize(
    ("post", "value"),
    [
        ("nope", "like:on"),
        ("run", "dance:on"),
        ("run", "like:maybe"),
        ("run", "comment:nobody"),
        ("quiz", "like:on"),
        ("run", ""),
        ("run", "like"),
        ("run", "comment:pet\x00"),
    ],
)
def test_tampered_actions_are_refused_and_change_nothing(client, post, value):
    act(client, "run", "like:on")
    before = dict(client.session[SESSION_KEY])
    response = act(client, post, value)
    assert response.status_code == 400
    assert client.session[SESSION_KEY] == before


def test_an_unknown_setting_is_refused(client):
    response = client.post("/en/simulator/settings/", {"switch": ["teen", "admin"]})
    assert response.status_code == 400 and SESSION_KEY not in client.session


def test_writes_need_post_and_a_csrf_token():
    browser = Client(enforce_csrf_checks=True)
    assert browser.post("/en/simulator/posts/run/", {"set": "like:on"}).status_code == 403
    assert browser.get("/en/simulator/posts/run/").status_code == 405
    assert browser.get("/en/simulator/start-again/").status_code == 405


def test_a_session_of_the_wrong_shape_is_ignored(client):
    session = client.session
    session[SESSION_KEY] = {"choices": ["run"], "switches": "teen"}
    session.save()
    assert client.get(PAGE).status_code == 200
    session[SESSION_KEY] = "garbage"
    session.save()
    assert "Nothing yet." in client.get(PAGE).content.decode()


def test_nothing_is_stored_outside_the_session_even_when_signed_in(student_client):
    before = rows_outside_sessions()
    act(student_client, "run", "comment:pet")
    student_client.post("/en/simulator/settings/", {"switch": "private"})
    student_client.get("/en/simulator/debrief/")
    assert rows_outside_sessions() == before


def test_the_pages_make_no_queries_beyond_the_session(client, django_assert_max_num_queries):
    act(client, "run", "like:on")
    with django_assert_max_num_queries(1):  # the session
        client.get(PAGE)
    with django_assert_max_num_queries(4):  # the session; saving it: savepoint, update, release
        act(client, "run", "share:on", **HTMX)
    with django_assert_max_num_queries(2):  # the session, and the modules' titles
        client.get("/en/simulator/debrief/")
