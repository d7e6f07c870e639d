"""Helpers shared by tests. Fixtures live in conftest.py, factories in factories.py."""

import datetime
import json
import re
import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.db import connections
from django.test import Client
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from apps.classrooms.models import Classroom, Membership
from apps.labs.content import policies, scams
from apps.lessons.models import Module
from tests.factories import StudentFactory, TeacherFactory

CONTENT = Path(__file__).resolve().parent / "content"
FIXTURE_CONTENT_DIRS = {
    "lessons_dir": CONTENT / "lessons",
    "quizzes_dir": CONTENT / "quizzes",
    "checklist_dir": CONTENT / "checklist",
    # The fixture platform keeps 3 items so counts in tests stay small; shipped platforms need 6.
    "checklist_min_items": 3,
}


# Pages anyone can open without data behind them, in either language (`page.format(lang=...)`).
PUBLIC_PAGES = [
    "/{lang}/",
    "/{lang}/accounts/login/",
    "/{lang}/accounts/signup/",
    "/{lang}/privacy/",
    "/{lang}/modules/",
    "/{lang}/glossary/",
]

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
_EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
_STYLE_ATTR = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
_CARD = re.compile(r'<li class="card">(.*?)</li>', re.DOTALL)


def assert_csp_clean(html: str) -> None:
    """The page keeps to our Content Security Policy: no inline script, style or event handler, and
    no `hx-on` (it needs eval)."""
    assert not _INLINE_SCRIPT.search(html), "inline <script>"
    assert not _EVENT_HANDLER.search(html), "on*= attribute"
    assert not _STYLE_ATTR.search(html), "style= attribute"
    assert "<style" not in html.lower(), "<style> element"
    assert "hx-on" not in html, "hx-on attribute"


def module_cards(body: str) -> dict[str, str]:
    """Each module card's text by module slug, tags removed but the progress bar kept."""
    cards = {}
    for card in _CARD.findall(body):
        slug = re.search(r'href="/\w\w/modules/([\w-]+)/"', card)[1]
        progress = re.search(r'<progress max="(\d+)" value="(\d+)"', card)
        text = " ".join(re.sub(r"<[^>]+>", " ", card).split())
        cards[slug] = text + (f" [bar {progress[2]}/{progress[1]}]" if progress else "")
    return cards


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    return "{ " + ", ".join(f"{key} = {_toml_value(item)}" for key, item in value.items()) + " }"


def toml_dumps(data: dict) -> str:
    """Just enough TOML for the content files: every value inline, except that an array of tables
    (a checklist's `items`, a quiz's `questions`) gets one table a line. Whatever a test puts in
    its place (a string, an empty list) is written as it is, so the loader sees it."""
    lines = []
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(entry, dict) for entry in value):
            body = ",\n".join(_toml_value(entry) for entry in value)
            lines.append(f"{key} = [\n{body}\n]")
        else:
            lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def toml_write(path: Path, data: dict) -> None:
    path.write_text(toml_dumps(data), encoding="utf-8")


def toml_edit(path: Path, edit: Callable[[dict], object]) -> Path:
    """Read a TOML content file, let `edit` change the data in place, and write it back."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    edit(data)
    toml_write(path, data)
    return path


def edited_copy(source: Path, folder: Path, old: str, new: str) -> Path:
    """A copy of the content file `source` in `folder`, with the first `old` (which must be there)
    replaced by `new`: how the content tests break one rule at a time."""
    text = source.read_text(encoding="utf-8")
    assert old in text, old
    path = folder / source.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def at_noon(day: datetime.date):
    """Freeze the clock at noon (UTC, the site's time zone) on this day."""
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC), tick=False
    )


def join_class(classroom, *usernames: str, share: bool = False) -> list:
    """New students with these usernames, members of the class (sharing their checklist or not)."""
    students = [StudentFactory(username=name) for name in usernames]
    for student in students:
        Membership.objects.create(classroom=classroom, student=student, share_checklist=share)
    return students


def run_concurrently(functions: list[Callable[[], object]]) -> list[object]:
    """Run callables in threads released at the same moment; each thread closes its DB connection."""
    barrier = threading.Barrier(len(functions))
    results: list[object] = [None] * len(functions)

    def worker(index: int, function: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:  # the test inspects it
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def logged_in_clients(user, count: int) -> list[Client]:
    """Several independent browsers of the same person, for concurrency tests."""
    clients = []
    for _ in range(count):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def quiz_for(module_slug: str = "alpha"):
    from apps.quizzes.models import Quiz

    return Quiz.objects.select_related("module").get(module__slug=module_slug)


def answer_all(attempt, *, right: int) -> None:
    """Answer an attempt's questions in order: the first `right` correctly, the rest wrongly."""
    from apps.quizzes.models import Question
    from apps.quizzes.services import quiz_answer_submit

    for index, question_id in enumerate(attempt.question_order):
        question = Question.objects.prefetch_related("choices").get(pk=question_id)
        choices = list(question.choices.all())
        if index < right:
            keys = [c.key for c in choices if c.is_correct]
        else:
            keys = [next(c.key for c in choices if not c.is_correct)]
        quiz_answer_submit(attempt=attempt, question_key=question.key, choice_keys=keys)


def reader_of(user):
    """The account's reader (created if needed)."""
    from apps.accounts.readers import reader_for_user

    return reader_for_user(user=user)


# A tour of every kind of page with realistic data, shared by the HTML validity and layout tests.
#
# The data is made over HTTP, as people make it: a teacher creates a class and assigns the first module;
# a student joins it, reads a lesson, ticks a setting, takes the quiz to the end and starts it again.


@dataclass
class Tour:
    lang: str
    teacher: object
    student: object
    clients: dict[str, Client]
    # page name -> (who looks: "anonymous", "student" or "teacher", path)
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)
    attempt_url: str = ""

    def get(self, name: str) -> str:
        """The page's HTML, as its viewer gets it (the not-found page with a 404, the others a 200)."""
        who, path = self.pages[name]
        response = self.clients[who].get(path)
        expected = 404 if name == "not-found" else 200
        assert response.status_code == expected, (name, path, response.status_code)
        return response.content.decode()


def _location(response) -> str:
    assert response.status_code == 302, (response.status_code, response.content[:500])
    return response["Location"]


def question_form(html: str) -> tuple[str, str]:
    """The question key and the first choice key of the question form on an attempt page."""
    question = re.search(r'name="question" value="([^"]+)"', html)
    choice = re.search(r'name="choice" value="([^"]+)"', html)
    assert question and choice, html
    return question[1], choice[1]


def site_tour(*, lang: str) -> Tour:
    """Make the data, and name one page of each kind as the person who sees it would ask for it."""
    clients = {"anonymous": Client(), "student": Client(), "teacher": Client()}
    tour = Tour(lang, TeacherFactory(), StudentFactory(), clients)
    clients["teacher"].force_login(tour.teacher)
    clients["student"].force_login(tour.student)
    teacher, student = clients["teacher"], clients["student"]
    module = Module.objects.order_by("position").first()
    with translation.override(lang):
        module_url = module.get_absolute_url()
        lesson_url = module.lessons.order_by("position").first().get_absolute_url()
    base = f"/{lang}"

    class_url = _location(teacher.post(f"{base}/classes/", {"name": "Year 9 B"}))
    classroom = Classroom.objects.get(teacher=tour.teacher)
    teacher.post(
        f"{base}/classes/{classroom.pk}/assignments/", {"work": f"module-{module.pk}", "due_date": ""}
    )
    _location(student.post(f"{base}/join/", {"code": classroom.join_code}))

    student.post(lesson_url)
    checklist = student.get(f"{base}/checklist/").content.decode()
    group_url = re.search(rf'href="({base}/checklist/[\w-]+/)"', checklist)[1]
    group_page = student.get(group_url).content.decode()
    item_url = re.search(r'<form method="post" action="([^"]+)"[^>]*class="tick-form"', group_page)[1]
    student.post(item_url, {"state": ["not-done", "done"]})

    quiz_url = f"{base}/modules/{module.slug}/quiz/"
    attempt_url = _location(student.post(quiz_url))
    while (response := student.get(attempt_url)).status_code == 200:
        question, choice = question_form(response.content.decode())
        student.post(attempt_url, {"question": question, "choice": choice})
    results_url = _location(response)
    tour.attempt_url = _location(student.post(quiz_url))
    question, choice = question_form(student.get(tour.attempt_url).content.decode())
    feedback_url = _location(student.post(tour.attempt_url, {"question": question, "choice": choice}))
    # The link of a password-reset email, opened: the token moves into the session.
    uid = urlsafe_base64_encode(force_bytes(tour.student.pk))
    token = default_token_generator.make_token(tour.student)
    reset_url = _location(clients["anonymous"].get(f"{base}/accounts/password-reset/{uid}/{token}/"))

    # The simulator with something in every part of its panel (the shipped scenario).
    from apps.simulator.content import scenario

    for post in scenario().posts:
        for action in post.actions:
            reply = (post.comments or post.answers)[-1].key if action in ("comment", "quiz") else "on"
            student.post(f"{base}/simulator/posts/{post.key}/", {"set": f"{action}:{reply}"})

    first_scam, answered_scam = scams()[0].key, scams()[1].key
    fake_part = str((scams()[1].clue_indexes or [0])[0])
    student.post(f"{base}/labs/scams/{answered_scam}/", {"verdict": "fake", "part": fake_part})
    answered_policy = policies()[0]
    student.post(
        f"{base}/labs/policies/{answered_policy.key}/",
        {f"clause-{clause.key}": "collected" for clause in answered_policy.clauses},
    )
    # A letter with every optional part, in the other language than the page's, for a request the law
    # does not give (so the page explains the nearest one).
    student.post(
        f"{base}/labs/requests/",
        {
            "law": "eu-gdpr",
            "kind": "sell",
            "company": "Northwind Games",
            "account": "sam@example.com",
            "details": "My birthday is wrong.",
            "name": "Sam",
            "language": "ar" if lang == "en" else "en",
        },
    )

    tour.pages = {
        "home": ("student", f"{base}/"),
        "catalogue": ("student", f"{base}/modules/"),
        "module": ("student", module_url),
        "lesson": ("student", lesson_url),
        "lesson-anonymous": ("anonymous", lesson_url),
        "quiz-start": ("student", quiz_url),
        "quiz-question": ("student", tour.attempt_url),  # the second question, not answered yet
        "quiz-feedback": ("student", feedback_url),
        "quiz-results": ("student", results_url),
        "checklist-overview": ("student", f"{base}/checklist/"),
        "checklist-group": ("student", group_url),
        "checklist-print": ("student", f"{base}/checklist/print/"),
        "account": ("student", f"{base}/accounts/"),
        "dashboard": ("student", f"{base}/dashboard/"),
        "join": ("student", f"{base}/join/"),
        "class-list": ("teacher", f"{base}/classes/"),
        "class-page": ("teacher", class_url),
        "class-summary": ("teacher", f"{base}/classes/{classroom.pk}/summary/"),
        "class-student": ("teacher", f"{base}/classes/{classroom.pk}/students/{tour.student.pk}/"),
        "quiz-history": ("student", f"{base}/modules/attempts/"),
        "login": ("anonymous", f"{base}/accounts/login/"),
        "signup": ("anonymous", f"{base}/accounts/signup/"),
        "password-change": ("student", f"{base}/accounts/password/"),
        "password-reset": ("anonymous", f"{base}/accounts/password-reset/"),
        "password-reset-sent": ("anonymous", f"{base}/accounts/password-reset/sent/"),
        "password-reset-confirm": ("anonymous", reset_url),
        "password-reset-complete": ("anonymous", f"{base}/accounts/password-reset/done/"),
        "privacy": ("anonymous", f"{base}/privacy/"),
        "glossary": ("anonymous", f"{base}/glossary/"),
        "search": ("anonymous", f"{base}/search/?q=" + ("settings" if lang == "en" else "إعداد")),
        "not-found": ("anonymous", f"{base}/no-such-page/"),
        "simulator": ("student", f"{base}/simulator/"),
        "simulator-empty": ("anonymous", f"{base}/simulator/"),
        "simulator-debrief": ("student", f"{base}/simulator/debrief/"),
        "scam-lab": ("student", f"{base}/labs/scams/"),
        "scam-message": ("student", f"{base}/labs/scams/{first_scam}/"),
        "scam-feedback": ("student", f"{base}/labs/scams/{answered_scam}/"),
        "policy-lab": ("student", f"{base}/labs/policies/"),
        "policy-excerpt": ("student", f"{base}/labs/policies/{policies()[1].key}/"),
        "policy-feedback": ("student", f"{base}/labs/policies/{answered_policy.key}/"),
        "policy-guide": ("anonymous", f"{base}/labs/policies/guide/"),
        "letter-lab": ("anonymous", f"{base}/labs/requests/"),
        "letter": ("student", f"{base}/labs/requests/"),
    }
    return tour


# Every page type a browser opens, by who opens it, on the fixture content: {lang}, and for a teacher the
# {classroom} and a {student} in it, are filled in by the test.
PAGE_TYPES = {
    "anonymous": [
        "/{lang}/",
        "/{lang}/modules/",
        "/{lang}/modules/alpha/",
        "/{lang}/modules/alpha/first-steps/",
        "/{lang}/modules/alpha/quiz/",
        "/{lang}/glossary/",
        "/{lang}/search/?q=data",
        "/{lang}/privacy/",
        "/{lang}/checklist/",
        "/{lang}/checklist/photobook/",
        "/{lang}/checklist/print/",
        "/{lang}/accounts/signup/",
        "/{lang}/accounts/login/",
        "/{lang}/accounts/password-reset/",
        "/{lang}/simulator/",
        "/{lang}/simulator/debrief/",
        "/{lang}/labs/scams/",
        "/{lang}/labs/scams/" + scams()[0].key + "/",
        "/{lang}/labs/policies/",
        "/{lang}/labs/policies/" + policies()[0].key + "/",
        "/{lang}/labs/policies/guide/",
        "/{lang}/labs/requests/",
    ],
    "student": ["/{lang}/dashboard/", "/{lang}/join/", "/{lang}/accounts/", "/{lang}/modules/attempts/"],
    "teacher": [
        "/{lang}/classes/",
        "/{lang}/classes/{classroom}/",
        "/{lang}/classes/{classroom}/summary/",
        "/{lang}/classes/{classroom}/students/{student}/",
        "/{lang}/classes/{classroom}/students/new/",
    ],
}
