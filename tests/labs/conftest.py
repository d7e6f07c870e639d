"""The labs' tests run on fixture content (tests/labs/scams.toml, policies.toml and requests.toml)."""

from pathlib import Path

import pytest

from apps.labs import content

FIXTURE = Path(__file__).with_name("scams.toml")
POLICY_FIXTURE = Path(__file__).with_name("policies.toml")
REQUESTS_FIXTURE = Path(__file__).with_name("requests.toml")


@pytest.fixture(scope="session")
def fixture_scams():
    return content.load_scams(FIXTURE)


@pytest.fixture(scope="session")
def fixture_policies():
    return content.load_policies(POLICY_FIXTURE)


@pytest.fixture(scope="session")
def fixture_requests():
    return content.load_requests(REQUESTS_FIXTURE)


@pytest.fixture(autouse=True)
def labs_on_fixture_content(monkeypatch, fixture_scams, fixture_policies, fixture_requests):
    monkeypatch.setattr(content, "scams", lambda: fixture_scams)
    monkeypatch.setattr(content, "policies", lambda: fixture_policies)
    monkeypatch.setattr(content, "requests", lambda: fixture_requests)
