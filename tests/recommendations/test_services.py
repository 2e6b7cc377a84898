"""Writes of recommendations: `recommendation_update` for the Secretariat, refusing stale copies."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from recommendations.models import Recommendation
from recommendations.services import recommendation_update
from tests.factories import RecommendationFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def history_of(recommendation: Recommendation) -> list[tuple[int, str | None, str | None]]:
    return [
        (entry.version, entry.history_change_reason, getattr(entry.history_user, "username", None))
        for entry in recommendation.history.order_by("history_id")
    ]


def test_an_edit_adds_one_to_the_version_and_records_who_edited_it(staff):
    recommendation = RecommendationFactory(text="Old text.")

    edited = recommendation_update(
        recommendation=recommendation, by=staff, version=1, text="New text.", section="B"
    )

    edited.refresh_from_db()
    assert (edited.text, edited.section, edited.version) == ("New text.", "B", 2)
    assert history_of(edited)[-1] == (2, "edited", staff.username)


def test_changing_only_the_themes_is_an_edit_too(staff):
    first, second = ThemeFactory(), ThemeFactory()
    recommendation = RecommendationFactory(themes=[first])
    before = len(history_of(recommendation))

    edited = recommendation_update(
        recommendation=recommendation, by=staff, version=1, themes=[second]
    )

    edited.refresh_from_db()
    assert list(edited.themes.all()) == [second]
    assert edited.version == 2
    # The save, then the theme removed and the theme added: each by the editor.
    assert history_of(edited)[before:] == [(2, "edited", staff.username)] * 3


def test_an_edit_that_changes_nothing_writes_nothing(staff):
    theme = ThemeFactory()
    recommendation = RecommendationFactory(text="Same text.", themes=[theme])
    before = history_of(recommendation)

    unchanged = recommendation_update(
        recommendation=recommendation, by=staff, version=1, text="Same text.", themes=[theme]
    )

    assert Recommendation.objects.get(pk=unchanged.pk).version == 1
    assert history_of(unchanged) == before


def test_only_the_secretariat_edits_recommendations(focal_point):
    recommendation = RecommendationFactory(text="Old text.")

    with pytest.raises(PermissionDenied):
        recommendation_update(
            recommendation=recommendation, by=focal_point, version=1, text="New text."
        )

    recommendation.refresh_from_db()
    assert (recommendation.text, recommendation.version) == ("Old text.", 1)
