"""The seam through which reporting tells the layers above it that published data changed.

`report_validated` is sent inside the transaction that validates a report (`report=`): a
receiver that queues work must do it with `transaction.on_commit`, so nothing is queued for a
validation that rolls back. The compliance app connects its snapshot refresh here
(compliance/apps.py), so reporting never imports compliance.
"""

from __future__ import annotations

from django.dispatch import Signal

report_validated = Signal()
