"""How a page writes a value the whole site writes the same way.

`{{ share|percent }}`: the one way a page writes a percentage (core/formatting.py). The value is
a fraction (0.16); `{{ whole|percent:100 }}` reads a value already in percent (16). An empty
value (None, "") shows nothing, as there is no rate to show.

`{% status_badge value label %}`: the one status badge. `_status_badge.html` renders through it,
so pages that include the partial and tables that call the tag once per row (where an include
per row costs more than the row's other cells) write the same markup.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core.formatting import format_percent

register = template.Library()


@register.filter
def percent(value: Any, scale: Any = 1) -> str:
    if value is None or value == "":
        return ""
    try:
        share = Decimal(str(value)) / Decimal(str(scale))
    except (InvalidOperation, ZeroDivisionError):
        return ""
    return format_percent(share)


@register.simple_tag
def status_badge(value: Any, label: Any) -> SafeString:
    """A status (its code, for the colour class) and its label, escaped."""
    return format_html('<span class="status status-{}">{}</span>', value, label)
