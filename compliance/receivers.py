"""How compliance hears of changes in the layers below it (connected in apps.py)."""

from __future__ import annotations

from typing import Any

from . import refresh


def refresh_after_validation(sender: Any, **kwargs: Any) -> None:
    """A validated report changes the figures: refresh the snapshot once the validation
    commits (debounced; see refresh.py)."""
    refresh.snapshot_refresh_soon()
