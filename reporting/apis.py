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
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, generics, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import IsWorkerOrReadOnly
from core.api.errors import ErrorSerializer
from core.api.filters import StrictFilterBackend
from core.api.renderers import XLSXRenderer
from core.api.schema import example, id_parameter
from core.api.views import APIViewMixin, CachedRetrieveMixin
from core.spreadsheets import download_filename, xlsx_table
from recommendations.models import Recommendation
from states.apis import CODE_PARAMETER
from states.models import State

from . import selectors, services
from .filters import (
    ImplementationReportFilter,
    RecommendationStatusFilter,
    StateStatusFilter,
    StatusMatrixFilter,
)
from .models import ImplementationReport
from .serializers import (
    ImplementationReportCreateSerializer,
    ImplementationReportSerializer,
    ImplementationReportUpdateSerializer,
    RecommendationWithStatusSerializer,
    ReviewSerializer,
    StateWithStatusSerializer,
    StatusPairSerializer,
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

    def list_last_modified(self, queryset, versions):
        newest = super().list_last_modified(queryset, versions)
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
    CachedRetrieveMixin,
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
    ordering_fields = {
        "meeting": "meeting__ordinal",
        "label": "label",
        "order": "order",
        "current_as_of": "current_as_of",
        "updated_at": "updated_at",
    }
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

    def list_last_modified(self, queryset, versions):
        newest = super().list_last_modified(queryset, versions)
        reports = ImplementationReport.objects.filter(state=self.get_state()).aggregate(
            newest=Max("updated_at")
        )["newest"]
        return max((stamp for stamp in (newest, reports) if stamp), default=None)


@extend_schema(
    tags=["states"],
    summary="Every State party's current status on every adopted recommendation",
    description=(
        "For research: one row per pair of a State party to the Protocol and an adopted "
        "recommendation, with the State's current status on it (the status of its latest "
        "validated report, or `no_information`), State by State in name order, each State's "
        "recommendations in meeting and report order. Filter the States by `state` or "
        "`regional_group`, the recommendations by `theme` or `meeting`, the pairs by "
        "`status`. As JSON the rows are paged; `?format=csv` gives every row in one CSV "
        "(`bom=1` for Excel); `?format=xlsx` a workbook with one row per State and one column "
        "per recommendation (`<meeting>:<label>`, e.g. `7:13`), each cell the status code, "
        "and an About sheet. The order is fixed: there is no `ordering`. "
        "`status-matrix.csv` and `status-matrix.xlsx` are the exports with the same filters."
    ),
    examples=[
        example(
            "The 7th meeting's recommendations on which Mexico has not reported",
            {
                "state": "MEX",
                "state_name": "Mexico",
                "recommendation": 29,
                "label": "13",
                "meeting": 7,
                "status": "no_information",
                "as_of": None,
                "report": None,
            },
        )
    ],
)
class StatusMatrixView(APIViewMixin, generics.ListAPIView):
    serializer_class = StatusPairSerializer
    filterset_class = StatusMatrixFilter
    # The pairs come in one fixed order (the filter set builds them), so no ordering filter.
    filter_backends = [StrictFilterBackend]
    renderer_classes = [*generics.ListAPIView.renderer_classes, XLSXRenderer]
    permission_classes = [permissions.AllowAny]
    queryset = State.objects.none()  # for the schema

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular builds the schema
            return State.objects.none()
        return State.objects.all()

    def list(self, request, *args, **kwargs):
        if request.query_params.get("ordering"):
            message = _("The status matrix comes in one order: State, then recommendation.")
            raise exceptions.ValidationError({"ordering": [message]})
        exporting = self.exporting_csv()
        whole = exporting or request.accepted_renderer.format == "xlsx"
        # A JSON page is kept under the data version like any list's: the pairs change only
        # with the States, recommendations and reports, each of which moves a version.
        page_key = None if whole else self.versioned_page_key(State)
        cached = self.cached_page(page_key)
        if cached is not None:
            return cached
        pages = self.filter_queryset(self.get_queryset())
        if whole:
            matrix = pages.whole()
            self.last_modified = matrix.last_modified
            if exporting:
                return self.csv_export(matrix, count=len(matrix))
            return self._workbook(matrix)
        # A page reads only its window of pairs (and the newest change for Last-Modified).
        self.last_modified = pages.last_modified
        page = self.paginate_queryset(pages)
        return self.keep_page(
            page_key, self.get_paginated_response(self.get_serializer(page, many=True).data)
        )

    def _workbook(self, matrix: selectors.StatusMatrix) -> Response:
        """One row per State, one column per recommendation (`<meeting>:<label>`, unique
        where labels repeat from meeting to meeting), each cell the status code; with
        `status`, the cells in other statuses are empty."""
        wanted = self.request.query_params.get("status")
        recommendations = matrix.recommendations
        columns = [f"{r.meeting.ordinal}:{r.label}" for r in recommendations]
        rows = (
            [
                state.code,
                state.name,
                *(
                    status if not wanted or status == wanted else None
                    for status in (matrix.status_of(state, r) for r in recommendations)
                ),
            ]
            for state in matrix.states
        )
        filters = [
            (name, value)
            for name, value in self.request.query_params.items()
            if name not in ("format", "bom")
        ]
        about: list[tuple[str, object]] = [
            (
                gettext("What"),
                gettext(
                    "The current implementation status of each State party to the Smuggling "
                    "of Migrants Protocol on each adopted recommendation of the Working Group "
                    "on the Smuggling of Migrants: one row per State, one column per "
                    "recommendation (meeting ordinal:label), each cell a status code."
                ),
            ),
            (
                gettext("Statuses"),
                gettext(
                    "implemented, partially_implemented, in_progress, not_implemented, "
                    "not_applicable: the status of the State's latest validated report; "
                    "no_information: no validated report."
                ),
            ),
            (
                gettext("Filters"),
                "; ".join(f"{name}={value}" for name, value in filters) or gettext("none"),
            ),
            (gettext("States"), len(matrix.states)),
            (gettext("Recommendations"), len(recommendations)),
            (gettext("Made"), timezone.now().isoformat(timespec="seconds")),
            (gettext("Source"), self.request.build_absolute_uri()),
        ]
        if selectors.demonstration_data_present():
            about.append(
                (
                    gettext("Demonstration data"),
                    gettext(
                        "Some of the reports counted here are synthetic, made up for trying "
                        "the tracker, and reported by no State."
                    ),
                )
            )
        about += [
            (
                column,
                gettext("Recommendation %(label)s of meeting %(ordinal)s (%(year)s), id %(id)s")
                % {
                    "label": r.label,
                    "ordinal": r.meeting.ordinal,
                    "year": r.meeting.year,
                    "id": r.pk,
                },
            )
            for column, r in zip(columns, recommendations, strict=True)
        ]
        content = xlsx_table(
            title=gettext("Status matrix"),
            header=["state", "state_name", *columns],
            rows=rows,
            about=about,
            about_title=gettext("About"),
        )
        filename = download_filename(["wgsom-status-matrix"], filters, "xlsx")
        return Response(
            content, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
        )
