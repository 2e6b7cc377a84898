"""Paging of the public lists whose selection can be very large: the count stops at a cap.

Counting every row of a selection is the one part of a page whose cost grows with the data:
on 250,000 recommendations an unfiltered list spends more time in COUNT(*) than in reading
its twenty rows. Readers do not page through ten thousand rows (they narrow the filters or
download the selection), so past the cap the page says "more than 10,000" and offers the
pages up to it.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """Django's Paginator, counting at most `cap` + 1 rows (one query, `LIMIT cap + 1` inside
    the count), so its cost is bounded whatever the selection.

    `count` is then at most `cap`, and `capped` says whether there are more rows than that:
    the pages reach the first `cap` rows only. `cap` defaults to settings.LIST_COUNT_CAP.
    `known_count`: the number of rows, when the caller already counted them (no query).
    """

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        *,
        cap: int | None = None,
        known_count: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = settings.LIST_COUNT_CAP if cap is None else cap
        self._known_count = known_count

    @cached_property
    def _counted(self) -> int:
        if self._known_count is not None:
            return self._known_count
        rows = self.object_list
        if isinstance(rows, QuerySet):
            # The order and the joined columns do not change how many rows there are; the
            # slice makes the database stop after cap + 1 of them.
            return rows.order_by()[: self.cap + 1].count()
        return len(rows)

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        """Whether the selection holds more rows than the count says (more than `cap`)."""
        return self._counted > self.cap
