"""The REST API, version 1: each app's API views are registered here.

Resources are named in the plural with hyphens; an address under /api/v1/ that names none of
them answers the API's JSON 404 (the last pattern), not the site's HTML page.
"""

from csp.constants import SELF
from csp.decorators import csp_update
from django.urls import include, path, re_path
from django.utils.decorators import method_decorator
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
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


# The schema and its documentation pages are outside the throttle: a client generator, a
# linter or a reader's browser fetches them in bursts, often from behind one shared address.
class SchemaView(SpectacularAPIView):
    throttle_classes: list[type] = []


# Both pages are served entirely from this site (drf-spectacular-sidecar) under the
# Content-Security-Policy, so with no inline script or style (templates/api/): Swagger UI's
# start-up script comes from the split view's ?script address, ReDoc's from static/js.
class SwaggerView(SpectacularSwaggerSplitView):
    throttle_classes: list[type] = []
    template_name = "api/swagger_ui.html"


# ReDoc's bundle writes one <style> element before it can be handed the nonce (the scrollbar
# rules of perfect-scrollbar, empty at first): allowed by the hashes of exactly those two
# contents, here only. Its search runs in a worker it makes from a blob: address. A new
# drf-spectacular-sidecar may change the rules and so the hash: the browser test
# (tests/browser/test_content_security_policy.py) says so, with the new hash in its message.
REDOC_STYLE_HASHES = [
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # the empty element
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",  # perfect-scrollbar's rules
]


@method_decorator(
    csp_update({"style-src": REDOC_STYLE_HASHES, "worker-src": [SELF, "blob:"]}),
    name="dispatch",
)
class RedocView(SpectacularRedocView):
    throttle_classes: list[type] = []
    template_name = "api/redoc.html"


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
