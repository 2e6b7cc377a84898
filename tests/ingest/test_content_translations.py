"""`load_wgsom` and the translated reference data: the data files' English goes in the English
columns, the names of `content_translations.yaml` fill the other languages once, and a reload
never wipes or overwrites what the Secretariat translated."""

from __future__ import annotations

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from recommendations.models import Theme
from states.models import RegionalGroup

pytestmark = pytest.mark.usefixtures("wgsom")


def test_the_loaded_themes_are_english_with_the_working_translations():
    theme = Theme.objects.get(slug="prevention")

    assert theme.name_en == "Prevention"
    assert (theme.name_fr, theme.name_es, theme.name_ru) == (
        "Prévention",
        "Prevención",
        "Предупреждение",
    )
    assert (theme.name_ar, theme.name_zh_hans) == ("المنع", "预防")
    assert theme.key_topics_en == theme.key_topics


def test_every_theme_has_a_name_in_every_language():
    for theme in Theme.objects.all():
        for language in settings.MODELTRANSLATION_LANGUAGES:
            assert getattr(theme, f"name_{language.replace('-', '_')}"), (theme.slug, language)


def test_a_regional_group_without_a_checked_name_reads_in_english():
    group = RegionalGroup.objects.get(slug="african-states")

    assert group.name_fr == "États d'Afrique"
    assert group.name_ru is None
    with translation.override("ru"):
        assert group.name == "African States"


def test_every_translation_file_section_names_its_source():
    data = yaml.safe_load((settings.WGSOM_DATA_DIR / "content_translations.yaml").read_text())

    assert data["themes"]["source"] == "Secretariat working translation"
    assert "dgacm" in data["regional_groups"]["source"]


def test_reloading_keeps_the_secretariats_translations_and_the_english_names():
    Theme.objects.filter(slug="prevention").update(name_fr="Prévention du trafic")

    with translation.override("fr"):
        call_command("load_wgsom", verbosity=0)

    theme = Theme.objects.get(slug="prevention")
    assert theme.name_fr == "Prévention du trafic"
    assert theme.name_en == "Prevention"
    assert theme.name_ru == "Предупреждение"


def test_reloading_fills_a_translation_cleared_in_the_admin():
    Theme.objects.filter(slug="prevention").update(name_es=None)

    call_command("load_wgsom", verbosity=0)

    assert Theme.objects.get(slug="prevention").name_es == "Prevención"


def test_a_changed_english_name_reaches_the_english_column_on_reload(tmp_path):
    import shutil

    data_dir = tmp_path / "data"
    shutil.copytree(settings.WGSOM_DATA_DIR, data_dir)
    themes = data_dir / "themes.yaml"
    themes.write_text(themes.read_text().replace('"Prevention"', '"Prevention of smuggling"'))

    with translation.override("ar"):
        call_command("load_wgsom", "--data-dir", str(data_dir), verbosity=0)

    theme = Theme.objects.get(slug="prevention")
    assert theme.name_en == "Prevention of smuggling"
    assert theme.name_ar == "المنع"
