"""`{{ document.symbol|un_document_link }}`: a UN document symbol as a link to the official
document (meetings/symbols.py), the symbol being the link's text. Every page that shows a
symbol shows it through this filter, so that each one leads to its document."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from meetings.symbols import un_document_url

register = template.Library()


@register.filter
def un_document_link(symbol: str | None) -> SafeString | str:
    if not symbol:
        return ""
    return format_html(
        '<a class="un-symbol-link" href="{}" rel="external noopener" title="{}">{}</a>',
        un_document_url(symbol),
        gettext("The official document on the United Nations documents site"),
        symbol,
    )
