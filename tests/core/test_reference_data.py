"""`core.reference_data`: the upsert writes an existing record through `model_update`, finds
records read beforehand without a query, and translations fill only empty columns."""

from __future__ import annotations

import pytest

from core.reference_data import KnownRecords, LoadStats, translations_fill, upsert_reference
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


def test_known_records_find_each_record_without_a_query_of_its_own(django_assert_num_queries):
    themes = [ThemeFactory(slug=f"known-{n}") for n in range(3)]

    def load_all(known, stats):
        return [
            upsert_reference(
                Theme,
                lookup={"slug": theme.slug},
                values={"name": theme.name, "order": theme.order},
                stats=stats,
                known=known,
            )
            for theme in themes
        ]

    load_all(KnownRecords(Theme, "slug"), LoadStats())  # records the checksums
    stats = LoadStats()
    # 1 read of the themes
    with django_assert_num_queries(1):
        known = KnownRecords(Theme, "slug", slug__startswith="known-")
    # nothing more: every theme is among those read, and its values are the same
    with django_assert_num_queries(0):
        found = load_all(known, stats)

    assert [theme.pk for theme in found] == [theme.pk for theme in themes]
    assert stats == {(Theme._meta.verbose_name_plural, "unchanged"): 3}
    assert known.get({"slug": "known-9"}) is None
    with pytest.raises(ValueError, match="not part of the key"):
        known.get({"slug": "known-0", "order": 1})


def test_a_record_the_upsert_creates_is_known_from_then_on():
    meeting = MeetingFactory()
    known = KnownRecords(Recommendation, "meeting", "label", meeting=meeting)
    lookup = {"meeting": meeting, "label": "1"}

    created = upsert_reference(
        Recommendation,
        lookup=lookup,
        values=recommendation_values(),
        stats=LoadStats(),
        known=known,
    )

    assert known.get(lookup) == created


def test_translations_are_written_only_where_their_column_is_empty(django_assert_num_queries):
    theme = ThemeFactory(slug="fill", name_fr="Nom choisi")
    stats = LoadStats()

    # 1 read of the theme's columns, 1 write of the empty ones
    with django_assert_num_queries(2):
        translations_fill(
            Theme,
            lookup={"slug": "fill"},
            field="name",
            values={"fr": "Nom du fichier", "es": "Nombre", "en": "Ignored"},
            stats=stats,
        )

    theme.refresh_from_db()
    assert (theme.name_fr, theme.name_es) == ("Nom choisi", "Nombre")
    assert stats == {
        (Theme._meta.verbose_name_plural, "translation already present"): 1,
        (Theme._meta.verbose_name_plural, "translation added"): 1,
    }
    # 1 read, and no write: every column is filled now
    with django_assert_num_queries(1):
        translations_fill(
            Theme, lookup={"slug": "fill"}, field="name", values={"es": "Otro"}, stats=stats
        )
    with pytest.raises(Theme.DoesNotExist):
        translations_fill(
            Theme, lookup={"slug": "missing"}, field="name", values={"es": "x"}, stats=stats
        )
