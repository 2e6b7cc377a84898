"""API views of implementation reports (the one resource clients write) and of current
statuses: a State's status on every recommendation, every State's on one.

Reads go through the selectors the pages use (reporting/selectors.py), writes through the
services the web forms use (reporting/services.py): a report written with a token obeys
exactly the rules of one written in the browser.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Max
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import IsWorkerOrReadOnly
from core.api.errors import ErrorSerializer
from core.api.schema import id_parameter
from core.api.views import APIViewMixin
from recommendations.models import Recommendation
from states.apis import CODE_PARAMETER
from states.models import State

from . import selectors, services
from .filters import ImplementationReportFilter, RecommendationStatusFilter, StateStatusFilter
from .models import ImplementationReport
from .serializers import (
    ImplementationReportCreateSerializer,
    ImplementationReportSerializer,
    ImplementationReportUpdateSerializer,
    RecommendationWithStatusSerializer,
    ReviewSerializer,
    StateWithStatusSerializer,
    VersionSerializer,
)


@extend_schema(
    tags=["recommendations"],
    summary="Every State's current status on a recommendation",
    description=(
        "One row per State party to the Protocol, and per other State with a validated "
        "report on it, with its current status: the status of its latest validated report, "
        "or `no_information`. Filter by regional group, Protocol status or status. "
        "Last-Modified is the newest change to the States or to the reports on it."
    ),
    parameters=[id_parameter("recommendation", 29)],
)
class RecommendationStatusView(APIViewMixin, generics.ListAPIView):
    serializer_class = StateWithStatusSerializer
    filterset_class = RecommendationStatusFilter
    permission_classes = [permissions.AllowAny]
    ordering_fields = ["name", "code", "current_as_of", "updated_at"]
    queryset = Recommendation.objects.none()  # for the schema; get_queryset reads the pk

    def get_recommendation(self) -> Recommendation:
        if not hasattr(self, "_recommendation"):
            self._recommendation = get_object_or_404(Recommendation, pk=self.kwargs["pk"])
        return self._recommendation

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular builds the schema
            return Recommendation.objects.none()
        return selectors.states_with_recommendation_status(
            recommendation=self.get_recommendation()
        ).order_by("name")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["recommendation"] = self.get_recommendation()
        return context

    def list_last_modified(self, queryset):
        newest = super().list_last_modified(queryset)
        reports = ImplementationReport.objects.filter(
            recommendation=self.get_recommendation()
        ).aggregate(newest=Max("updated_at"))["newest"]
        return max((stamp for stamp in (newest, reports) if stamp), default=None)


_REPORT_RESPONSES = {
    200: ImplementationReportSerializer,
    400: OpenApiResponse(ErrorSerializer, description="A field is wrong or the version is old."),
}


@extend_schema_view(
    list=extend_schema(
        summary="List implementation reports",
        description=(
            "What States report about implementing recommendations. Everyone sees validated "
            "reports; a focal point also its own State's drafts, submitted and returned "
            "reports; the Secretariat everything. `current=true` keeps each State's latest "
            "validated report on each recommendation; `updated_since` what was created, "
            "changed, submitted, validated or returned since a previous pull."
        ),
    ),
    retrieve=extend_schema(
        summary="Get an implementation report",
        description="One report, if you may see it (a 404 otherwise).",
        parameters=[id_parameter("report", 1)],
    ),
    create=extend_schema(
        summary="Record an implementation report",
        description=(
            "A focal point records a draft for its own State (source focal_point); the "
            "Secretariat for any State, giving `source`, as a draft or validated at once "
            "(`validate: true`). Only adopted recommendations take reports. A correction of a "
            "validated report names it in `supersedes`."
        ),
        request=ImplementationReportCreateSerializer,
        responses={201: ImplementationReportSerializer},
    ),
    partial_update=extend_schema(
        summary="Change an open report",
        description=(
            "Change a draft or returned report (the Secretariat: also a submitted one). Send "
            "the `version` you read: if the report changed since, nothing is saved and the "
            "400 says what changed. A validated report never changes: record a correction."
        ),
        request=ImplementationReportUpdateSerializer,
        responses=_REPORT_RESPONSES,
        parameters=[id_parameter("report", 1)],
    ),
)
class ImplementationReportViewSet(
    APIViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    filterset_class = ImplementationReportFilter
    permission_classes = [IsWorkerOrReadOnly]
    ordering_fields = ["as_of", "updated_at", "validated_at", "id"]
    # Reports are never deleted and only changed in part: no PUT, no DELETE (405).
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.reports_visible_to(self.request.user)

    def get_serializer_class(self):
        return {
            "create": ImplementationReportCreateSerializer,
            "partial_update": ImplementationReportUpdateSerializer,
            "validate": ReviewSerializer,
            "return_": ReviewSerializer,
            "submit": VersionSerializer,
        }.get(self.action, ImplementationReportSerializer)

    def _answer(self, report: ImplementationReport, code: int = status.HTTP_200_OK) -> Response:
        data = ImplementationReportSerializer(report, context=self.get_serializer_context()).data
        return Response(data, status=code)

    def _move(
        self, request: Request, service: Callable[..., ImplementationReport], *fields: str
    ) -> Response:
        """One step of the review workflow: the service decides, from the version (and the
        `fields`, such as a return's comment) the client sent."""
        report = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        given = serializer.validated_data
        extra = {name: given.get(name, "") for name in fields}
        report = service(report=report, by=request.user, version=given.get("version"), **extra)
        return self._answer(report)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        report = services.implementation_report_create(
            by=request.user, validate=data.pop("validate", False), **data
        )
        return self._answer(report, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        report = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        version = fields.pop("version")
        report = services.implementation_report_update(
            report=report, by=request.user, version=version, **fields
        )
        return self._answer(report)

    @extend_schema(
        summary="Submit a report for validation",
        description="A focal point (or the Secretariat) sends a draft or returned report to "
        "the Secretariat for validation.",
        request=VersionSerializer,
        responses=_REPORT_RESPONSES,
        parameters=[id_parameter("report", 1)],
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        return self._move(request, services.implementation_report_submit)

    @extend_schema(
        summary="Validate a submitted report",
        description="The Secretariat publishes a submitted report: from now on it counts as "
        "the State's status, on the site, in the API and in the compliance summaries.",
        request=ReviewSerializer,
        responses=_REPORT_RESPONSES,
        parameters=[id_parameter("report", 1)],
    )
    @action(detail=True, methods=["post"])
    def validate(self, request: Request, pk: str | None = None) -> Response:
        return self._move(request, services.implementation_report_validate)

    @extend_schema(
        summary="Return a submitted report for changes",
        description="The Secretariat sends a submitted report back to the State's focal "
        "points, saying in `comment` what to change.",
        request=ReviewSerializer,
        responses=_REPORT_RESPONSES,
        parameters=[id_parameter("report", 1)],
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        return self._move(request, services.implementation_report_return, "comment")


@extend_schema(
    tags=["states"],
    summary="A State's current status on every adopted recommendation",
    description=(
        "One row per adopted recommendation, with the State's current status: the status of "
        "its latest validated report (newest `as_of`, then the one recorded last), or "
        "`no_information` when it has none. Filter by theme, meeting, strength of language "
        "or status (`status=no_information` lists what the State has not reported on). "
        "Last-Modified is the newest change to the recommendations or to the State's reports."
    ),
    parameters=[CODE_PARAMETER],
)
class StateStatusView(APIViewMixin, generics.ListAPIView):
    serializer_class = RecommendationWithStatusSerializer
    filterset_class = StateStatusFilter
    permission_classes = [permissions.AllowAny]
    ordering_fields = ["meeting__ordinal", "label", "order", "current_as_of", "updated_at"]
    queryset = Recommendation.objects.none()  # for the schema; get_queryset reads the State

    def get_state(self) -> State:
        if not hasattr(self, "_state"):
            self._state = get_object_or_404(State, code=self.kwargs["code"].upper())
        return self._state

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular builds the schema
            return Recommendation.objects.none()
        return selectors.recommendations_with_state_status(state=self.get_state()).order_by(
            "meeting__ordinal", "status", "order"
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["state"] = self.get_state()
        return context

    def list_last_modified(self, queryset):
        newest = super().list_last_modified(queryset)
        reports = ImplementationReport.objects.filter(state=self.get_state()).aggregate(
            newest=Max("updated_at")
        )["newest"]
        return max((stamp for stamp in (newest, reports) if stamp), default=None)
