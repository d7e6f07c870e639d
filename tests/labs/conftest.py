"""The labs' tests run on fixture messages (tests/labs/scams.toml)."""

from pathlib import Path

import pytest

from apps.labs import content

FIXTURE = Path(__file__).with_name("scams.toml")


@pytest.fixture(scope="session")
def fixture_scams():
    return content.load_scams(FIXTURE)


@pytest.fixture(autouse=True)
def labs_on_fixture_content(monkeypatch, fixture_scams):
    monkeypatch.setattr(content, "scams", lambda: fixture_scams)
