"""A reader's answers in the labs, and the letter writer's choices: kept in their session only. Answering
again replaces the answer; the same answer sent twice changes nothing."""

from dataclasses import asdict

from django.contrib.sessions.backends.base import SessionBase
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Reader

from .content import TOPICS, Message, Policy
from .letters import Choices
from .models import LabFinish

SESSION_KEY = "scam_lab"
POLICY_SESSION_KEY = "policy_lab"
VERDICTS = ("real", "fake")


class AnswerRefused(Exception):
    """An answer no form of ours sends; the message says what is wrong."""


def scam_answers(session: SessionBase) -> dict[str, dict]:
    """{message key: {"verdict": "real" | "fake", "part": index or None}}; anything else is ignored."""
    stored = session.get(SESSION_KEY)
    if not isinstance(stored, dict):
        return {}
    answers = {}
    for key, answer in stored.items():
        if isinstance(answer, dict) and answer.get("verdict") in VERDICTS:
            part = answer.get("part")
            answers[str(key)] = {"verdict": answer["verdict"], "part": part if type(part) is int else None}
    return answers


def scam_answer(*, session: SessionBase, message: Message, verdict: str, part: str) -> dict:
    """Store the reader's verdict on `message` and, for "fake", the part they think gives it away
    (optional: "" for none)."""
    if verdict not in VERDICTS:
        raise AnswerRefused(_("Choose real or fake."))
    index = None
    if part != "":
        if not part.isascii() or not part.isdigit() or int(part) >= len(message.parts):
            raise AnswerRefused(_("That part is not in this message."))
        index = int(part)
    answers = scam_answers(session)
    answers[message.key] = {"verdict": verdict, "part": index}
    session[SESSION_KEY] = answers
    return answers[message.key]


def scam_answers_clear(*, session: SessionBase) -> None:
    session.pop(SESSION_KEY, None)


def lab_finish(*, reader: Reader, lab: str) -> LabFinish:
    """Record that the reader finished this lab. Safe to repeat and to race: one row at most."""
    finish, created = LabFinish.objects.get_or_create(reader=reader, lab=lab)
    if created:
        reader.progress_changed()
    return finish


def policy_answers(session: SessionBase) -> dict[str, dict[str, str]]:
    """{policy key: {clause key: topic}}; anything else in the session is ignored."""
    stored = session.get(POLICY_SESSION_KEY)
    if not isinstance(stored, dict):
        return {}
    return {
        str(policy): {str(clause): topic for clause, topic in answers.items() if topic in TOPICS}
        for policy, answers in stored.items()
        if isinstance(answers, dict)
    }


def policy_answer(*, session: SessionBase, policy: Policy, topics: dict[str, str]) -> dict[str, str]:
    """Store what the reader says each clause of `policy` is about: one topic for every clause."""
    if any(topics.get(clause.key) not in TOPICS for clause in policy.clauses):
        raise AnswerRefused(_("Choose what each clause is about."))
    answers = policy_answers(session)
    answers[policy.key] = {clause.key: topics[clause.key] for clause in policy.clauses}
    session[POLICY_SESSION_KEY] = answers
    return answers[policy.key]


def policy_answers_clear(*, session: SessionBase) -> None:
    session.pop(POLICY_SESSION_KEY, None)


LETTER_SESSION_KEY = "letter_lab"


def letter_choices_keep(*, session: SessionBase, choices: Choices) -> None:
    """Keep the letter writer's choices in the reader's session, to show and download the letter again;
    they are never written anywhere else. Keeping the same choices again changes nothing."""
    session[LETTER_SESSION_KEY] = asdict(choices)


def letter_choices(session: SessionBase) -> Choices | None:
    """The choices kept in the session, or None when there are none (or they are not ours)."""
    stored = session.get(LETTER_SESSION_KEY)
    if not isinstance(stored, dict):
        return None
    try:
        choices = Choices(**stored)
    except TypeError:
        return None
    if not all(isinstance(value, str) for value in asdict(choices).values()):
        return None
    return choices


def letter_choices_clear(*, session: SessionBase) -> None:
    session.pop(LETTER_SESSION_KEY, None)
