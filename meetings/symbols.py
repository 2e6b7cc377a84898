"""Where a UN document symbol leads: the official document, in the reader's language.

The address is undocs.org's, the United Nations' permanent address for a document by its
symbol (`https://undocs.org/<language>/<symbol>`), which sends the reader on to the document
on the Official Document System (documents.un.org). A symbol has no other address that stays
put; documents.un.org's own search addresses have changed with its redesigns.
"""

from __future__ import annotations

from urllib.parse import quote

from django.utils.translation import get_language

UNDOCS = "https://undocs.org"

# The UN's six official languages as undocs.org names them; Django's codes map onto them.
UN_LANGUAGES = {
    "ar": "ar",
    "zh-hans": "zh",
    "zh": "zh",
    "en": "en",
    "fr": "fr",
    "ru": "ru",
    "es": "es",
}


def un_document_url(symbol: str, language: str | None = None) -> str:
    """The official document `symbol` names (CTOC/COP/WG.7/2020/2), in `language` (default:
    the active one) where it is a UN language, else in English."""
    code = (language or get_language() or "en").lower()
    un_language = UN_LANGUAGES.get(code) or UN_LANGUAGES.get(code.split("-")[0], "en")
    return f"{UNDOCS}/{un_language}/{quote(symbol.strip(), safe='/()')}"
