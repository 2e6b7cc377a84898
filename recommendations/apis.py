"""API views of themes, recommendations, every State's status on a recommendation, and
implementation reports (the one resource clients write).

Reads go through the selectors the pages use (recommendations/selectors.py), writes through
the reporting services the web forms use (recommendations/services.py): a report written with
a token obeys exactly the rules of one written in the browser.
"""

from __future__ import annotations

from django.db.models import Max
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from states.serializers import StateWithStatusSerializer
from wgsom.api import ErrorSerializer
from wgsom.api_views import APIViewMixin, ReadOnlyViewSet

from . import selectors, services
from .api_filters import (
    ImplementationReportFilter,
    RecommendationFilter,
    RecommendationStatusFilter,
    ThemeFilter,
)
from .models import ImplementationReport, Recommendation
from .permissions import is_staff
from .serializers import (
    ImplementationReportCreateSerializer,
    ImplementationReportSerializer,
    ImplementationReportUpdateSerializer,
    RecommendationDetailSerializer,
    RecommendationListSerializer,
    ReviewSerializer,
    ThemeSerializer,
    VersionSerializer,
)


def _id_parameter(what: str, example_id: int) -> OpenApiParameter:
    return OpenApiParameter(
        "id",
        int,
        OpenApiParameter.PATH,
        description=f"The {what}'s id.",
        examples=[OpenApiExample("An id", value=example_id)],
    )


@extend_schema_view(
    list=extend_schema(
        summary="List themes",
        description=(
            "The nine themes of the Secretariat's thematic compendium, with their key topics "
            "and how many recommendations (by status) and documents each holds."
        ),
    ),
    retrieve=extend_schema(
        summary="Get a theme",
        description="One theme by its slug.",
        parameters=[
            OpenApiParameter(
                "slug",
                str,
                OpenApiParameter.PATH,
                description="The theme's slug.",
                examples=[OpenApiExample("Prevention", value="prevention")],
            )
        ],
    ),
)
class ThemeViewSet(ReadOnlyViewSet):
    serializer_class = ThemeSerializer
    filterset_class = ThemeFilter
    ordering_fields = ["order", "name", "updated_at"]
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.themes_with_counts().order_by("order", "name")


@extend_schema_view(
    list=extend_schema(
        summary="List recommendations",
        description=(
            "Adopted recommendations, the texts of draft reports and proposals, meeting by "
            "meeting in report order. `?meeting=7&status=adopted` gives the 22 "
            "recommendations adopted in 2020; `?theme=` the recommendations of a theme page; "
            "`?search=` the site's full-text search (best match first); `?updated_since=` "
            "what changed since a previous pull (with `ordering=updated_at`)."
        ),
    ),
    retrieve=extend_schema(
        summary="Get a recommendation",
        description=(
            "One recommendation with its section, chapeau, cited legal provisions, themes and "
            "the proposals that became it."
        ),
        parameters=[_id_parameter("recommendation", 29)],
    ),
)
class RecommendationViewSet(ReadOnlyViewSet):
    filterset_class = RecommendationFilter
    ordering_fields = ["meeting__ordinal", "order", "label", "strength", "updated_at"]

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.recommendation_for_page()
        return selectors.recommendation_list()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return RecommendationDetailSerializer
        return RecommendationListSerializer


@extend_schema(
    tags=["recommendations"],
    summary="Every State's current status on a recommendation",
    description=(
        "One row per State party to the Protocol, and per other State with a validated "
        "report on it, with its current status: the status of its latest validated report, "
        "or `no_information`. Filter by regional group, Protocol status or status. "
        "Last-Modified is the newest change to the States or to the reports on it."
    ),
    parameters=[_id_parameter("recommendation", 29)],
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


class CanReport(permissions.IsAuthenticatedOrReadOnly):
    """Reading is public; writing needs a signed-in Secretariat member or focal point.

    What exactly each may write (which State, which review state) is the services' decision;
    this only spares them requests that cannot succeed, and answers 401 to anonymous ones.
    """

    message = "Only the Secretariat and States' focal points write implementation reports."

    def has_permission(self, request, view) -> bool:
        # The parent lets safe methods through and refuses anonymous writes (401); its
        # being the parent also tells the schema that reads need no credentials.
        if not super().has_permission(request, view):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return is_staff(request.user) or bool(getattr(request.user, "is_focal_point", False))


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
        parameters=[_id_parameter("report", 1)],
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
        parameters=[_id_parameter("report", 1)],
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
    permission_classes = [CanReport]
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
        parameters=[_id_parameter("report", 1)],
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.implementation_report_submit(
            report=report, by=request.user, version=serializer.validated_data.get("version")
        )
        return self._answer(report)

    @extend_schema(
        summary="Validate a submitted report",
        description="The Secretariat publishes a submitted report: from now on it counts as "
        "the State's status, on the site, in the API and in the compliance summaries.",
        request=ReviewSerializer,
        responses=_REPORT_RESPONSES,
        parameters=[_id_parameter("report", 1)],
    )
    @action(detail=True, methods=["post"])
    def validate(self, request, pk=None):
        report = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.implementation_report_validate(
            report=report, by=request.user, version=serializer.validated_data.get("version")
        )
        return self._answer(report)

    @extend_schema(
        summary="Return a submitted report for changes",
        description="The Secretariat sends a submitted report back to the State's focal "
        "points, saying in `comment` what to change.",
        request=ReviewSerializer,
        responses=_REPORT_RESPONSES,
        parameters=[_id_parameter("report", 1)],
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        report = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.implementation_report_return(
            report=report,
            by=request.user,
            comment=serializer.validated_data.get("comment", ""),
            version=serializer.validated_data.get("version"),
        )
        return self._answer(report)
