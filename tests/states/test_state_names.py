"""States' names in the six UN languages: the UN name in English, the UN's short name where
the data gives one (data/state_names_un.csv, with its source), CLDR's otherwise."""

from __future__ import annotations

import csv

import pytest
from django.conf import settings
from django.utils import translation

from states.models import State
from states.names import state_name

pytestmark = pytest.mark.usefixtures("wgsom")


def name_of(code: str, language: str) -> str:
    with translation.override(language):
        return State.objects.get(code=code).display_name


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ar", "ألمانيا"),
        ("zh-hans", "德国"),
        ("ru", "Германия"),
        ("es", "Alemania"),
        ("fr", "Allemagne"),
        ("en", "Germany"),
    ],
)
def test_a_state_is_named_in_each_un_language_from_cldr(language, expected):
    assert name_of("DEU", language) == expected


def test_english_is_always_the_un_name():
    assert name_of("TUR", "en") == "Türkiye"
    assert name_of("GBR", "en") == "United Kingdom of Great Britain and Northern Ireland"


@pytest.mark.parametrize(
    ("code", "language", "un_name", "cldr_name"),
    [
        ("TUR", "fr", "Türkiye", "Turquie"),
        ("RUS", "ru", "Российская Федерация", "Россия"),
        ("PSE", "ar", "دولة فلسطين", "الأراضي الفلسطينية"),
        ("VAT", "zh-hans", "教廷", "梵蒂冈"),
        ("BOL", "es", "Bolivia (Estado Plurinacional de)", "Bolivia"),
    ],
)
def test_the_uns_short_name_overrides_cldr_where_they_differ(code, language, un_name, cldr_name):
    iso2 = State.objects.get(code=code).iso2
    assert state_name(code="ZZZ", iso2=iso2, name="x", language=language) == cldr_name
    assert name_of(code, language) == un_name


def test_every_override_names_its_source_and_a_known_state_and_language():
    path = settings.WGSOM_DATA_DIR / "state_names_un.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))

    codes = set(State.objects.values_list("code", flat=True))
    assert rows
    assert {row["code"] for row in rows} <= codes
    assert {row["language"] for row in rows} <= set(settings.MODELTRANSLATION_LANGUAGES)
    assert all(row["source"].startswith("UNTERM") for row in rows)
    assert len({(row["code"], row["language"]) for row in rows}) == len(rows)


def test_the_european_union_has_a_name_in_every_language():
    assert name_of("EU", "fr") == "Union européenne"
    assert name_of("EU", "zh-hans") == "欧盟"
    assert name_of("EU", "en") == "European Union"


def test_every_state_has_a_name_in_every_language():
    states = list(State.objects.all())
    for language in settings.MODELTRANSLATION_LANGUAGES:
        with translation.override(language):
            assert all(state.display_name for state in states)
