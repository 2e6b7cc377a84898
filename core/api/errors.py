"""One JSON error format for every answer under /api/, whatever format was asked for."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings


class ErrorSerializer(serializers.Serializer[Any]):
    """The body of every error the API answers (documented on every operation)."""

    detail = serializers.CharField(help_text=_("What went wrong, in a sentence."))
    code = serializers.CharField(
        help_text=_(
            "A stable machine-readable code: invalid, not_authenticated, "
            "authentication_failed, permission_denied, not_found, method_not_allowed, "
            "not_acceptable, unsupported_media_type, throttled, parse_error, "
            "precondition_failed."
        )
    )
    # Only documents the body (never validates), so shadowing Serializer.errors is harmless.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.JSONField(),
        required=False,
        help_text=_(
            "On a 400 only: each query parameter or field in error, with its messages "
            "(`non_field_errors` for errors of the request as a whole)."
        ),
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus Django's ValidationError from the services, in one JSON shape.

    The response is always rendered as JSON: an error asked for as CSV or HTML would hide
    the message from the client that needs it most.
    """
    if isinstance(exc, DjangoValidationError):
        # The services name the field in error; their messages reach the client unchanged.
        if hasattr(exc, "error_dict"):
            detail: Any = exc.message_dict
        else:
            detail = {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, DjangoPermissionDenied):
        # The services say why (permissions.ensure); the client hears it.
        exc = exceptions.PermissionDenied(*exc.args)
    # Imported here: rest_framework.views reads the settings that name this module.
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail
        if not isinstance(errors, dict):
            errors = {api_settings.NON_FIELD_ERRORS_KEY: errors}
        response.data = {"detail": str(_("Invalid input.")), "code": "invalid", "errors": errors}
    else:
        detail = exc.detail
        response.data = {
            "detail": str(detail),
            "code": getattr(detail, "code", None) or exc.default_code,
        }
    request = context.get("request")
    if request is not None:
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = "application/json"
    return response


@csrf_exempt  # an API answer, to any method: CSRF does not apply to a 404
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """The 404 for a path under /api/v1/ that names no resource, in the API's JSON shape.

    Being a catch-all, this pattern stops CommonMiddleware's APPEND_SLASH from seeing an
    unresolved path, so it redirects a path missing only its final slash itself.
    """
    if settings.APPEND_SLASH and not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                request.path + "/" + (f"?{query}" if query else "")
            )
    return JsonResponse(
        {"detail": str(_("No API resource at this address.")), "code": "not_found"},
        status=status.HTTP_404_NOT_FOUND,
    )
