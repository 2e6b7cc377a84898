"""Each request has an id, in its response header and on the log records it causes."""

from __future__ import annotations

import logging

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from core.logging import HEADER, RequestIdFilter, RequestIdMiddleware, request_id


def respond_logging(records):
    def view(request):
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
        RequestIdFilter().filter(record)
        records.append(record)
        return HttpResponse()

    return view


def test_a_request_gets_an_id_in_its_logs_and_response():
    records = []
    response = RequestIdMiddleware(respond_logging(records))(RequestFactory().get("/"))
    assert len(response[HEADER]) == 32
    assert records[0].request_id == response[HEADER]
    assert request_id.get() == "-"  # outside the request again


def test_a_proxys_plain_id_is_kept():
    request = RequestFactory().get("/", HTTP_X_REQUEST_ID="proxy-id-12345")
    response = RequestIdMiddleware(respond_logging([]))(request)
    assert response[HEADER] == "proxy-id-12345"


@pytest.mark.parametrize("sent", ["short", "x" * 65, "evil\nline-injected", 'quote"id-123'])
def test_an_id_that_could_forge_log_lines_is_replaced(sent):
    request = RequestFactory().get("/", HTTP_X_REQUEST_ID=sent)
    response = RequestIdMiddleware(respond_logging([]))(request)
    assert response[HEADER] != sent
