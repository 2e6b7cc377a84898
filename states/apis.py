"""API views of regional groups and States, and a State's status on every recommendation.

Thin: each view names its selector, filter and serializer; paging, CSV, errors, ETags and
throttling come from wgsom/api.py.
"""

from __future__ import annotations

from django.db.models import Count, Max
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, permissions

from recommendations.api_filters import RegionalGroupFilter, StateFilterSet, StateStatusFilter
from recommendations.models import ImplementationReport, Recommendation
from recommendations.selectors import recommendations_with_state_status
from recommendations.serializers import RecommendationWithStatusSerializer
from wgsom.api_views import APIViewMixin, ReadOnlyViewSet

from .models import RegionalGroup, State
from .selectors import states_for_list
from .serializers import RegionalGroupSerializer, StateDetailSerializer, StateListSerializer

CODE_PARAMETER = OpenApiParameter(
    "code",
    str,
    OpenApiParameter.PATH,
    description="The State's code: ISO 3166-1 alpha-3 (MEX), or EU for the European Union.",
    examples=[OpenApiExample("Mexico", value="MEX")],
)


@extend_schema_view(
    list=extend_schema(
        summary="List the UN regional groups",
        description="The five United Nations regional groups, with how many States each has.",
    ),
    retrieve=extend_schema(
        summary="Get a regional group",
        description="One regional group, by its slug (african-states, asia-pacific-states, ...).",
        parameters=[
            OpenApiParameter(
                "slug",
                str,
                OpenApiParameter.PATH,
                description="The group's slug.",
                examples=[OpenApiExample("African States", value="african-states")],
            )
        ],
    ),
)
class RegionalGroupViewSet(ReadOnlyViewSet):
    serializer_class = RegionalGroupSerializer
    filterset_class = RegionalGroupFilter
    ordering_fields = ["name", "slug", "updated_at"]
    lookup_field = "slug"

    def get_queryset(self):
        return RegionalGroup.objects.annotate(state_count=Count("states")).order_by("name")


@extend_schema_view(
    list=extend_schema(
        summary="List States",
        description=(
            "The 193 UN Member States, the 2 observer States and the European Union, with "
            "their regional group and Protocol status. Filter by regional group, Protocol "
            "status or kind; `search` matches names and codes."
        ),
    ),
    retrieve=extend_schema(
        summary="Get a State",
        description="One State by its code (ISO 3166-1 alpha-3, or EU), with its sources.",
        parameters=[CODE_PARAMETER],
    ),
)
class StateViewSet(ReadOnlyViewSet):
    filterset_class = StateFilterSet
    ordering_fields = ["name", "code", "protocol_consent_date", "updated_at"]
    lookup_field = "code"

    def get_queryset(self):
        # The count annotation groups rows, which drops the model default order.
        return states_for_list().order_by("name")

    def get_serializer_class(self):
        return StateListSerializer if self.action == "list" else StateDetailSerializer

    def get_object(self):
        # Codes are upper case; a client that types "mex" means Mexico.
        self.kwargs[self.lookup_field] = self.kwargs[self.lookup_field].upper()
        return super().get_object()


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
        return recommendations_with_state_status(state=self.get_state()).order_by(
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
