"""The labs' content: read from content/*.toml and checked once, when first used. Nothing of it goes into
the database: a reader's answers live in their session.

`scams()` keeps the checked "Spot the scam" messages for the life of the process; `load_scams(path)`
reads and checks any file (the tests' fixture).
"""

import functools
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from apps.core.content import ContentError, bilingual_text, read_toml
from apps.core.i18n import Text

CONTENT_DIR = Path(__file__).resolve().parent / "content"
KINDS = ("sms", "email", "dm", "ad", "friend_request")
MODULE = "fraud-checks"  # the module the scam lab belongs to
POLICIES_MODULE = "protecting-yourself"  # the module the policy reader belongs to
SCAMS = "scams"
POLICIES = "policies"
# The labs a teacher can set; each has a page named labs:<lab>.
LAB_TITLES = {POLICIES: _("Read the small print"), SCAMS: _("Spot the scam")}
TOPICS = ("collected", "shared", "kept", "delete", "changes")
RATINGS = ("good", "neutral", "bad")


@dataclass(frozen=True)
class Part:
    text: Text
    clue: bool = False
    why: Text | None = None


@dataclass(frozen=True)
class Message:
    key: str
    kind: str
    sender: Text
    real: bool
    parts: tuple[Part, ...]
    advice: Text
    why_real: Text | None = None

    @property
    def clue_indexes(self) -> list[int]:
        return [index for index, part in enumerate(self.parts) if part.clue]


def _text(path: Path, table: dict, name: str, where: str) -> Text:
    return bilingual_text(f"{path.name}: {where}", table, name)


def load_scams(path: Path) -> tuple[Message, ...]:
    """The messages in `path`, each checked; ContentError names the first problem."""
    data = read_toml(path)
    messages = []
    for index, entry in enumerate(data.get("messages", []), start=1):
        key = entry.get("key", "")
        where = f"message {index} ({key or 'no key'})"

        def fail(problem: str, where=where):
            raise ContentError(f"{path.name}: {where}: {problem}")

        if not key or any(message.key == key for message in messages):
            fail("each message needs a key of its own")
        if entry.get("kind") not in KINDS:
            fail(f"kind must be one of {', '.join(KINDS)}")
        if not isinstance(entry.get("real"), bool):
            fail("real must be true or false")
        parts = []
        for number, part in enumerate(entry.get("parts", []), start=1):
            clue = part.get("clue", False) is True
            parts.append(
                Part(
                    text=_text(path, part, "text", f"{where}, part {number}"),
                    clue=clue,
                    why=_text(path, part, "why", f"{where}, part {number}") if clue else None,
                )
            )
            if not clue and "why" in part:
                fail(f"part {number} explains a clue but is not marked clue = true")
        if len(parts) < 2:
            fail("a message needs at least two parts")
        real = entry["real"]
        if real and any(part.clue for part in parts):
            fail("a real message has no clue parts")
        if not real and not any(part.clue for part in parts):
            fail("a fake message needs at least one clue part, each with its why")
        if real != ("why_real" in entry):
            fail("a real message says why_real, and only a real one")
        messages.append(
            Message(
                key=key,
                kind=entry["kind"],
                sender=_text(path, entry, "sender", where),
                real=real,
                parts=tuple(parts),
                advice=_text(path, entry, "advice", where),
                why_real=_text(path, entry, "why_real", where) if real else None,
            )
        )
    if not messages:
        raise ContentError(f"{path.name}: messages: missing or empty")
    return tuple(messages)


@functools.cache
def scams() -> tuple[Message, ...]:
    return load_scams(CONTENT_DIR / "scams.toml")


@dataclass(frozen=True)
class Clause:
    key: str
    topic: str
    text: Text
    meaning: Text
    rating: str
    reason: Text


@dataclass(frozen=True)
class Policy:
    key: str
    title: Text
    compare: tuple[tuple[str, str], ...]  # (title, address) of real policies to compare
    clauses: tuple[Clause, ...]


def load_policies(path: Path) -> tuple[Policy, ...]:
    """The policy excerpts in `path`, each clause checked; ContentError names the first problem."""
    data = read_toml(path)
    policies = []
    for index, entry in enumerate(data.get("policies", []), start=1):
        key = entry.get("key", "")
        where = f"policy {index} ({key or 'no key'})"
        if not key or any(policy.key == key for policy in policies):
            raise ContentError(f"{path.name}: {where}: each policy needs a key of its own")
        compare = entry.get("compare", [])
        if not compare or any(not str(link.get("url", "")).startswith("https://") for link in compare):
            raise ContentError(f"{path.name}: {where}: compare needs real policies, each with an https url")
        clauses = []
        for clause in entry.get("clauses", []):
            at = f"{where}, clause {clause.get('key', '?')}"
            if not clause.get("key") or any(c.key == clause["key"] for c in clauses):
                raise ContentError(f"{path.name}: {at}: each clause needs a key of its own")
            if clause.get("topic") not in TOPICS:
                raise ContentError(f"{path.name}: {at}: topic must be one of {', '.join(TOPICS)}")
            if clause.get("rating") not in RATINGS:
                raise ContentError(f"{path.name}: {at}: rating must be one of {', '.join(RATINGS)}")
            clauses.append(
                Clause(
                    key=clause["key"],
                    topic=clause["topic"],
                    text=_text(path, clause, "text", at),
                    meaning=_text(path, clause, "meaning", at),
                    rating=clause["rating"],
                    reason=_text(path, clause, "reason", at),
                )
            )
        if len(clauses) < 3:
            raise ContentError(f"{path.name}: {where}: an excerpt needs at least three clauses")
        policies.append(
            Policy(
                key=key,
                title=_text(path, entry, "title", where),
                compare=tuple((str(link.get("title", "")), link["url"]) for link in compare),
                clauses=tuple(clauses),
            )
        )
    if not policies:
        raise ContentError(f"{path.name}: policies: missing or empty")
    return tuple(policies)


@functools.cache
def policies() -> tuple[Policy, ...]:
    return load_policies(CONTENT_DIR / "policies.toml")
