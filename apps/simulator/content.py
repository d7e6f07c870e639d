"""The simulator's scenario: read from content/scenario.toml and checked once, when first used.

Nothing here goes into the database: the scenario is the same for everyone and a reader's simulation
lives only in their session. `scenario()` keeps the checked scenario for the life of the process;
`load_scenario(path)` reads and checks any file (the tests' fixtures, `manage.py load_content`).
"""

import functools
from dataclasses import dataclass, field
from pathlib import Path

from apps.core.content import ContentError, bilingual_text, read_toml
from apps.core.i18n import Text

CONTENT_FILE = Path(__file__).resolve().parent / "content" / "scenario.toml"
SOURCES = {"checkin": "location", "visit": "off_platform"}  # any other action: "platform"
AUDIENCE_BASES = ("activity", "location", "off_platform", "partners")
SETTINGS = ("private", "partners", "off_platform", "location", "teen")
AD_CHOICES = ("context", "age_and_place")
MODULE_PARTS = ("interests", "ads", "listening", "fraud", "cards", "settings")
MOODS = ("happy", "angry")


@dataclass(frozen=True)
class Named:
    key: str
    title: Text


@dataclass(frozen=True)
class Detail(Named):
    question: Text


@dataclass(frozen=True)
class Reply:
    """A ready-made comment or a quiz answer, with what it gives away beyond the post's own signals."""

    key: str
    text: Text
    details: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    ages: tuple[tuple[str, int], ...] = ()
    brand: str = ""
    mood: str = ""


@dataclass(frozen=True)
class Post:
    key: str
    author: Text
    text: Text
    actions: tuple[str, ...]
    interests: tuple[tuple[str, int], ...] = ()
    events: tuple[str, ...] = ()
    ages: tuple[tuple[str, int], ...] = ()
    place: str = ""
    partner: bool = False
    own_profile: bool = False  # on the reader's own wall, seen by whom their settings allow
    comments: tuple[Reply, ...] = ()
    answers: tuple[Reply, ...] = ()

    def reply(self, action: str, key: str) -> Reply | None:
        replies = self.comments if action == "comment" else self.answers if action == "quiz" else ()
        return next((reply for reply in replies if reply.key == key), None)


@dataclass(frozen=True)
class Audience(Named):
    basis: str
    interest: str = ""
    at_least: int = 0
    event: str = ""
    place: str = ""
    visit: str = ""


@dataclass(frozen=True)
class Ad:
    key: str
    advertiser: Text
    text: Text
    audience: str = ""
    chosen_by: str = ""


@dataclass(frozen=True)
class Brand(Named):
    alert: Text


@dataclass(frozen=True)
class Setting(Named):
    effect: Text
    checklist: str  # "group/item"

    @property
    def checklist_group(self) -> str:
        return self.checklist.split("/")[0]

    @property
    def checklist_item(self) -> str:
        return self.checklist.split("/")[1]


@dataclass(frozen=True)
class Scenario:
    weights: dict[str, int]
    interests: dict[str, Named]
    events: dict[str, Named]
    ages: dict[str, Named]
    places: dict[str, Named]
    details: dict[str, Detail]
    posts: tuple[Post, ...]
    brands: dict[str, Brand]
    audiences: dict[str, Audience]
    ads: tuple[Ad, ...]
    cards: tuple[Ad, ...]
    settings: dict[str, Setting]
    modules: dict[str, str] = field(default_factory=dict)

    def post(self, key: str) -> Post | None:
        return next((post for post in self.posts if post.key == key), None)


class _Reader:
    """Reads one file's tables, naming the file and the place of anything wrong."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, where: str, problem: str):
        raise ContentError(f"{self.path.name}: {where}: {problem}")

    def text(self, table: dict, name: str, where: str) -> Text:
        return bilingual_text(f"{self.path.name}: {where}", table, name)

    def table(self, data: dict, name: str) -> dict:
        value = data.get(name)
        if not isinstance(value, dict) or not value:
            self.fail(name, "missing or empty")
        return value

    def named(self, data: dict, name: str, extra: tuple[str, ...] = ()) -> dict:
        return {
            key: {
                "key": key,
                "title": self.text(entry, "title", f"{name}.{key}"),
                **{field: self.text(entry, field, f"{name}.{key}") for field in extra},
            }
            for key, entry in self.table(data, name).items()
        }

    def keys(self, values, known, where: str, what: str) -> tuple[str, ...]:
        if not isinstance(values, list):
            self.fail(where, f"{what} must be a list")
        for value in values:
            if value not in known:
                self.fail(where, f"unknown {what} {value!r}")
        return tuple(values)

    def weights(self, values, known, where: str, what: str) -> tuple[tuple[str, int], ...]:
        if not isinstance(values, dict):
            self.fail(where, f"{what} must be a table of weights")
        for key, weight in values.items():
            if key not in known:
                self.fail(where, f"unknown {what} {key!r}")
            if type(weight) is not int or weight < 1:
                self.fail(where, f"the weight of {key!r} must be a whole number of at least 1")
        return tuple(values.items())


def load_scenario(path: Path = CONTENT_FILE) -> Scenario:
    """The scenario in `path`, every reference checked; ContentError names the first problem."""
    reader = _Reader(path)
    data = read_toml(path)
    weights = reader.table(data, "actions")
    for action, weight in weights.items():
        if type(weight) is not int or weight < 1:
            reader.fail(f"actions.{action}", "the weight must be a whole number of at least 1")
    interests = {k: Named(**v) for k, v in reader.named(data, "interests").items()}
    events = {k: Named(**v) for k, v in reader.named(data, "events").items()}
    ages = {k: Named(**v) for k, v in reader.named(data, "ages").items()}
    places = {k: Named(**v) for k, v in reader.named(data, "places").items()}
    details = {k: Detail(**v) for k, v in reader.named(data, "details", ("question",)).items()}
    brands = {k: Brand(**v) for k, v in reader.named(data, "brands", ("alert",)).items()}
    known = {"interest": interests, "event": events, "age": ages, "detail": details, "brand": brands}

    def reply(entry: dict, where: str) -> Reply:
        brand, mood = entry.get("brand", ""), entry.get("mood", "")
        if brand and brand not in brands:
            reader.fail(where, f"unknown brand {brand!r}")
        if bool(brand) != bool(mood) or (mood and mood not in MOODS):
            reader.fail(where, f"a comment naming a brand needs a mood ({', '.join(MOODS)}), and only then")
        return Reply(
            key=str(entry.get("key", "")) or reader.fail(where, "key missing"),
            text=reader.text(entry, "text", where),
            details=reader.keys(entry.get("details", []), known["detail"], where, "detail"),
            events=reader.keys(entry.get("events", []), known["event"], where, "event"),
            ages=reader.weights(entry.get("ages", {}), known["age"], where, "age band"),
            brand=brand,
            mood=mood,
        )

    posts = []
    raw_posts = data.get("posts")
    if not isinstance(raw_posts, list) or not raw_posts:
        reader.fail("posts", "missing or empty")
    for index, entry in enumerate(raw_posts, start=1):
        key = entry.get("key", "")
        where = f"post {index} ({key or 'no key'})"
        if not key or any(post.key == key for post in posts):
            reader.fail(where, "each post needs a key of its own")
        actions = reader.keys(entry.get("actions", []), weights, where, "action")
        if not actions:
            reader.fail(where, "a post needs at least one action")
        comments = tuple(reply(c, f"{where}, comment {c.get('key')}") for c in entry.get("comments", []))
        answers = tuple(reply(a, f"{where}, answer {a.get('key')}") for a in entry.get("answers", []))
        if ("comment" in actions) != bool(comments) or ("quiz" in actions) != bool(answers):
            reader.fail(
                where, "comments and quiz answers go with the comment and quiz actions, and only them"
            )
        place = entry.get("place", "")
        if ("checkin" in actions) != bool(place) or (place and place not in places):
            reader.fail(where, "a check-in needs a known place, and a place a check-in")
        if ("visit" in actions) != bool(entry.get("partner", False)):
            reader.fail(where, "a website visit is offered by partner posts, and only them")
        posts.append(
            Post(
                key=key,
                author=reader.text(entry, "author", where),
                text=reader.text(entry, "text", where),
                actions=actions,
                interests=reader.weights(entry.get("interests", {}), interests, where, "interest"),
                events=reader.keys(entry.get("events", []), events, where, "event"),
                ages=reader.weights(entry.get("ages", {}), ages, where, "age band"),
                place=place,
                partner=bool(entry.get("partner", False)),
                own_profile=bool(entry.get("own_profile", False)),
                comments=comments,
                answers=answers,
            )
        )
    post_keys = {post.key for post in posts}

    audiences = {}
    for key, entry in reader.table(data, "audiences").items():
        where = f"audiences.{key}"
        needs = entry.get("needs", {})
        kinds = [kind for kind in ("interest", "event", "place", "visit") if kind in needs]
        if len(kinds) != 1:
            reader.fail(where, "needs exactly one of interest, event, place or visit")
        kind = kinds[0]
        pool = {"interest": interests, "event": events, "place": places, "visit": post_keys}[kind]
        if needs[kind] not in pool:
            reader.fail(where, f"unknown {kind} {needs[kind]!r}")
        at_least = needs.get("at_least", 0)
        if (kind == "interest") != (type(at_least) is int and at_least >= 1):
            reader.fail(where, "an interest needs at_least (a whole number of at least 1), and only it")
        if entry.get("basis") not in AUDIENCE_BASES:
            reader.fail(where, f"basis must be one of {', '.join(AUDIENCE_BASES)}")
        audiences[key] = Audience(
            key=key,
            title=reader.text(entry, "title", where),
            basis=entry["basis"],
            at_least=at_least,
            **{kind: needs[kind]},
        )

    def ads(name: str, who: str) -> tuple[Ad, ...]:
        result = []
        for key, entry in reader.table(data, name).items():
            where = f"{name}.{key}"
            audience, chosen_by = entry.get("audience", ""), entry.get("chosen_by", "")
            if bool(audience) == bool(chosen_by):
                reader.fail(where, "needs an audience or chosen_by, not both")
            if audience and audience not in audiences:
                reader.fail(where, f"unknown audience {audience!r}")
            if chosen_by and (chosen_by not in AD_CHOICES or name == "cards"):
                reader.fail(where, f"chosen_by must be one of {', '.join(AD_CHOICES)}, and only for ads")
            result.append(
                Ad(
                    key=key,
                    advertiser=reader.text(entry, who, where),
                    text=reader.text(entry, "text", where),
                    audience=audience,
                    chosen_by=chosen_by,
                )
            )
        return tuple(result)

    settings = {}
    raw_settings = reader.table(data, "settings")
    if set(raw_settings) != set(SETTINGS):
        reader.fail("settings", f"needs exactly {', '.join(SETTINGS)}")
    for key in SETTINGS:
        entry = raw_settings[key]
        path = entry.get("checklist", "")
        if not isinstance(path, str) or path.count("/") != 1 or not all(path.split("/")):
            reader.fail(f"settings.{key}", "checklist must name a checklist item as group/item")
        settings[key] = Setting(
            key=key,
            title=reader.text(entry, "title", f"settings.{key}"),
            effect=reader.text(entry, "effect", f"settings.{key}"),
            checklist=path,
        )
    modules = data.get("modules", {})
    if not isinstance(modules, dict) or any(part not in MODULE_PARTS for part in modules.values()):
        reader.fail("modules", f"each module points to one of {', '.join(MODULE_PARTS)}")
    return Scenario(
        weights=dict(weights),
        interests=interests,
        events=events,
        ages=ages,
        places=places,
        details=details,
        posts=tuple(posts),
        brands=brands,
        audiences=audiences,
        ads=ads("ads", "advertiser"),
        cards=ads("cards", "issuer"),
        settings=settings,
        modules=dict(modules),
    )


@functools.cache
def scenario() -> Scenario:
    """The shipped scenario, read and checked once per process."""
    return load_scenario(CONTENT_FILE)
