"""The simulator's tests run on tests/simulator/scenario.toml, a small scenario with one of everything."""

from pathlib import Path

import pytest

from apps.simulator import content

FIXTURE = Path(__file__).with_name("scenario.toml")


@pytest.fixture(scope="session")
def fixture_scenario() -> content.Scenario:
    return content.load_scenario(FIXTURE)


@pytest.fixture(autouse=True)
def simulator_on_fixture_content(monkeypatch, fixture_scenario):
    monkeypatch.setattr(content, "scenario", lambda: fixture_scenario)
