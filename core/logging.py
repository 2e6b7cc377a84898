"""Log lines that can be followed through one request: a request id on every record.

RequestIdMiddleware takes the id a proxy sent (X-Request-ID, when it looks like one) or makes
one, keeps it for the request's thread or task in a context variable, and returns it in the
response header, so a user's report of an error can be matched with the log lines it caused.
RequestIdFilter copies it onto each record (`-` outside a request: Celery, commands).
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
# A proxy's id is taken only when short and plain, so a client cannot write into the logs.
_ACCEPTED = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        sent = request.headers.get(HEADER, "")
        value = sent if _ACCEPTED.match(sent) else uuid.uuid4().hex
        token = request_id.set(value)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[HEADER] = value
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True
