"""What every endpoint of the REST API shares: paging, CSV, errors, conditional GETs, throttles.

The conventions here are the API's contract with its clients, so every resource follows them
(the compliance endpoints too):

- lists are paged by page number (`?page=`, `?page_size=` up to `API_MAX_PAGE_SIZE`) and
  answer `{"count", "next", "previous", "results"}`; `?format=csv` (or `Accept: text/csv`)
  gives every matching row as one streamed CSV table, never a page (core/api/csv.py,
  docs/exports.md);
- every error is JSON, `{"detail": ..., "code": ...}`, with `"errors": {parameter or field:
  [messages]}` on a 400, whatever format was asked for;
- a GET answers with an ETag (of the exact representation) and, where the data has one, a
  Last-Modified; a conditional GET that matches gets a 304 with no body;
- anonymous clients and signed-in users are throttled at configurable rates; a 429 carries
  Retry-After.
"""
