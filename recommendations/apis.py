"""API views of themes, recommendations, every State's status on a recommendation, and
implementation reports (the one resource clients write).

Reads go through the selectors the pages use (recommendations/selectors.py), writes through
the reporting services the web forms use (recommendations/services.py): a report written with
a token obeys exactly the rules of one written in the browser.
"""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)

from core.api.schema import id_parameter
from core.api.views import ReadOnlyViewSet
from meetings.apis import ORDINAL_PARAMETER
from meetings.filters import MeetingFilter
from meetings.models import AgendaItem, Document
from meetings.serializers import MeetingDetailSerializer, MeetingListSerializer

from . import search as site_search
from . import selectors
from .filters import (
    RecommendationFilter,
    ThemeFilter,
    theme_link_count,
)
from .models import Theme
from .serializers import (
    RecommendationDetailSerializer,
    RecommendationListSerializer,
    ThemeSerializer,
)

# Query parameters that change how a list is paged, ordered or shown, never which rows it has.
UNFILTERING_PARAMETERS = {"page", "page_size", "ordering", "format", "lang", "bom"}


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
        return Theme.objects.order_by("order", "name")

    # Each theme shown (a page, a download or one theme) gets its counts from theme_counts(),
    # made over every link once per change of the data and kept meanwhile.
    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else selectors.with_counts(list(page))

    def csv_export(self, objects, *, count):
        return super().csv_export(selectors.with_counts(list(objects)), count=count)

    def get_object(self):
        return selectors.with_counts([super().get_object()])[0]


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
        parameters=[id_parameter("recommendation", 29)],
    ),
)
class RecommendationViewSet(ReadOnlyViewSet):
    filterset_class = RecommendationFilter
    ordering_fields = {
        "meeting": "meeting__ordinal",
        "order": "order",
        "label": "label",
        "strength": "strength",
        "updated_at": "updated_at",
    }

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.recommendation_for_page()
        return selectors.recommendation_list()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return RecommendationDetailSerializer
        return RecommendationListSerializer

    def count_rows(self, queryset) -> int | None:
        """The page's `count` when `theme` is the only filter: the theme's rows of the link
        table (one per recommendation, by its index), not the recommendations joined to them.
        With `search`, the count the search made deciding what to keep, if it made one (the
        filter set searches last). None otherwise: the list query is counted."""
        query = self.request.query_params.get("search", "").strip()
        if query:
            return site_search.plan_for_request(self.request, query).match_count
        filters = set(self.request.query_params) - UNFILTERING_PARAMETERS
        theme = self.request.query_params.get("theme")
        if filters != {"theme"} or not theme:
            return None
        return theme_link_count(slug=theme)


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
        meetings = (
            selectors.meetings_with_counts().select_related("chair_state").order_by("ordinal")
        )
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
