"""`{{ share|percent }}`: the one way a page writes a percentage (core/formatting.py).

The value is a fraction (0.16); `{{ whole|percent:100 }}` reads a value already in percent (16).
An empty value (None, "") shows nothing, as there is no rate to show.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

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
