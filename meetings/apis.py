"""API views of meetings, agenda items and documents (published: anyone may read them)."""

from __future__ import annotations

from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)

from core.api.schema import id_parameter
from core.api.views import ReadOnlyViewSet

from .filters import AgendaItemFilter, DocumentFilter
from .models import AgendaItem, Document
from .serializers import (
    AgendaItemSerializer,
    DocumentSerializer,
)

ORDINAL_PARAMETER = OpenApiParameter(
    "ordinal",
    int,
    OpenApiParameter.PATH,
    description="The meeting's ordinal: 7 is the 7th meeting, held in 2020.",
    examples=[OpenApiExample("The 7th meeting", value=7)],
)


@extend_schema_view(
    list=extend_schema(
        summary="List agenda items",
        description="Agenda items of every meeting, in meeting and agenda order.",
    ),
    retrieve=extend_schema(
        summary="Get an agenda item",
        description="One agenda item (or lettered sub-item) by its id.",
        parameters=[id_parameter("agenda item", 6)],
    ),
)
class AgendaItemViewSet(ReadOnlyViewSet):
    serializer_class = AgendaItemSerializer
    filterset_class = AgendaItemFilter
    ordering_fields = {
        "meeting": "meeting__ordinal",
        "number": "number",
        "sub_letter": "sub_letter",
        "updated_at": "updated_at",
    }
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
        parameters=[id_parameter("document", 7)],
    ),
)
class DocumentViewSet(ReadOnlyViewSet):
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    ordering_fields = {
        "symbol": "symbol",
        "meeting": "meeting__ordinal",
        "updated_at": "updated_at",
    }
    queryset = Document.objects.select_related("meeting").prefetch_related("themes")
