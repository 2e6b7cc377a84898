"""The interface in French: the switcher, the pages, and a catalogue with nothing left out."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.usefixtures("wgsom")

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_every_page_offers_the_language_switcher(client):
    page = client.get(reverse("recommendations:list")).content.decode()

    assert 'action="/i18n/setlang/"' in page
    assert '<option value="fr" lang="fr">Français</option>' in page


def test_choosing_french_gives_the_pages_in_french(client):
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})

    page = client.get(reverse("recommendations:list")).content.decode()

    assert '<html lang="fr">' in page
    assert "Aller au contenu principal" in page
    assert "Télécharger cette sélection" in page


def _entries(text: str):
    """(msgid, [msgstr, ...], flags) of each entry of a .po file; plural forms give several
    msgstr, and strings continued over several lines are joined."""
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields: list[tuple[str, list[str]]] = []
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith("msg"):
                keyword, rest = line.split(" ", 1)
                fields.append((keyword, [rest.strip()[1:-1]]))
            elif fields:
                fields[-1][1].append(line.strip()[1:-1])
        values = {keyword: "".join(parts) for keyword, parts in fields}
        if "msgid" not in values:
            continue
        msgstrs = [v for k, v in values.items() if k.startswith("msgstr")]
        yield values["msgid"], msgstrs, flags


def test_the_french_catalogue_translates_every_string_and_is_compiled():
    entries = [e for e in _entries(CATALOGUE.read_text(encoding="utf-8")) if e[0]]

    untranslated = [msgid for msgid, msgstr, _flags in entries if not all(msgstr)]
    fuzzy = [msgid for msgid, _msgstr, flags in entries if "fuzzy" in flags]
    assert entries
    assert untranslated == []
    assert fuzzy == []
    assert CATALOGUE.with_suffix(".mo").stat().st_mtime >= CATALOGUE.stat().st_mtime - 1
