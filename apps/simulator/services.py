"""Changes to a reader's simulation. It lives in their session only: never in the database, never on
their account, never shown to a teacher. Each change is a setting, not a toggle, so a resent form
changes nothing more."""

from dataclasses import dataclass, field

from django.contrib.sessions.backends.base import SessionBase
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Reader

from .content import SETTINGS, Scenario
from .engine import ON
from .models import SCENARIO, SimulatorFinish

SESSION_KEY = "simulator"
OFF = "off"


class SimulationRefused(Exception):
    """A change that names no post, action, reply or setting of the scenario; the message says which."""


@dataclass
class Simulation:
    choices: dict[str, dict[str, str]] = field(default_factory=dict)
    switches: frozenset[str] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not self.choices and not self.switches


def simulation_of(session: SessionBase) -> Simulation:
    """The reader's simulation; anything in the session that is not of the right shape is ignored."""
    stored = session.get(SESSION_KEY)
    if not isinstance(stored, dict):
        return Simulation()
    choices = stored.get("choices")
    switches = stored.get("switches")
    return Simulation(
        choices={
            str(post): {str(action): str(value) for action, value in actions.items()}
            for post, actions in (choices.items() if isinstance(choices, dict) else [])
            if isinstance(actions, dict)
        },
        switches=frozenset(s for s in (switches if isinstance(switches, list) else []) if s in SETTINGS),
    )


def _save(session: SessionBase, simulation: Simulation) -> None:
    session[SESSION_KEY] = {"choices": simulation.choices, "switches": sorted(simulation.switches)}


def simulation_act(
    *, session: SessionBase, scenario: Scenario, post_key: str, action: str, value: str
) -> Simulation:
    """Set one action on one post: "on" or "off", or for a comment or quiz the reply's key ("" takes the
    reply back)."""
    post = scenario.post(post_key)
    if post is None:
        raise SimulationRefused(_("That post is not in the feed."))
    if action not in post.actions:
        raise SimulationRefused(_("That post does not offer this action."))
    replies = action in ("comment", "quiz")
    if (replies and value and post.reply(action, value) is None) or (not replies and value not in (ON, OFF)):
        raise SimulationRefused(_("That choice is not one this post offers."))
    simulation = simulation_of(session)
    actions = simulation.choices.setdefault(post.key, {})
    if value in ("", OFF):
        actions.pop(action, None)
    else:
        actions[action] = value
    if not actions:
        del simulation.choices[post.key]
    _save(session, simulation)
    return simulation


def simulation_switches_set(*, session: SessionBase, switches: list[str]) -> Simulation:
    """Turn on exactly these settings (the others off)."""
    if any(switch not in SETTINGS for switch in switches):
        raise SimulationRefused(_("That setting is not one of the simulator's."))
    simulation = simulation_of(session)
    simulation.switches = frozenset(switches)
    _save(session, simulation)
    return simulation


def simulation_clear(*, session: SessionBase) -> None:
    session.pop(SESSION_KEY, None)


def simulator_finish(*, reader: Reader) -> SimulatorFinish:
    """Record that the reader finished the simulator (for their progress and their teacher). Safe to
    repeat and to race: one row at most."""
    finish, created = SimulatorFinish.objects.get_or_create(reader=reader, scenario=SCENARIO)
    if created:
        reader.progress_changed()
    return finish
