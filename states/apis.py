"""API views of regional groups and States, and a State's status on every recommendation.

Thin: each view names its selector, filter and serializer; paging, CSV, errors, ETags and
throttling come from wgsom/api.py.
"""

from __future__ import annotations

from django.db.models import Count
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.views import ReadOnlyViewSet

from .filters import RegionalGroupFilter, StateFilterSet
from .models import RegionalGroup
from .selectors import protocol_participation, states_for_list
from .serializers import (
    ProtocolParticipationSerializer,
    RegionalGroupSerializer,
    StateDetailSerializer,
    StateListSerializer,
)

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
        return states_for_list().order_by("name")

    def get_serializer_class(self):
        return StateListSerializer if self.action == "list" else StateDetailSerializer

    def get_object(self):
        # Codes are upper case; a client that types "mex" means Mexico.
        self.kwargs[self.lookup_field] = self.kwargs[self.lookup_field].upper()
        return super().get_object()

    @extend_schema(
        summary="Count the Protocol's parties",
        description=(
            "How many States are parties to the Smuggling of Migrants Protocol: on record (by "
            "status, with the newest date of consent), and as the depositary counts them, with "
            "the date of that count and a link to the depositary's page. The records identify "
            "fewer parties than the depositary counts; the States whose status the sources do "
            "not settle are `unknown`, not non-parties."
        ),
        responses=ProtocolParticipationSerializer,
        filters=False,
    )
    @action(
        detail=False,
        url_path="protocol-participation",
        url_name="protocol-participation",
        pagination_class=None,
        filter_backends=[],
    )
    def protocol_participation(self, request: Request) -> Response:
        participation = protocol_participation()
        self.last_modified = participation.updated_at
        return Response(ProtocolParticipationSerializer(participation).data)
