"""`core.reference_data.upsert_reference` writes an existing record through `model_update`."""

from __future__ import annotations

import pytest

from core.reference_data import LoadStats, upsert_reference
from recommendations.models import Recommendation, Theme
from tests.factories import MeetingFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def load(model, *, lookup, values, overwrite_edits=False):
    stats = LoadStats()
    obj = upsert_reference(
        model, lookup=lookup, values=values, stats=stats, overwrite_edits=overwrite_edits
    )
    ((_, outcome),) = stats.keys()
    return obj, outcome


def recommendation_values(**values):
    return {
        "text": "States parties should share information.",
        "status": Recommendation.Status.ADOPTED,
        "addressee": Recommendation.Addressee.STATES_PARTIES,
        "strength": Recommendation.Strength.SHOULD,
        **values,
    }


def test_a_reload_that_adds_a_theme_writes_it_and_adds_one_to_the_version():
    meeting, first, second = MeetingFactory(), ThemeFactory(), ThemeFactory()
    lookup = {"meeting": meeting, "label": "1"}
    load(Recommendation, lookup=lookup, values=recommendation_values(themes=[first]))

    reloaded, outcome = load(
        Recommendation, lookup=lookup, values=recommendation_values(themes=[first, second])
    )

    assert outcome == "updated"
    reloaded.refresh_from_db()
    assert set(reloaded.themes.all()) == {first, second}
    assert reloaded.version == 2
    # The checksum now matches the themes written, so the same load again changes nothing.
    _, again = load(
        Recommendation, lookup=lookup, values=recommendation_values(themes=[first, second])
    )
    assert again == "unchanged"


def test_a_staff_edit_is_kept_and_overwritten_only_when_asked():
    lookup = {"slug": "borders"}
    theme, _ = load(Theme, lookup=lookup, values={"name": "Borders", "order": 1})
    Theme.objects.filter(pk=theme.pk).update(name="Borders (edited)")

    _, kept = load(Theme, lookup=lookup, values={"name": "Borders", "order": 2})
    assert kept == "kept (edited by staff)"
    assert Theme.objects.get(pk=theme.pk).order == 1

    _, overwritten = load(
        Theme, lookup=lookup, values={"name": "Borders", "order": 2}, overwrite_edits=True
    )
    assert overwritten == "overwritten"
    assert Theme.objects.values_list("name", "order").get(pk=theme.pk) == ("Borders", 2)


def test_a_reload_is_not_refused_for_a_value_the_first_load_wrote():
    # A blank name would not pass full_clean; the create did not check it, nor may the update.
    lookup = {"slug": "unnamed"}
    load(Theme, lookup=lookup, values={"name": "", "order": 1})

    reloaded, outcome = load(Theme, lookup=lookup, values={"name": "", "order": 2})

    assert outcome == "updated"
    reloaded.refresh_from_db()
    assert reloaded.order == 2
