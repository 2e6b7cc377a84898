"""The one vocabulary of implementation statuses, with the labels and colours every page uses.

A State reports one of the five stored statuses; "no information" is derived (the State has no
validated report on the recommendation) and never stored. The colours are the site's palette
(Okabe-Ito based, told apart with the common colour-vision deficiencies); `static/css/site.css`
declares the same values as custom properties for the badges and chart fills, and
tests/core/test_statuses.py keeps those, the compliance figure fields and this module equal.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ImplementationStatus(models.TextChoices):
    """What a State reports. "No information" is derived (no validated report), never stored."""

    IMPLEMENTED = "implemented", _("Implemented")
    PARTIALLY_IMPLEMENTED = "partially_implemented", _("Partially implemented")
    IN_PROGRESS = "in_progress", _("In progress")
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


# What a State with no validated report on a recommendation shows: derived, never stored.
NO_INFORMATION = "no_information"
NO_INFORMATION_LABEL = _("No information")

# Every status a page counts, in the order charts, tables and legends show them.
STATUS_COLUMNS: tuple[str, ...] = (*ImplementationStatus.values, NO_INFORMATION)

# The statuses counted as implementing, fully or partly (the "share implementing").
IMPLEMENTING_STATUSES: tuple[str, ...] = (
    ImplementationStatus.IMPLEMENTED.value,
    ImplementationStatus.PARTIALLY_IMPLEMENTED.value,
)

STATUS_LABELS: dict[str, str | Promise] = {
    **dict(ImplementationStatus.choices),
    NO_INFORMATION: NO_INFORMATION_LABEL,
}

# A current status as filters offer it: a reported status, or no information.
CURRENT_STATUS_CHOICES: list[tuple[str, str | Promise]] = [
    *ImplementationStatus.choices,
    (NO_INFORMATION, NO_INFORMATION_LABEL),
]

STATUS_COLOURS: dict[str, str] = {
    ImplementationStatus.IMPLEMENTED.value: "#00704a",
    ImplementationStatus.PARTIALLY_IMPLEMENTED.value: "#56b4e9",
    ImplementationStatus.IN_PROGRESS.value: "#e69f00",
    ImplementationStatus.NOT_IMPLEMENTED.value: "#b23a00",
    ImplementationStatus.NOT_APPLICABLE.value: "#6b6b6b",
    NO_INFORMATION: "#d9dde1",
}

# The two lines of the compliance trend. Implementing takes the implemented green, so the
# line reads as the bars do; reporting takes the palette's blue, which no status uses, so it
# cannot be read as a status.
TREND_COLOURS: dict[str, str] = {
    "reported": "#0072b2",
    "implementing": STATUS_COLOURS[ImplementationStatus.IMPLEMENTED.value],
}


def status_legend() -> list[dict[str, Any]]:
    """The legend of a status chart: every status with its label, in chart order."""
    return [{"status": s, "label": STATUS_LABELS[s]} for s in STATUS_COLUMNS]


def label_status(row: Any, attribute: str = "current_status") -> Any:
    """Give a row annotated with a status value its display label (None is no information)."""
    value = getattr(row, attribute, None) or NO_INFORMATION
    row.status_value = value
    row.status_label = STATUS_LABELS.get(value, value)
    return row
