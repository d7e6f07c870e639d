"""What the simulator's pages show: the scenario, the reader's simulation, and the engine's picture."""

from django.contrib.sessions.backends.base import SessionBase

from apps.accounts.models import Reader
from apps.lessons import selectors as lesson_selectors

from . import engine
from .content import Scenario
from .models import SCENARIO, SimulatorFinish
from .services import simulation_of


def simulator_context(
    *,
    scenario: Scenario,
    session: SessionBase,
    changed_post: str = "",
    settings_changed: bool = False,
    debrief: bool = False,
) -> dict:
    simulation = simulation_of(session)
    picture = engine.picture(scenario, simulation.choices, simulation.switches)
    effects = engine.switch_effects(scenario, simulation.choices, simulation.switches)
    settings = [
        {"setting": setting, "on": key in simulation.switches, "effect": effects[key]}
        for key, setting in scenario.settings.items()
    ]
    context = {
        "scenario": scenario,
        "posts": [(post, simulation.choices.get(post.key, {})) for post in scenario.posts],
        "picture": picture,
        "settings": settings,
        "switches": simulation.switches,
        "is_teen": "teen" in simulation.switches,
        "changed_post": changed_post,
        "settings_changed": settings_changed,
    }
    if changed_post:
        context["post"] = scenario.post(changed_post)
        context["chosen"] = simulation.choices.get(changed_post, {})
    if debrief:
        context["module_titles"] = lesson_selectors.module_titles(slugs=list(scenario.modules))
        context["strongest"] = [
            {"effect": effect, "setting": scenario.settings[effect.key]}
            for effect in engine.strongest_switches(scenario, simulation.choices)
        ]
    return context


def simulator_finished_at(*, reader: Reader | None):
    """When this reader finished the simulator, or None."""
    if reader is None:
        return None
    rows = SimulatorFinish.objects.filter(reader=reader, scenario=SCENARIO)
    return rows.values_list("finished_at", flat=True).first()


def simulator_finished_user_ids(*, user_ids: list[int]) -> set[int]:
    """Which of these accounts finished the simulator: one query."""
    rows = SimulatorFinish.objects.filter(reader__user_id__in=user_ids, scenario=SCENARIO)
    return set(rows.values_list("reader__user_id", flat=True))


def simulator_export(*, reader: Reader | None) -> dict:
    """The reader's finishes of the simulator (what they did in it was never stored)."""
    rows = (
        SimulatorFinish.objects.filter(reader=reader)
        if reader is not None
        else SimulatorFinish.objects.none()
    )
    return {
        "simulator_finished": [
            {"scenario": scenario, "finished_at": finished_at.isoformat()}
            for scenario, finished_at in rows.order_by("finished_at").values_list("scenario", "finished_at")
        ]
    }
