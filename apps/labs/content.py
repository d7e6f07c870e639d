"""The labs' content: read from content/*.toml and checked once, when first used. Nothing of it goes into
the database: a reader's answers live in their session.

`scams()` keeps the checked "Spot the scam" messages for the life of the process; `load_scams(path)`
reads and checks any file (the tests' fixture).
"""

import functools
import string
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from apps.core.content import ContentError, bilingual_text, read_toml
from apps.core.i18n import Text

CONTENT_DIR = Path(__file__).resolve().parent / "content"
KINDS = ("sms", "email", "dm", "ad", "friend_request")
MODULE = "fraud-checks"  # the module the scam lab belongs to
POLICIES_MODULE = "protecting-yourself"  # the module the policy reader belongs to
REQUESTS_MODULE = "protecting-yourself"  # and the letter writer
SCAMS = "scams"
POLICIES = "policies"
# The labs a teacher can set; each has a page named labs:<lab>.
REQUESTS = "requests"
LAB_TITLES = {
    POLICIES: _("Read the small print"),
    SCAMS: _("Spot the scam"),
    REQUESTS: _("Ask for your data"),
}
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


REQUEST_KINDS = ("copy", "delete", "correct", "marketing", "sell")
# The words a letter may use, filled in by letters.letter_text(); anything else in braces is refused.
LETTER_FIELDS = frozenset({"company", "under", "deadline", "account", "details", "name", "date"})
LETTER_PARTS = ("opening", "deadline", "no_deadline", "account", "details", "closing", "unsigned")
# "{article} of {law}": how a letter names an article; without one it names the law alone.
ARTICLE_OF_LAW = "article_of_law"


@dataclass(frozen=True)
class Source:
    claim: Text
    url: str


@dataclass(frozen=True)
class Right:
    """What a law gives for one kind of request: where the law says so (and the article to name, when we
    found it in the law's text), or the nearest request it does give."""

    source: Source | None
    article: Text | None = None
    deadline: Text | None = None  # when this request has a deadline of its own (California's opt-out)
    deadline_source: Source | None = None
    nearest: str = ""
    why_not: Text | None = None

    @property
    def available(self) -> bool:
        return self.source is not None


@dataclass(frozen=True)
class Law:
    key: str
    title: Text  # the choice: the place and the law's short name
    covers: Text
    name: Text  # as the letter names it
    deadline: Text | None  # finishes "You must answer ..."; None when the law sets no time
    deadline_source: Source
    regulator: Text
    complain: Text
    complain_url: str  # the regulator's page for complaints, when it has one we could confirm
    rights: dict[str, Right]
    before_you_send: Text | None = None
    before_you_send_source: Source | None = None


@dataclass(frozen=True)
class RequestKind:
    key: str
    title: Text
    hint: Text
    body: Text  # the letter's request paragraph


@dataclass(frozen=True)
class RequestLab:
    kinds: tuple[RequestKind, ...]
    laws: tuple[Law, ...]
    parts: dict[str, Text]  # the letter's shared sentences, LETTER_PARTS

    def law(self, key: str) -> Law | None:
        return next((law for law in self.laws if law.key == key), None)

    def kind(self, key: str) -> RequestKind | None:
        return next((kind for kind in self.kinds if kind.key == key), None)


def _letter_words(path: Path, where: str, text: Text) -> Text:
    for _language, value in text.by_language:
        for _literal, field, _spec, _conversion in string.Formatter().parse(value):
            if field is not None and field not in LETTER_FIELDS:
                raise ContentError(f"{path.name}: {where}: {{{field}}} is not a word a letter can fill in")
    return text


def _source(path: Path, table: dict, where: str) -> Source:
    if not isinstance(table, dict) or not str(table.get("url", "")).startswith("https://"):
        raise ContentError(f"{path.name}: {where}: needs a source with an https url and its claim")
    return Source(claim=_text(path, table, "claim", where), url=table["url"])


def _right(path: Path, table: dict, where: str, kinds: tuple[str, ...]) -> Right:
    if "nearest" in table:
        if table["nearest"] not in kinds:
            raise ContentError(f"{path.name}: {where}: nearest must be one of {', '.join(kinds)}")
        if "article" in table:
            raise ContentError(f"{path.name}: {where}: a right names its article or its nearest, not both")
        return Right(
            source=None,
            nearest=table["nearest"],
            why_not=_text(path, table, "why_not", where),
        )
    has_deadline = "deadline" in table
    return Right(
        article=_text(path, table, "article", where) if "article" in table else None,
        source=_source(path, table.get("source"), f"{where}: source"),
        deadline=_text(path, table, "deadline", where) if has_deadline else None,
        deadline_source=_source(path, table.get("deadline_source"), f"{where}: deadline_source")
        if has_deadline
        else None,
    )


def load_requests(path: Path) -> RequestLab:
    """The letter writer's laws, request kinds and letter sentences in `path`, checked: every law says, for
    every kind of request, the article to name (with its source) or the nearest request it does give, and
    its deadline (or that it sets none) with a source. ContentError names the first problem."""
    data = read_toml(path)
    kinds = []
    for index, entry in enumerate(data.get("kinds", []), start=1):
        where = f"kind {index} ({entry.get('key', 'no key')})"
        if entry.get("key") not in REQUEST_KINDS or any(kind.key == entry["key"] for kind in kinds):
            raise ContentError(
                f"{path.name}: {where}: key must be one of {', '.join(REQUEST_KINDS)}, once each"
            )
        kinds.append(
            RequestKind(
                key=entry["key"],
                title=_text(path, entry, "title", where),
                hint=_text(path, entry, "hint", where),
                body=_letter_words(path, where, _text(path, entry, "body", where)),
            )
        )
    if {kind.key for kind in kinds} != set(REQUEST_KINDS):
        raise ContentError(f"{path.name}: kinds: needs each of {', '.join(REQUEST_KINDS)}")
    letter = data.get("letter", {})
    parts = {
        part: _letter_words(path, f"letter.{part}", _text(path, letter, part, "letter"))
        for part in LETTER_PARTS
    }
    parts[ARTICLE_OF_LAW] = _text(path, letter, ARTICLE_OF_LAW, "letter")
    for _language, value in parts[ARTICLE_OF_LAW].by_language:
        if "{article}" not in value or "{law}" not in value:
            raise ContentError(f"{path.name}: letter.{ARTICLE_OF_LAW}: needs {{article}} and {{law}}")
    keys = tuple(kind.key for kind in kinds)
    laws = []
    for index, entry in enumerate(data.get("laws", []), start=1):
        key = entry.get("key", "")
        where = f"law {index} ({key or 'no key'})"
        if not key or any(law.key == key for law in laws):
            raise ContentError(f"{path.name}: {where}: each law needs a key of its own")
        if ("deadline" in entry) == ("no_deadline" in entry):
            raise ContentError(
                f"{path.name}: {where}: give the deadline, or no_deadline saying we found none, "
                "with its source"
            )
        rights_table = entry.get("rights", {})
        if not isinstance(rights_table, dict) or set(rights_table) != set(keys):
            raise ContentError(f"{path.name}: {where}: rights must cover {', '.join(keys)}, and nothing else")
        rights = {kind: _right(path, rights_table[kind], f"{where}, rights.{kind}", keys) for kind in keys}
        for kind, right in rights.items():
            if not right.available and not rights[right.nearest].available:
                raise ContentError(
                    f"{path.name}: {where}, rights.{kind}: its nearest request is not given either"
                )
        if "complain_url" in entry and not str(entry["complain_url"]).startswith("https://"):
            raise ContentError(f"{path.name}: {where}: complain_url needs an https address")
        has_note = "before_you_send" in entry
        laws.append(
            Law(
                key=key,
                title=_text(path, entry, "title", where),
                covers=_text(path, entry, "covers", where),
                name=_text(path, entry, "name", where),
                deadline=_text(path, entry, "deadline", where) if "deadline" in entry else None,
                deadline_source=_source(
                    path,
                    entry.get("deadline_source", entry.get("no_deadline")),
                    f"{where}: {'deadline_source' if 'deadline' in entry else 'no_deadline'}",
                ),
                regulator=_text(path, entry, "regulator", where),
                complain=_text(path, entry, "complain", where),
                complain_url=entry.get("complain_url", ""),
                rights=rights,
                before_you_send=_text(path, entry, "before_you_send", where) if has_note else None,
                before_you_send_source=_source(
                    path, entry.get("before_you_send_source"), f"{where}: before_you_send_source"
                )
                if has_note
                else None,
            )
        )
    if not laws:
        raise ContentError(f"{path.name}: laws: missing or empty")
    return RequestLab(kinds=tuple(kinds), laws=tuple(laws), parts=parts)


@functools.cache
def requests() -> RequestLab:
    return load_requests(CONTENT_DIR / "requests.toml")
