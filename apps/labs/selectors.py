"""The labs' reads: the scam lab's feedback and score, the policy reader's marks, the letter in the
session."""

import datetime
from dataclasses import dataclass

from django.contrib.sessions.backends.base import SessionBase

from apps.accounts.models import Reader

from . import content
from .content import Clause, Message, Policy
from .letters import Letter, letter_for
from .models import LabFinish
from .services import letter_choices


@dataclass
class Marked:
    """One message with the reader's answer and what was right about it."""

    message: Message
    verdict: str | None
    part: int | None

    @property
    def answered(self) -> bool:
        return self.verdict is not None

    @property
    def verdict_right(self) -> bool:
        return self.verdict == ("real" if self.message.real else "fake")

    @property
    def clue_found(self) -> bool:
        return self.part in self.message.clue_indexes

    @property
    def chosen_part(self):
        return self.message.parts[self.part] if self.part is not None else None


@dataclass
class Score:
    marked: list[Marked]

    @property
    def answered(self) -> list[Marked]:
        return [item for item in self.marked if item.answered]

    @property
    def right(self) -> int:
        return sum(1 for item in self.answered if item.verdict_right)

    @property
    def clues_found(self) -> int:
        return sum(1 for item in self.answered if not item.message.real and item.clue_found)

    @property
    def fakes_answered(self) -> int:
        return sum(1 for item in self.answered if not item.message.real)

    @property
    def missed(self) -> list[Marked]:
        return [item for item in self.answered if not item.verdict_right]

    @property
    def is_complete(self) -> bool:
        return len(self.answered) == len(self.marked)

    @property
    def next_unanswered(self) -> Message | None:
        return next((item.message for item in self.marked if not item.answered), None)


def scam_score(*, messages: tuple[Message, ...], answers: dict[str, dict]) -> Score:
    marked = []
    for message in messages:
        answer = answers.get(message.key, {})
        part = answer.get("part")
        valid_part = part if part is not None and 0 <= part < len(message.parts) else None
        marked.append(Marked(message, answer.get("verdict"), valid_part))
    return Score(marked)


def scam_get(*, messages: tuple[Message, ...], key: str) -> tuple[int, Message] | None:
    """The message and its number (from 1), or None."""
    return next(((n, m) for n, m in enumerate(messages, start=1) if m.key == key), None)


def lab_finished_user_ids(*, user_ids: list[int], lab: str) -> set[int]:
    """Which of these accounts finished the lab: one query."""
    rows = LabFinish.objects.filter(reader__user_id__in=user_ids, lab=lab)
    return set(rows.values_list("reader__user_id", flat=True))


def lab_finishes(*, reader: Reader | None) -> dict[str, object]:
    """{lab: finished_at} for this reader."""
    if reader is None:
        return {}
    return dict(LabFinish.objects.filter(reader=reader).values_list("lab", "finished_at"))


def labs_export(*, reader: Reader | None) -> dict:
    """The labs the reader finished (their answers were never stored)."""
    finishes = sorted(lab_finishes(reader=reader).items(), key=lambda item: item[1])
    return {"labs_finished": [{"lab": lab, "finished_at": when.isoformat()} for lab, when in finishes]}


@dataclass
class MarkedClause:
    clause: Clause
    chosen: str | None

    @property
    def right(self) -> bool:
        return self.chosen == self.clause.topic


@dataclass
class MarkedPolicy:
    policy: Policy
    clauses: list[MarkedClause]

    @property
    def answered(self) -> bool:
        return all(item.chosen is not None for item in self.clauses)

    @property
    def right(self) -> int:
        return sum(1 for item in self.clauses if item.right)


def policy_marks(*, policies: tuple[Policy, ...], answers: dict[str, dict[str, str]]) -> list[MarkedPolicy]:
    return [
        MarkedPolicy(
            policy, [MarkedClause(c, answers.get(policy.key, {}).get(c.key)) for c in policy.clauses]
        )
        for policy in policies
    ]


def policy_get(*, policies: tuple[Policy, ...], key: str) -> tuple[int, Policy] | None:
    return next(((n, p) for n, p in enumerate(policies, start=1) if p.key == key), None)


def letter_in_session(*, session: SessionBase, today: datetime.date) -> Letter | None:
    """The letter the reader last wrote, rebuilt from the choices in their session (nothing else keeps
    it), or None when there is none or its law or request has left the content."""
    choices = letter_choices(session)
    return letter_for(lab=content.requests(), choices=choices, today=today) if choices else None
