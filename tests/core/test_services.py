"""`core.services.model_update`: the one update helper every service writes through."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.services import model_update
from recommendations.models import Recommendation
from tests.factories import ContactPointFactory, RecommendationFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_only_the_fields_that_differ_are_written():
    recommendation = RecommendationFactory(section="A", text="Old text.")

    with CaptureQueriesContext(connection) as queries:
        _, changed = model_update(
            instance=recommendation,
            fields=["section", "text"],
            data={"section": "A", "text": "New text."},
        )

    assert changed
    (update,) = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assert '"text"' in update and '"section"' not in update
    recommendation.refresh_from_db()
    assert (recommendation.section, recommendation.text) == ("A", "New text.")


def test_nothing_is_written_when_nothing_differs(django_assert_num_queries):
    theme = ThemeFactory()
    recommendation = RecommendationFactory(text="Same text.", themes=[theme])

    # 1 read of the themes to compare them, and no write
    with django_assert_num_queries(1):
        _, changed = model_update(
            instance=recommendation,
            fields=["text", "themes"],
            data={"text": "Same text.", "themes": [theme]},
        )

    assert not changed
    assert Recommendation.objects.get(pk=recommendation.pk).version == 1


def test_fields_missing_from_the_data_are_left_alone():
    recommendation = RecommendationFactory(section="A", text="Old text.")

    model_update(instance=recommendation, fields=["section", "text"], data={"text": "New."})

    recommendation.refresh_from_db()
    assert (recommendation.section, recommendation.text) == ("A", "New.")


def test_a_write_adds_one_to_the_version_of_a_model_that_has_one():
    recommendation = RecommendationFactory()

    model_update(instance=recommendation, fields=["section"], data={"section": "B"})

    assert Recommendation.objects.get(pk=recommendation.pk).version == 2


def test_a_model_without_a_version_is_updated_all_the_same():
    contact_point = ContactPointFactory(name="A. Person")

    _, changed = model_update(instance=contact_point, fields=["name"], data={"name": "B. Person"})

    contact_point.refresh_from_db()
    assert changed and contact_point.name == "B. Person"


def test_a_many_to_many_change_alone_is_a_write_and_adds_one_to_the_version():
    first, second = ThemeFactory(), ThemeFactory()
    recommendation = RecommendationFactory(themes=[first])

    _, changed = model_update(
        instance=recommendation, fields=["themes"], data={"themes": [first, second.pk]}
    )

    recommendation.refresh_from_db()
    assert changed
    assert set(recommendation.themes.all()) == {first, second}
    assert recommendation.version == 2


def test_the_history_records_who_changed_the_record_and_why(staff):
    recommendation = RecommendationFactory()

    model_update(
        instance=recommendation,
        fields=["section"],
        data={"section": "B"},
        by=staff,
        reason="edited",
    )

    latest = recommendation.history.order_by("-history_id").first()
    assert (latest.section, latest.history_user, latest.history_change_reason) == (
        "B",
        staff,
        "edited",
    )


def test_values_are_validated_unless_the_writer_checked_them_before():
    recommendation = RecommendationFactory()

    with pytest.raises(ValidationError) as refused:
        model_update(instance=recommendation, fields=["status"], data={"status": "rumoured"})
    assert "status" in refused.value.message_dict
    assert Recommendation.objects.get(pk=recommendation.pk).status == "adopted"

    # A blank text would not pass full_clean; unvalidated, it is written as given.
    fresh = Recommendation.objects.get(pk=recommendation.pk)
    model_update(instance=fresh, fields=["text"], data={"text": ""}, validate=False)
    assert Recommendation.objects.get(pk=recommendation.pk).text == ""
