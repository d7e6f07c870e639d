"""What the make-believe platform makes of a reader's actions: plain rules over the scenario's data.

`picture(scenario, choices, switches)` is a pure function: the same actions and settings always give the
same picture, and every line of it carries the actions that produced it (`traces`). No learning, no
randomness, no database.

The rules, in the order the panel shows them:
- Each action on a post sends the post's signals, times the action's weight. Interests add up; an interest's
  confidence is its score out of FULL_CONFIDENCE. Life events and age bands come the same way, and a
  comment or quiz answer can add its own.
- An audience takes everyone who meets its one need (an interest score, a life event, a place checked in
  at, a partner's website visited). Whether an advertiser may use it for this reader depends on the
  settings: partners' data off removes "partners" audiences, off-platform activity off removes website
  visits altogether, location off removes "location" audiences, and a reader who signed up under 18 gets
  no audience-chosen ads at all (age and place only, as the platforms' rules for teenagers say).
- Ads aimed at a usable audience are shown, with the audience and its actions as the reason; ads chosen
  by context or by age and place are shown to everyone. Card offers work like ads, for adults only.
- A comment naming a brand reaches the brand's listening tool, whatever the settings (it sits on a public
  page).
- A detail given away in a comment is public, unless the comment sits on the reader's own profile (their
  wall) and the profile is private: a comment on a public page stays public whatever the reader's own
  settings. One given to a quiz app stays with the app whatever the settings.
"""

from dataclasses import dataclass, field

from .content import SOURCES, Ad, Audience, Named, Post, Reply, Scenario

FULL_CONFIDENCE = 6
ON = "on"


@dataclass(frozen=True)
class Trace:
    """One action of the reader: what they did, on which post, and the comment or answer they chose."""

    post: Post
    action: str
    reply: Reply | None = None


@dataclass
class Inference:
    """A line of the panel and the actions behind it."""

    item: object  # Named, Audience, Ad, Detail, Brand...
    traces: list[Trace] = field(default_factory=list)
    score: int = 0

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.score / FULL_CONFIDENCE))

    def add(self, trace: Trace, score: int = 0) -> None:
        if trace not in self.traces:
            self.traces.append(trace)
        self.score += score


@dataclass
class AudienceLine(Inference):
    usable: bool = True
    blocked_by: str = ""  # the setting that keeps it from advertisers


@dataclass
class DetailLine(Inference):
    public: bool = False  # anyone can read it
    with_app: bool = False  # a quiz app has it


@dataclass
class AlertLine:
    trace: Trace
    brand: Named


@dataclass
class Picture:
    interests: list[Inference]
    events: list[Inference]
    age: Inference | None
    audiences: list[AudienceLine]
    ads: list[Inference]
    cards: list[Inference]
    alerts: list[AlertLine]
    details: list[DetailLine]
    action_count: int

    @property
    def exposed_details(self) -> list[DetailLine]:
        return [line for line in self.details if line.public or line.with_app]

    @property
    def usable_audiences(self) -> list[AudienceLine]:
        return [line for line in self.audiences if line.usable]

    def weight(self) -> int:
        """How much an advertiser or a fraudster can use: what the switches are compared by."""
        aimed = [line for line in self.ads if not line.item.chosen_by]  # the others are not about you
        return len(aimed) + len(self.cards) + len(self.usable_audiences) + len(self.exposed_details)


def traces_of(scenario: Scenario, choices: dict[str, dict[str, str]]) -> list[Trace]:
    """The reader's actions in feed order, each checked against the post (unknown ones are dropped)."""
    traces = []
    for post in scenario.posts:
        for action, value in choices.get(post.key, {}).items():
            if action not in post.actions:
                continue
            if action in ("comment", "quiz"):
                reply = post.reply(action, value)
                if reply is not None:
                    traces.append(Trace(post, action, reply))
            elif value == ON:
                traces.append(Trace(post, action))
    return traces


def _lines(named: dict[str, Named]) -> dict[str, Inference]:
    return {key: Inference(item) for key, item in named.items()}


def picture(scenario: Scenario, choices: dict[str, dict[str, str]], switches: frozenset[str]) -> Picture:
    """What the platform infers from `choices` ({post: {action: "on" | reply key}}) with the settings in
    `switches` (a subset of content.SETTINGS) turned on."""
    interests, events, ages = _lines(scenario.interests), _lines(scenario.events), _lines(scenario.ages)
    places: dict[str, list[Trace]] = {}
    visits: dict[str, list[Trace]] = {}
    details = {key: DetailLine(item) for key, item in scenario.details.items()}
    alerts = []
    traces = traces_of(scenario, choices)
    for trace in traces:
        source = SOURCES.get(trace.action, "platform")
        if source == "off_platform" and "off_platform" in switches:
            continue  # disconnected from the account: the platform no longer links the visit to you
        weight = scenario.weights[trace.action]
        post, reply = trace.post, trace.reply
        for key, strength in post.interests:
            interests[key].add(trace, strength * weight)
        for key in post.events + (reply.events if reply else ()):
            events[key].add(trace)
        for key, strength in post.ages + (reply.ages if reply else ()):
            ages[key].add(trace, strength * weight)
        if trace.action == "checkin":
            places.setdefault(post.place, []).append(trace)
        if trace.action == "visit":
            visits.setdefault(post.key, []).append(trace)
        if reply is not None:
            for key in reply.details:
                line = details[key]
                line.add(trace)
                if trace.action == "quiz":
                    line.with_app = True
                elif not (post.own_profile and "private" in switches):
                    line.public = True
            if reply.brand:
                alerts.append(AlertLine(trace, scenario.brands[reply.brand]))

    signals = (interests, events, places, visits)
    audiences = [_audience(audience, *signals, switches) for audience in scenario.audiences.values()]
    audiences = [line for line in audiences if line is not None]
    usable = {line.item.key: line for line in audiences if line.usable}
    ads = [_ad(ad, usable) for ad in scenario.ads]
    cards = [] if "teen" in switches else [_ad(card, usable) for card in scenario.cards]
    age_lines = [line for line in ages.values() if line.score]
    return Picture(
        interests=sorted((line for line in interests.values() if line.score), key=lambda line: -line.score),
        events=[line for line in events.values() if line.traces],
        age=max(age_lines, key=lambda line: line.score) if age_lines else None,
        audiences=audiences,
        ads=[line for line in ads if line is not None],
        cards=[line for line in cards if line is not None],
        alerts=alerts,
        details=[line for line in details.values() if line.traces],
        action_count=len(traces),
    )


BLOCKED_BY = {"partners": "partners", "location": "location", "off_platform": "off_platform"}


def _audience(audience: Audience, interests, events, places, visits, switches) -> AudienceLine | None:
    line = AudienceLine(audience)
    if audience.interest:
        source = interests[audience.interest]
        if source.score < audience.at_least:
            return None
        line.traces, line.score = list(source.traces), source.score
    elif audience.event:
        line.traces = list(events[audience.event].traces)
    elif audience.place:
        line.traces = list(places.get(audience.place, []))
    else:
        line.traces = list(visits.get(audience.visit, []))
    if not line.traces:
        return None
    blocking = BLOCKED_BY.get(audience.basis)
    if blocking in switches:
        line.usable, line.blocked_by = False, blocking
    elif "teen" in switches:
        line.usable, line.blocked_by = False, "teen"
    return line


def _ad(ad: Ad, usable: dict[str, AudienceLine]) -> Inference | None:
    if ad.chosen_by:
        return Inference(ad)
    audience = usable.get(ad.audience)
    if audience is None:
        return None
    return Inference(ad, traces=list(audience.traces))


@dataclass
class SwitchEffect:
    key: str
    before: int
    after: int

    @property
    def fewer(self) -> int:
        return self.before - self.after


def switch_effects(scenario: Scenario, choices, switches: frozenset[str]) -> dict[str, SwitchEffect]:
    """For each setting: how much an advertiser or fraudster can use with it off and with it on."""
    effects = {}
    for key in scenario.settings:
        off = picture(scenario, choices, switches - {key}).weight()
        on = picture(scenario, choices, switches | {key}).weight()
        effects[key] = SwitchEffect(key, before=off, after=on)
    return effects


def strongest_switches(scenario: Scenario, choices, count: int = 3) -> list[SwitchEffect]:
    """The settings that, each on its own, take away most from this reader's picture with no settings
    on: most first, ties in content order; only those that take something away."""
    effects = switch_effects(scenario, choices, frozenset()).values()
    # Age is a fact, not a setting: only the settings a reader can change are suggested.
    effects = [effect for effect in effects if effect.fewer > 0 and effect.key != "teen"]
    return sorted(effects, key=lambda effect: -effect.fewer)[:count]
