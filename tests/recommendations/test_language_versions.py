"""A recommendation's official text in the other UN languages: recorded by the Secretariat
with the document it comes from, shown in the reader's language, never invented."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from recommendations.models import RecommendationText
from recommendations.selectors import recommendation_list
from recommendations.services import recommendation_text_delete, recommendation_text_record
from tests.factories import RecommendationFactory

FRENCH = (
    "Les États parties devraient renforcer la coopération consulaire afin de démanteler les "
    "réseaux de passeurs."
)


@pytest.fixture
def recommendation(db):
    return RecommendationFactory(text="States parties should strengthen consular cooperation.")


def test_the_secretariat_records_a_french_text_with_its_source(recommendation, secretariat):
    version = recommendation_text_record(
        recommendation=recommendation,
        language="fr",
        text=FRENCH,
        source="CTOC/COP/WG.7/2020/4",
        by=secretariat,
    )

    assert version.text == FRENCH
    assert version.source == "CTOC/COP/WG.7/2020/4"
    assert version.entered_by == secretariat
    # English stays the recommendation's own text.
    recommendation.refresh_from_db()
    assert recommendation.text == "States parties should strengthen consular cooperation."


def test_recording_again_replaces_the_language_version(recommendation, secretariat):
    recommendation_text_record(
        recommendation=recommendation, language="fr", text="Ancien.", source="A", by=secretariat
    )
    recommendation_text_record(
        recommendation=recommendation, language="fr", text=FRENCH, source="B", by=secretariat
    )

    versions = RecommendationText.objects.filter(recommendation=recommendation)
    assert [(v.language, v.text, v.source) for v in versions] == [("fr", FRENCH, "B")]


def test_a_text_without_its_source_is_refused(recommendation, secretariat):
    with pytest.raises(ValidationError) as error:
        recommendation_text_record(
            recommendation=recommendation, language="fr", text=FRENCH, source=" ", by=secretariat
        )

    assert "source" in error.value.message_dict
    assert not RecommendationText.objects.filter(recommendation=recommendation).exists()


def test_english_is_not_a_language_version(recommendation, secretariat):
    with pytest.raises(ValidationError) as error:
        recommendation_text_record(
            recommendation=recommendation, language="en", text="x", source="y", by=secretariat
        )

    assert "language" in error.value.message_dict


def test_a_focal_point_cannot_record_a_language_version(recommendation, focal_point_a):
    with pytest.raises(PermissionDenied):
        recommendation_text_record(
            recommendation=recommendation, language="fr", text=FRENCH, source="x", by=focal_point_a
        )


def test_the_text_is_shown_in_the_active_language_with_its_source(recommendation, secretariat):
    recommendation_text_record(
        recommendation=recommendation,
        language="ar",
        text="ينبغي للدول الأطراف أن تعزز التعاون القنصلي.",
        source="CTOC/COP/WG.7/2020/4",
        by=secretariat,
    )

    with translation.override("ar"):
        shown = recommendation_list().get(pk=recommendation.pk).displayed

    assert (shown.language, shown.source, shown.missing) == ("ar", "CTOC/COP/WG.7/2020/4", False)
    assert shown.text == "ينبغي للدول الأطراف أن تعزز التعاون القنصلي."


def test_a_missing_language_version_shows_the_english_text_marked_as_such(recommendation):
    with translation.override("ru"):
        shown = recommendation_list().get(pk=recommendation.pk).displayed

    assert shown.language == "en"
    assert shown.missing is True
    assert shown.text == recommendation.text


def test_english_readers_see_the_english_text_as_the_official_one(recommendation):
    with translation.override("en"):
        shown = recommendation_list().get(pk=recommendation.pk).displayed

    assert (shown.language, shown.missing) == ("en", False)


def test_a_version_recorded_by_mistake_can_be_removed(recommendation, secretariat):
    version = recommendation_text_record(
        recommendation=recommendation, language="es", text="Texto.", source="x", by=secretariat
    )

    recommendation_text_delete(version=version, by=secretariat)

    assert not RecommendationText.objects.filter(recommendation=recommendation).exists()


def test_recording_a_text_marks_the_recommendation_as_updated_for_clients_that_sync(
    recommendation, secretariat
):
    before = recommendation.updated_at

    recommendation_text_record(
        recommendation=recommendation, language="fr", text=FRENCH, source="x", by=secretariat
    )

    recommendation.refresh_from_db()
    assert recommendation.updated_at > before
    assert recommendation.version == 1
