"""A team's default framework follows its setting, and the new-round form preselects it."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.frameworks.queries import (
    DEFAULT_FRAMEWORK_KEYS,
    default_framework_for,
    default_framework_key,
    latest_for_key,
)
from app.frameworks.service import import_frameworks
from app.models.base import SETTING_LABELS
from tests.conftest import soup
from tests.factories import make_person, make_service, make_team

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "benchmarks").glob("*.yaml"))

EXPECTED = {
    "community": "community",
    "inpatient": "inpatient",
    "rehabilitation": "rehab-secure",
    "secure": "rehab-secure",
    "crisis": "crisis",
    "voluntary-sector": "voluntary",
    "corporate": "corporate",
    "other": "community",
}


def test_every_setting_has_a_shipped_default_framework() -> None:
    assert set(DEFAULT_FRAMEWORK_KEYS) == set(SETTING_LABELS)
    assert DEFAULT_FRAMEWORK_KEYS == EXPECTED
    assert set(DEFAULT_FRAMEWORK_KEYS.values()) == {p.stem for p in SHIPPED}
    assert default_framework_key("somewhere new") == "community"


@pytest.fixture
def shipped(session):
    import_frameworks(session, SHIPPED)
    session.commit()
    make_service(session)


@pytest.mark.parametrize("setting", list(EXPECTED))
def test_a_new_team_starts_with_its_settings_framework(shipped, session, client, setting) -> None:
    team = make_team(session, f"Team {setting}", setting=setting)
    assert team.default_framework_key is None
    expected = latest_for_key(session, EXPECTED[setting])
    assert default_framework_for(session, team).id == expected.id
    make_person(session, team, "fiona", role="facilitator")
    session.commit()
    client.login("fiona")
    page = soup(client.get(f"/teams/{team.id}/rounds/new"))
    chosen = page.select("#framework_id option[selected]")
    assert [option["value"] for option in chosen] == [str(expected.id)]


def test_a_team_that_chose_a_framework_keeps_its_choice(shipped, session) -> None:
    team = make_team(
        session, "Crisis team on community", setting="crisis", framework_key="community"
    )
    assert default_framework_for(session, team).key == "community"


def test_a_chosen_framework_that_is_not_imported_falls_back_to_the_settings(
    shipped, session
) -> None:
    team = make_team(session, "Ward", setting="secure", framework_key="retired-key")
    assert default_framework_for(session, team).key == "rehab-secure"


def test_no_frameworks_imported_means_no_default(session) -> None:
    team = make_team(session, "Early team", setting="crisis")
    assert default_framework_for(session, team) is None
