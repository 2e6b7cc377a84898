"""Writes for compliance snapshots."""

from __future__ import annotations


def snapshot_refresh_soon() -> None:
    """Queue a debounced snapshot refresh once the current transaction commits.

    INTERFACE: called by the reporting services after staff validate a report; implemented by
    the compliance summaries work (issue 6). Safe to call any number of times.
    """
