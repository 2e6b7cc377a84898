"""The interface in six languages: the one-step switcher, a signed-in user's remembered
language, the page's language and direction, and catalogues with nothing left out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation import to_locale

pytestmark = pytest.mark.usefixtures("wgsom")

LOCALE = Path(settings.BASE_DIR) / "locale"
# Every language but English, whose strings are the source.
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]


def test_the_six_un_languages_are_offered_each_named_in_itself():
    assert settings.LANGUAGES == [
        ("ar", "العربية"),
        ("zh-hans", "中文"),
        ("en", "English"),
        ("fr", "Français"),
        ("ru", "Русский"),
        ("es", "Español"),
    ]
    assert settings.LANGUAGE_CODE == "en"


def test_every_page_offers_a_one_step_switcher_with_each_language_in_its_own_language(client):
    page = client.get(reverse("recommendations:list")).content.decode()

    assert 'action="/i18n/setlang/"' in page
    buttons = re.findall(r'<button type="submit" name="language"[^>]*>[^<]*</button>', page)
    assert buttons == [
        '<button type="submit" name="language" value="ar" lang="ar" dir="rtl" '
        'class="language-choice">العربية</button>',
        '<button type="submit" name="language" value="zh-hans" lang="zh-hans" dir="ltr" '
        'class="language-choice">中文</button>',
        '<button type="submit" name="language" value="en" lang="en" dir="ltr" '
        'class="language-choice" aria-current="true">English</button>',
        '<button type="submit" name="language" value="fr" lang="fr" dir="ltr" '
        'class="language-choice">Français</button>',
        '<button type="submit" name="language" value="ru" lang="ru" dir="ltr" '
        'class="language-choice">Русский</button>',
        '<button type="submit" name="language" value="es" lang="es" dir="ltr" '
        'class="language-choice">Español</button>',
    ]
    # Back to the page the reader was on, filters included.
    page = client.get(reverse("recommendations:list") + "?theme=technology").content.decode()
    assert '<input type="hidden" name="next" value="/recommendations/?theme=technology">' in page


def test_one_post_switches_and_returns_to_the_page(client):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/themes/"})

    assert response.status_code == 302
    assert response["Location"] == "/themes/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


def test_choosing_french_gives_the_pages_in_french(client):
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})

    page = client.get(reverse("recommendations:list")).content.decode()

    assert '<html lang="fr" dir="ltr">' in page
    assert "Aller au contenu principal" in page
    assert "Télécharger cette sélection" in page
    assert 'lang="fr" dir="ltr" class="language-choice" aria-current="true">Français<' in page


def test_choosing_arabic_lays_the_page_out_right_to_left(client):
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})

    page = client.get(reverse("home")).content.decode()

    assert '<html lang="ar" dir="rtl">' in page
    assert 'aria-current="true">العربية<' in page
    # Each language keeps its own name: a reader looks for "English", not its Arabic name.
    assert 'class="language-choice">English</button>' in page
    assert 'class="language-choice">中文</button>' in page


def test_chinese_is_served_as_simplified_chinese(client):
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})

    page = client.get(reverse("home")).content.decode()

    assert '<html lang="zh-hans" dir="ltr">' in page


def test_the_switcher_refuses_get_so_a_link_cannot_change_a_profile(client):
    assert client.get(reverse("set_language"), {"language": "ar"}).status_code == 405


def test_a_signed_in_users_choice_is_kept_in_their_profile(client, reader):
    client.force_login(reader)

    client.post(reverse("set_language"), {"language": "ru", "next": "/"})

    reader.refresh_from_db()
    assert reader.language == "ru"


def test_a_language_the_site_does_not_offer_is_not_kept(client, reader):
    client.force_login(reader)

    client.post(reverse("set_language"), {"language": "de", "next": "/"})

    reader.refresh_from_db()
    assert reader.language == ""


def test_an_anonymous_choice_touches_no_profile(client, reader):
    client.post(reverse("set_language"), {"language": "es", "next": "/"})

    reader.refresh_from_db()
    assert reader.language == ""


def test_signing_in_brings_back_the_remembered_language(client, reader):
    reader.language = "ar"
    reader.save(update_fields=["language"])

    response = client.post(
        reverse("login"), {"username": "reader", "password": "a-long-test-password"}
    )

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="ar" dir="rtl">' in page


def test_signing_in_without_a_remembered_language_keeps_the_browsers(client, reader):
    response = client.post(
        reverse("login"), {"username": "reader", "password": "a-long-test-password"}
    )

    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_admin_is_laid_out_right_to_left_in_arabic(client, superuser):
    client.force_login(superuser)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"

    page = client.get(reverse("admin:index")).content.decode()

    assert '<html lang="ar" dir="rtl">' in page


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


@pytest.mark.parametrize("locale", [to_locale(code) for code in TRANSLATED])
def test_the_catalogue_translates_every_string_and_is_compiled(locale):
    catalogue = LOCALE / locale / "LC_MESSAGES" / "django.po"
    entries = [e for e in _entries(catalogue.read_text(encoding="utf-8")) if e[0]]

    untranslated = [msgid for msgid, msgstr, _flags in entries if not all(msgstr)]
    fuzzy = [msgid for msgid, _msgstr, flags in entries if "fuzzy" in flags]
    assert entries
    assert untranslated == []
    assert fuzzy == []
    compiled = catalogue.with_suffix(".mo")
    assert compiled.exists(), f"{compiled} is missing: run compilemessages"
    assert compiled.stat().st_mtime >= catalogue.stat().st_mtime - 1
