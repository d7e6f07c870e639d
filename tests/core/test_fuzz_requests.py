"""Property: whatever a client sends to a form or htmx endpoint, the answer is never 5xx; a refused
request answers 4xx with a page in the language of its address, and no stored data changes.

Each generated request carries one defect that must get it refused (a missing or wrong CSRF token, a
NUL byte, a form in another charset, too many fields, a body too large, a field only a tampered form
sends, an unknown or out-of-range id, the wrong role or a lost session), on top of random noise: extra
fields, htmx and other headers, a language cookie. It is sent as an anonymous reader, a student with
an open quiz attempt in a class, or that class's teacher, to every endpoint that accepts a POST.

Two answers other than 4xx are right and checked as such: a reader who is not signed in is sent to the
log-in page (302), and removing something already gone (an in-range id that names nothing) goes back
to the page it was removed from, so a resent removal is harmless.
"""

import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.checklist.models import ChecklistGroup
from apps.classrooms import services as classroom_services
from apps.classrooms.models import Assignment, Membership
from apps.core.converters import DATABASE_ID_MAX
from apps.labs.content import REQUEST_KINDS, TOPICS, policies, scams
from apps.labs.content import requests as letter_lab
from apps.lessons.models import Module
from apps.quizzes.services import attempt_start
from apps.simulator.content import SETTINGS, scenario
from tests.factories import PASSWORD, StudentFactory, TeacherFactory
from tests.helpers import quiz_for, reader_of

pytestmark = pytest.mark.django_db

# Rows a refusal may add: counters of failures and throttles, and sessions.
IGNORED = {
    "classrooms.JoinFailure",
    "core.RateEvent",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "sessions.Session",
}
OUR_APPS = ("accounts", "checklist", "classrooms", "core", "lessons", "quizzes")
ARABIC = re.compile("[\u0621-\u064a]")
CLASS_NAME = "الصف التاسع"
NEW_PASSWORD = "n3w-pass-2026!"
ANYONE = ("anonymous", "student", "teacher")
BIDI = st.sampled_from("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200f")


def _wire(max_size: int):
    """A header or cookie value as a WSGI server hands it over: any bytes, read as latin-1."""
    return st.binary(max_size=max_size).map(lambda raw: raw.decode("latin-1"))


def _other_than(*values):
    return st.text(max_size=40).filter(lambda text: text.strip() not in values)


def _not_an_id():
    """Texts a form's integer field refuses (Python's int() reads any script's digits and a ".0")."""
    return st.one_of(
        st.text(min_size=1, max_size=20).filter(
            lambda text: text.strip() and not re.fullmatch(r"\s*[+-]?\d+(\.0*)?\s*", text)
        ),
        st.integers(max_value=0).map(str),
        st.integers(min_value=DATABASE_ID_MAX + 1).map(str),
    )


def _with(strategy, inserted):
    """A text from `strategy` with a character of `inserted` put somewhere in it."""
    return st.tuples(strategy, inserted, st.integers(0, 40)).map(lambda t: t[0][: t[2]] + t[1] + t[0][t[2] :])


@dataclass(frozen=True)
class Endpoint:
    path: str  # after /<lang>/, with {names} from the World
    senders: tuple[str, ...]  # who may send it: "anonymous", "student", "teacher"
    fields: dict = field(default_factory=dict)  # a form the view accepts
    refused: dict = field(default_factory=dict)  # field -> strategy of values the view refuses
    ids_gone_is_done: bool = False  # an in-range id naming nothing is a removal already done

    @property
    def has_ids(self) -> bool:
        return "{" in self.path


SCAM = scams()[0]
POLICY = policies()[0]
SCAM_PARTS = ["", *(str(index) for index in range(len(SCAM.parts)))]
SIMULATED = scenario().posts[0]
SIMULATED_CHOICES = [f"{action}:{value}" for action in SIMULATED.actions for value in ("on", "off", "")] + [
    f"{action}:{reply.key}"
    for action in ("comment", "quiz")
    for reply in SIMULATED.comments + SIMULATED.answers
]

ENDPOINTS = [
    Endpoint(
        "accounts/signup/",
        ANYONE,
        {"username": "new-pupil", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "role": "student"},
        {
            "role": _other_than("student", "teacher"),
            "password2": _other_than(NEW_PASSWORD),
            "username": st.sampled_from(["", "a" * 151, "bad name!", "student-fuzz"]),
            "display_name": _with(st.text(max_size=20), BIDI),
        },
    ),
    Endpoint(
        "accounts/login/",
        ANYONE,
        {"username": "student-fuzz", "password": PASSWORD},
        {"password": _other_than(PASSWORD)},
    ),
    Endpoint(
        "accounts/password-reset/",
        ANYONE,
        {"email": "someone@example.org"},
        {"email": st.sampled_from(["", "not-an-email", "a@", "@b.example", "a@b@c"])},
    ),
    Endpoint("accounts/logout/", ANYONE),
    Endpoint("privacy/forget/", ("anonymous",)),
    Endpoint(
        "accounts/name/",
        ("student", "teacher"),
        {"display_name": "Lina K"},
        {"display_name": st.one_of(_with(st.text(max_size=20), BIDI), st.text(min_size=61, max_size=80))},
    ),
    Endpoint(
        "accounts/password/",
        ("student", "teacher"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        {"old_password": _other_than(PASSWORD), "new_password2": _other_than(NEW_PASSWORD)},
    ),
    Endpoint(
        "accounts/delete/",
        ("student", "teacher"),
        {"password": PASSWORD},
        {"password": _other_than(PASSWORD)},
    ),
    Endpoint("modules/alpha/{lesson}/", ANYONE),
    Endpoint("modules/alpha/quiz/", ANYONE, {}, {"start_over": _not_an_id()}),
    Endpoint(
        "modules/alpha/quiz/{attempt}/",
        ("student",),
        {"question": "q01", "choice": "b"},
        {
            "question": _other_than(*[f"q0{n}" for n in range(1, 9)]),
            "choice": _other_than("a", "b", "c", "d"),
        },
    ),
    Endpoint(
        "checklist/",
        ANYONE,
        {"platforms": "{platform}"},
        {"platforms": st.one_of(_not_an_id(), st.integers(10**9, DATABASE_ID_MAX).map(str))},
    ),
    Endpoint(
        "checklist/photobook/private-account/",
        ANYONE,
        {"state": "done"},
        {"state": _other_than("done", "not-done")},
    ),
    Endpoint(
        "checklist/photobook/private-account/report/",
        ANYONE,
        {"note": "The menu is called Safety now"},
        {"note": st.text(min_size=501, max_size=600)},
    ),
    Endpoint("join/", ("student",), {"code": "{other_code}"}, {"code": _other_than("{other_code}")}),
    Endpoint("dashboard/classes/{classroom}/leave/", ("student",)),
    Endpoint(
        "dashboard/classes/{classroom}/share/",
        ("student",),
        {"share": "yes"},
        {"share": _other_than("yes", "no")},
    ),
    Endpoint(
        "classes/",
        ("teacher",),
        {"name": "Year 10"},
        {
            "name": st.one_of(
                st.sampled_from(["", "   "]), st.text(min_size=101, max_size=120), _with(st.text(), BIDI)
            )
        },
    ),
    Endpoint(
        "classes/{classroom}/assignments/",
        ("teacher",),
        {"work": "module-{beta}", "due_date": "", "comment": ""},
        {
            "work": st.one_of(
                _other_than(), st.sampled_from(["module-0", f"module-{2**63}", "lesson-x", "checklist-"])
            ),
            "due_date": st.text(min_size=1, max_size=12).filter(
                lambda text: text.strip() and not text[0].isdigit()
            ),
            "comment": st.text(min_size=301, max_size=320),
        },
    ),
    Endpoint("classes/{classroom}/assignments/{assignment}/delete/", ("teacher",), ids_gone_is_done=True),
    Endpoint("classes/{classroom}/code/", ("teacher",)),
    Endpoint("classes/{classroom}/students/{member}/remove/", ("teacher",), ids_gone_is_done=True),
    Endpoint("classes/{classroom}/students/{member}/password/", ("teacher",)),
    Endpoint(
        "classes/{classroom}/rename/",
        ("teacher",),
        {"name": "Year 9 C"},
        {"name": st.one_of(st.sampled_from(["", " "]), st.text(min_size=101, max_size=120))},
    ),
    Endpoint(
        "classes/{classroom}/archive/",
        ("teacher",),
        {"archived": "yes"},
        {"archived": _other_than("yes", "no")},
    ),
    Endpoint(
        "classes/{classroom}/delete/",
        ("teacher",),
        {"confirm_name": CLASS_NAME},
        {"confirm_name": _other_than(CLASS_NAME)},
    ),
    Endpoint(
        "classes/{classroom}/co-teachers/",
        ("teacher",),
        {"username": "teacher-colleague"},
        {"username": _other_than("teacher-colleague", "teacher-fuzz", "student-fuzz")},
    ),
    Endpoint("classes/{classroom}/co-teachers/{colleague}/remove/", ("teacher",), ids_gone_is_done=True),
    Endpoint(
        "classes/{classroom}/students/new/",
        ("teacher",),
        {"names": "Sara K\nAli B"},
        {"names": st.one_of(st.sampled_from(["", " \n "]), _with(st.text(min_size=1, max_size=20), BIDI))},
    ),
    # The simulator (its shipped scenario: it keeps nothing in the database).
    Endpoint(
        f"simulator/posts/{SIMULATED.key}/",
        ANYONE,
        {"set": f"{SIMULATED.actions[0]}:on"},
        {"set": _other_than(*SIMULATED_CHOICES)},
    ),
    Endpoint("simulator/settings/", ANYONE, {"switch": "private"}, {"switch": _other_than(*SETTINGS)}),
    Endpoint("simulator/start-again/", ANYONE),
    # The scam lab (its shipped messages: answers stay in the session).
    Endpoint(
        f"labs/scams/{SCAM.key}/",
        ANYONE,
        {"verdict": "fake", "part": "0"},
        {"verdict": _other_than("real", "fake"), "part": _other_than(*SCAM_PARTS)},
    ),
    Endpoint("labs/scams/start-again/", ANYONE),
    Endpoint(
        f"labs/policies/{POLICY.key}/",
        ANYONE,
        {f"clause-{clause.key}": clause.topic for clause in POLICY.clauses},
        {f"clause-{POLICY.clauses[0].key}": _other_than(*TOPICS)},
    ),
    Endpoint("labs/policies/start-again/", ANYONE),
    Endpoint(
        "labs/requests/",
        ANYONE,
        {"law": letter_lab().laws[0].key, "kind": "copy", "company": "Fuzz Games", "language": "en"},
        {
            "law": _other_than(*(law.key for law in letter_lab().laws)),
            "kind": _other_than(*REQUEST_KINDS),
            "language": _other_than("en", "ar"),
            "company": st.one_of(
                st.just("   "), st.just("x" * 101), _with(st.text(min_size=1, max_size=20), st.just("\u202e"))
            ),
            "details": st.just("y" * 1001),
        },
    ),
    Endpoint("labs/requests/start-again/", ANYONE),
]


class World:
    """A teacher with a class (module alpha assigned), a student in it with an open quiz attempt,
    another class to join, a colleague who could co-teach; each sender's session cookie."""

    def __init__(self):
        self.teacher = TeacherFactory(username="teacher-fuzz")
        self.student = StudentFactory(username="student-fuzz")
        colleague = TeacherFactory(username="teacher-colleague")
        alpha, beta = Module.objects.get(slug="alpha"), Module.objects.get(slug="beta")
        classroom = classroom_services.classroom_create(teacher=self.teacher, name=CLASS_NAME, language="ar")
        other = classroom_services.classroom_create(teacher=colleague, name="Other")
        assignment = Assignment.objects.create(classroom=classroom, module=alpha)
        Membership.objects.create(classroom=classroom, student=self.student)
        attempt = attempt_start(quiz=quiz_for("alpha"), reader=reader_of(self.student))
        self.names = {
            "classroom": classroom.pk,
            "assignment": assignment.pk,
            "member": self.student.pk,
            "colleague": colleague.pk,
            "attempt": attempt.pk,
            "lesson": "first-steps",
            "beta": beta.pk,
            "platform": ChecklistGroup.objects.get(slug="photobook").pk,
            "other_code": other.join_code,
        }
        self.sessions = {"anonymous": None}
        for role, user in (("student", self.student), ("teacher", self.teacher)):
            client = Client()
            client.force_login(user)
            self.sessions[role] = client.cookies[django_settings.SESSION_COOKIE_NAME].value

    def fill(self, template: str, **names) -> str:
        return template.format(**{**{k: str(v) for k, v in self.names.items()}, **names})


def stored_data() -> str:
    """A digest of every row the site keeps, but the counters a refusal may add."""
    digest = hashlib.sha256()
    for label in OUR_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label not in IGNORED:
                rows = model.objects.order_by("pk").values_list()
                digest.update(repr((model._meta.label, list(rows))).encode())
    return digest.hexdigest()


DEFECTS = ("csrf", "nul", "charset", "too_many_fields", "too_large", "field", "id", "sender", "lost_session")


@st.composite
def requests(draw, world: World, endpoint: Endpoint):
    defects = [d for d in DEFECTS if _applies(d, endpoint)]
    defect = draw(st.sampled_from(defects))
    sender = draw(st.sampled_from(endpoint.senders))
    ids = {}
    if defect == "sender":
        sender = draw(st.sampled_from([s for s in ANYONE if s not in endpoint.senders]))
    if defect == "id":
        name = draw(st.sampled_from(re.findall(r"{(\w+)}", endpoint.path)))
        unknown = (
            st.sampled_from(["nosuch", "zzz-9"]) if name == "lesson" else st.integers(10**9, 10**30).map(str)
        )
        ids[name] = draw(unknown)
    lang = draw(st.sampled_from(["en", "ar"]))
    data = {key: world.fill(value) for key, value in endpoint.fields.items()}
    if defect == "field":
        name = draw(st.sampled_from(sorted(endpoint.refused)))
        data[name] = draw(endpoint.refused[name].filter(lambda v: v not in (world.fill("{other_code}"),)))
    extra_keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_-", min_size=1, max_size=12).filter(
        lambda key: key not in data and key != "csrfmiddlewaretoken"
    )
    data.update(draw(st.dictionaries(extra_keys, st.text(max_size=30), max_size=3)))
    if defect == "nul":
        key = draw(st.sampled_from(sorted(data) or ["x"]))
        where = draw(st.sampled_from(["value", "key"]))
        value = data.pop(key, "")
        data[key + "\x00" if where == "key" else key] = value if where == "key" else value + "\x00"
    headers = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "HTTP_HX_REQUEST": st.just("true"),
                "HTTP_HX_TARGET": _wire(20),
                "HTTP_HX_CURRENT_URL": _wire(40),
                "HTTP_ACCEPT_LANGUAGE": _wire(20),
                "HTTP_USER_AGENT": _wire(40),
                "HTTP_X_FORWARDED_FOR": _wire(40),
            },
        )
    )
    return {
        "endpoint": endpoint,
        "defect": defect,
        "sender": sender,
        "lang": lang,
        "url": f"/{lang}/" + world.fill(endpoint.path, **ids),
        "data": data,
        "headers": headers,
        "charset": draw(st.sampled_from(["utf-16", "latin-1", "ascii", "utf8", "x"])),
        "language_cookie": draw(st.one_of(st.none(), _wire(10))),
        "csrf": draw(st.tuples(st.one_of(st.none(), _wire(64)), st.one_of(st.none(), st.text(max_size=64)))),
        # A session key is looked up only when it is at least 8 characters long.
        "lost_session": draw(
            st.one_of(_wire(40), _with(st.text(alphabet="abc123", min_size=32, max_size=32), st.just("\x00")))
        ),
    }


def _applies(defect: str, endpoint: Endpoint) -> bool:
    if defect == "field":
        return bool(endpoint.refused)
    if defect == "id":
        return endpoint.has_ids
    if defect in ("sender", "lost_session"):
        return "anonymous" not in endpoint.senders
    return True


def send(world: World, request: dict):
    defect, data = request["defect"], request["data"]
    client = Client(enforce_csrf_checks=defect == "csrf")
    session = world.sessions[request["sender"]]
    if defect == "lost_session":
        session = request["lost_session"]
    if session is not None:
        client.cookies[django_settings.SESSION_COOKIE_NAME] = session
    if request["language_cookie"] is not None:
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = request["language_cookie"]
    if defect == "csrf":
        cookie, token = request["csrf"]
        if cookie is not None:
            client.cookies[django_settings.CSRF_COOKIE_NAME] = cookie
        if token is not None:
            data = {**data, "csrfmiddlewaretoken": token}
    form = "application/x-www-form-urlencoded"
    if defect == "too_many_fields":
        data = {**data, **{f"f{n}": "" for n in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}}
    if defect == "too_large":
        data = {**data, "big": "x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    body = urlencode(data, doseq=False).encode()
    if defect == "charset":
        form += f"; charset={request['charset']}"
    # Given outright, so that an empty form declares its type too, as a browser's does.
    headers = {**request["headers"], "CONTENT_TYPE": form}
    return client.generic("POST", request["url"], body, content_type=form, **headers)


def check_refused(world: World, request: dict, response) -> None:
    status, defect, endpoint = response.status_code, request["defect"], request["endpoint"]
    signed_in = request["sender"] != "anonymous" and defect != "lost_session"
    if status == 302:
        target = response["Location"]
        to_login = target.startswith(f"/{request['lang']}/accounts/login/")
        removal_done = endpoint.ids_gone_is_done and defect == "id" and signed_in
        assert to_login and not signed_in or removal_done, (status, target)
        return
    assert 400 <= status < 500, status
    expected = {"csrf": 403, "nul": 400, "charset": 400, "too_many_fields": 400, "too_large": 400}
    if defect == "csrf" and any("\x00" in (value or "") for value in request["csrf"]):
        expected["csrf"] = 400  # a NUL byte anywhere in the request is refused before anything else
    if defect in expected:
        assert status == expected[defect]
    body = response.content.decode()
    main = body.split('<main id="main"', 1)[-1]
    for value in request["data"].values():
        main = main.replace(str(value), "")
    if request["lang"] == "ar":
        assert ARABIC.search(main), "the refusal is not in Arabic"
    if "<html" in body:
        assert f'lang="{request["lang"]}"' in body


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.path)
def test_no_request_answers_500_and_a_refused_one_changes_nothing(endpoint):
    world = World()
    before = stored_data()

    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
    @given(st.data())
    def property_(data):
        request = data.draw(requests(world, endpoint))
        response = send(world, request)
        check_refused(world, request, response)
        assert stored_data() == before, (request["defect"], request["url"])

    property_()


PAGES = [
    ("", ANYONE),
    ("privacy/", ANYONE),
    ("search/", ANYONE),
    ("accounts/export/", ANYONE),
    ("accounts/", ("student", "teacher")),
    ("accounts/signup/", ANYONE),
    ("accounts/login/", ANYONE),
    ("accounts/password-reset/", ANYONE),
    ("modules/", ANYONE),
    ("modules/alpha/", ANYONE),
    ("modules/alpha/{lesson}/", ANYONE),
    ("modules/alpha/quiz/", ANYONE),
    ("modules/alpha/quiz/{attempt}/", ("student",)),
    ("modules/attempts/", ANYONE),
    ("glossary/", ANYONE),
    ("checklist/", ANYONE),
    ("checklist/photobook/", ANYONE),
    ("checklist/print/", ANYONE),
    ("checklist/export.csv", ANYONE),
    ("dashboard/", ("student", "teacher")),
    ("join/", ("student",)),
    ("join/{other_code}/", ANYONE),
    ("classes/", ("teacher",)),
    ("classes/{classroom}/", ("teacher",)),
    ("classes/{classroom}/summary/", ("teacher",)),
    ("classes/{classroom}/export.csv", ("teacher",)),
    ("classes/{classroom}/students/{member}/", ("teacher",)),
    ("classes/{classroom}/delete/", ("teacher",)),
    ("dashboard/classes/{classroom}/leave/", ("student",)),
]


@pytest.mark.parametrize(("path", "senders"), PAGES, ids=[path for path, _ in PAGES])
def test_no_page_answers_500_to_any_query_or_header_and_reading_changes_nothing(path, senders):
    """Every page a GET reaches, with random query parameters, headers and cookies: never 5xx, the
    page's language kept, and nothing stored changes (the anonymous reader is made only on a write)."""
    world = World()
    before = stored_data()
    query = st.dictionaries(st.text(max_size=8), st.text(max_size=30), max_size=4)

    @settings(max_examples=8, deadline=None, derandomize=True, database=None)
    @given(st.sampled_from(ANYONE), st.sampled_from(["en", "ar"]), query, _wire(30), st.booleans())
    def property_(sender, lang, params, noise, htmx):
        client = Client()
        if world.sessions[sender]:
            client.cookies[django_settings.SESSION_COOKIE_NAME] = world.sessions[sender]
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = noise
        headers = {"HTTP_USER_AGENT": noise, "HTTP_HX_REQUEST": "true"} if htmx else {"HTTP_REFERER": noise}
        response = client.get(f"/{lang}/{world.fill(path)}", params, **headers)
        assert response.status_code < 500
        if sender not in senders:
            assert response.status_code in (302, 400, 403, 404)  # log in, bad query, wrong role, not theirs
        if "<html" in response.content.decode(errors="replace"):
            assert f'lang="{lang}"' in response.content.decode()
        assert stored_data() == before, params

    property_()
