"""What the simulator's pages show: the scenario, the reader's simulation, and the engine's picture."""

from django.contrib.sessions.backends.base import SessionBase

from apps.lessons import selectors as lesson_selectors

from . import engine
from .content import Scenario
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
