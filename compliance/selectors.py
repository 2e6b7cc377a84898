"""Compliance figures: how many States parties report implementing each recommendation.

INTERFACE (implemented by the compliance work; the dashboard and theme pages read it):

`compliance_figures() -> dict` computes the figures live from validated reports, in a constant
number of aggregate queries; `latest_figures() -> dict` returns the latest snapshot's figures,
or computes them live when there is no snapshot yet. The shape, for every dimension:

    {
      "overall": COUNTS,
      "by_recommendation": [{"id", "label", "meeting", **COUNTS}, ...],
      "by_theme": [{"slug", "name", **COUNTS}, ...],
      "by_meeting": [{"ordinal", "year", **COUNTS}, ...],
      "by_state": [{"code", "name", **COUNTS}, ...],
      "by_regional_group": [{"slug", "name", **COUNTS}, ...],
    }

where COUNTS = {"implemented", "partially_implemented", "in_progress", "not_implemented",
"not_applicable", "no_information": int, "reported": int (States parties with a validated
report), "states_parties": int, "share_implementing": float (0..1, full or partial)}; for a
theme, meeting or group the counts are over (State party x adopted recommendation) pairs.
"""

from __future__ import annotations


def compliance_figures() -> dict:
    raise NotImplementedError("built by the compliance summaries work (issue 6)")


def latest_figures() -> dict:
    raise NotImplementedError("built by the compliance summaries work (issue 6)")
