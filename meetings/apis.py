"""API views of meetings, agenda items and documents (published: anyone may read them)."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)

from recommendations.api_filters import AgendaItemFilter, DocumentFilter, MeetingFilter
from wgsom.api_views import ReadOnlyViewSet

from .models import AgendaItem, Document
from .selectors import meetings_with_counts
from .serializers import (
    AgendaItemSerializer,
    DocumentSerializer,
    MeetingDetailSerializer,
    MeetingListSerializer,
)

ORDINAL_PARAMETER = OpenApiParameter(
    "ordinal",
    int,
    OpenApiParameter.PATH,
    description="The meeting's ordinal: 7 is the 7th meeting, held in 2020.",
    examples=[OpenApiExample("The 7th meeting", value=7)],
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
        summary="List meetings",
        description=(
            "The meetings of the Working Group, first to last, with how many recommendations "
            "(by status), documents and participants each has."
        ),
    ),
    retrieve=extend_schema(
        summary="Get a meeting",
        description="One meeting by its ordinal, with its agenda and documents.",
        parameters=[ORDINAL_PARAMETER],
    ),
)
class MeetingViewSet(ReadOnlyViewSet):
    filterset_class = MeetingFilter
    ordering_fields = ["ordinal", "year", "start_date", "updated_at"]
    lookup_field = "ordinal"
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        meetings = meetings_with_counts().select_related("chair_state").order_by("ordinal")
        if self.action == "retrieve":
            meetings = meetings.prefetch_related(
                Prefetch(
                    "agenda_items", queryset=AgendaItem.objects.order_by("number", "sub_letter")
                ),
                Prefetch("documents", queryset=Document.objects.order_by("symbol")),
            )
        return meetings

    def get_serializer_class(self):
        return MeetingListSerializer if self.action == "list" else MeetingDetailSerializer


@extend_schema_view(
    list=extend_schema(
        summary="List agenda items",
        description="Agenda items of every meeting, in meeting and agenda order.",
    ),
    retrieve=extend_schema(
        summary="Get an agenda item",
        description="One agenda item (or lettered sub-item) by its id.",
        parameters=[_id_parameter("agenda item", 6)],
    ),
)
class AgendaItemViewSet(ReadOnlyViewSet):
    serializer_class = AgendaItemSerializer
    filterset_class = AgendaItemFilter
    ordering_fields = ["meeting__ordinal", "number", "sub_letter", "updated_at"]
    queryset = AgendaItem.objects.select_related("meeting")


@extend_schema_view(
    list=extend_schema(
        summary="List documents",
        description=(
            "Documents with a UN symbol: provisional agendas, background papers (with the "
            "compendium's summary and themes), reports. Filter by meeting, theme or kind."
        ),
    ),
    retrieve=extend_schema(
        summary="Get a document",
        description="One document by its id (find an id by symbol with ?symbol=).",
        parameters=[_id_parameter("document", 7)],
    ),
)
class DocumentViewSet(ReadOnlyViewSet):
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    ordering_fields = ["symbol", "meeting__ordinal", "updated_at"]
    queryset = Document.objects.select_related("meeting").prefetch_related("themes")
