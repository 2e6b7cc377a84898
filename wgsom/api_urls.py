"""The REST API, version 1: each app's API views are registered here.

Resources are named in the plural with hyphens; an address under /api/v1/ that names none of
them answers the API's JSON 404 (the last pattern), not the site's HTML page.
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)
from rest_framework.routers import DefaultRouter

from core.api.errors import not_found
from meetings.apis import AgendaItemViewSet, DocumentViewSet
from recommendations.apis import MeetingViewSet, RecommendationViewSet, ThemeViewSet
from reporting.apis import (
    ImplementationReportViewSet,
    RecommendationStatusView,
    StateStatusView,
    StatusMatrixView,
)
from states.apis import RegionalGroupViewSet, StateViewSet

# drf-spectacular's ReDoc page, less the Google Fonts it links: the documentation is served
# entirely from this site (drf-spectacular-sidecar), and ReDoc falls back to system fonts.
_REDOC_WITHOUT_WEB_FONTS = """{% extends "drf_spectacular/redoc.html" %}
{% block head %}
<title>{{ title|default:"ReDoc" }}</title>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body { margin: 0; padding: 0; }</style>
{% endblock head %}"""


# The schema and its documentation pages are outside the throttle: a client generator, a
# linter or a reader's browser fetches them in bursts, often from behind one shared address.
class SchemaView(SpectacularAPIView):
    throttle_classes: list[type] = []


class SwaggerView(SpectacularSwaggerView):
    throttle_classes: list[type] = []


class RedocView(SpectacularRedocView):
    throttle_classes: list[type] = []

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        page = engines["django"].from_string(_REDOC_WITHOUT_WEB_FONTS)
        return HttpResponse(page.render(response.data, request=request))


app_name = "api"

router = DefaultRouter()
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("agenda-items", AgendaItemViewSet, basename="agenda-item")
router.register("documents", DocumentViewSet, basename="document")
router.register("themes", ThemeViewSet, basename="theme")
router.register("recommendations", RecommendationViewSet, basename="recommendation")
router.register("states", StateViewSet, basename="state")
router.register("regional-groups", RegionalGroupViewSet, basename="regional-group")
router.register(
    "implementation-reports", ImplementationReportViewSet, basename="implementation-report"
)

# Each list's whole selection as CSV, at an address of its own (`recommendations.csv`), so
# that the schema describes it as text/csv and the JSON list as JSON.
CSV = {"format": "csv"}
csv_exports = [
    path(f"{prefix}.csv", viewset.as_view({"get": "list"}), CSV, name=f"{basename}-csv")
    for prefix, viewset, basename in router.registry
]

urlpatterns = [
    *csv_exports,
    path("states/<str:code>/status/", StateStatusView.as_view(), name="state-status"),
    path("states/<str:code>/status.csv", StateStatusView.as_view(), CSV, name="state-status-csv"),
    path(
        "recommendations/<int:pk>/status/",
        RecommendationStatusView.as_view(),
        name="recommendation-status",
    ),
    path(
        "recommendations/<int:pk>/status.csv",
        RecommendationStatusView.as_view(),
        CSV,
        name="recommendation-status-csv",
    ),
    path("status-matrix/", StatusMatrixView.as_view(), name="status-matrix"),
    path("status-matrix.csv", StatusMatrixView.as_view(), CSV, name="status-matrix-csv"),
    path(
        "status-matrix.xlsx",
        StatusMatrixView.as_view(),
        {"format": "xlsx"},
        name="status-matrix-xlsx",
    ),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
    path("compliance/", include("compliance.api_urls")),
    *router.urls,
    # Last: whatever else is asked under /api/v1/ gets a JSON 404.
    re_path(r"^[\s\S]*$", not_found),  # any character, newlines too
]
