"""API representations of themes, recommendations, status rows and implementation reports.

One serializer per use (list, detail, status row, write), as DRF's guide advises: the list
carries what a table needs, the detail everything, and a write serializer only what a client
may send. Serializers validate the shape of the input; the rules of the reporting workflow
live in recommendations/services.py.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from core.api.schema import example

from . import search
from .models import Recommendation, Theme

# --- Themes --------------------------------------------------------------------------------


@extend_schema_serializer(
    examples=[
        example(
            "A theme",
            {
                "slug": "prevention",
                "name": "Prevention",
                "order": 8,
                "key_topics": ["Awareness-raising", "Addressing root causes"],
                "adopted_count": 6,
                "draft_count": 2,
                "proposed_count": 1,
                "document_count": 3,
                "url": "http://127.0.0.1:8000/api/v1/themes/prevention/",
                "updated_at": "2025-01-10T09:00:00+01:00",
            },
        )
    ]
)
class ThemeSerializer(serializers.ModelSerializer):
    adopted_count = serializers.IntegerField(
        read_only=True, help_text="Adopted recommendations carrying the theme."
    )
    draft_count = serializers.IntegerField(
        read_only=True, help_text="Recommendations of draft reports carrying the theme."
    )
    proposed_count = serializers.IntegerField(
        read_only=True, help_text="Proposed recommendations carrying the theme."
    )
    document_count = serializers.IntegerField(
        read_only=True, help_text="Documents (background papers) filed under the theme."
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:theme-detail", lookup_field="slug")

    class Meta:
        model = Theme
        fields = [
            "slug",
            "name",
            "order",
            "key_topics",
            "adopted_count",
            "draft_count",
            "proposed_count",
            "document_count",
            "url",
            "updated_at",
        ]


# --- Recommendations ----------------------------------------------------------------------

_RECOMMENDATION_EXAMPLE = {
    "id": 29,
    "meeting": 7,
    "year": 2020,
    "status": "adopted",
    "label": "13",
    "display_label": "Recommendation 13",
    "section": "B",
    "agenda_item": "3",
    "text": "States parties should consider ...",
    "text_language": "en",
    "text_source": "Report on the meeting of the Working Group ... (23 September 2020)",
    "addressee": "states_parties",
    "strength": "should",
    "themes": ["international-cooperation"],
    "proposer": None,
    "adopted_as": None,
    "url": "http://127.0.0.1:8000/api/v1/recommendations/29/",
    "status_url": "http://127.0.0.1:8000/api/v1/recommendations/29/status/",
    "updated_at": "2025-01-10T09:00:00+01:00",
    "highlight": None,
}


class HighlightSerializer(serializers.Serializer):
    """Where a recommendation matched `?search=`, as HTML: every field's text escaped, the
    matching words in <mark>."""

    text = serializers.CharField(help_text="The text, the matching words in <mark>.")
    chapeau = serializers.CharField(
        allow_null=True, help_text="The chapeau, highlighted, when it holds a match."
    )
    section_title = serializers.CharField(
        allow_null=True, help_text="The section title, highlighted, when it holds a match."
    )
    matched_in = serializers.ListField(
        child=serializers.ChoiceField(choices=["text", "chapeau", "section_title"]),
        help_text="The fields that hold a match: a result found only in its section title "
        "says so here.",
    )


@extend_schema_serializer(examples=[example("An adopted recommendation", _RECOMMENDATION_EXAMPLE)])
class RecommendationListSerializer(serializers.ModelSerializer):
    meeting = serializers.IntegerField(
        source="meeting.ordinal", read_only=True, help_text="Ordinal of the meeting (7 = 2020)."
    )
    year = serializers.IntegerField(source="meeting.year", read_only=True)
    display_label = serializers.CharField(read_only=True)
    agenda_item = serializers.CharField(
        source="agenda_item.label",
        read_only=True,
        allow_null=True,
        default=None,
        help_text='The agenda item it falls under ("3", "1 (a)"), if known.',
    )
    themes = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True, help_text="Slugs of its themes."
    )
    proposer = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="Code of the State that proposed it (proposals only).",
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:recommendation-detail")
    status_url = serializers.HyperlinkedIdentityField(
        view_name="api:recommendation-status",
        help_text="Every State's current status on this recommendation.",
    )
    highlight = serializers.SerializerMethodField(
        help_text="With `?search=`: where it matched, highlighted; null without a search."
    )
    text = serializers.CharField(
        source="displayed.text",
        read_only=True,
        help_text="The official text in the language asked for (`?lang=` or Accept-Language) "
        "when recorded, else the English text: `text_language` says which.",
    )
    text_language = serializers.CharField(
        source="displayed.language",
        read_only=True,
        help_text='The language `text` is in ("en", "fr", "ar", ...). English where the '
        "official text in the language asked for is not recorded yet.",
    )
    text_source = serializers.CharField(
        source="displayed.source",
        read_only=True,
        help_text="The document `text` is copied from: the symbol or address of the official "
        "version in `text_language`.",
    )

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "meeting",
            "year",
            "status",
            "label",
            "display_label",
            "section",
            "agenda_item",
            "text",
            "text_language",
            "text_source",
            "addressee",
            "strength",
            "themes",
            "proposer",
            "adopted_as",
            "url",
            "status_url",
            "updated_at",
            "highlight",
        ]

    @extend_schema_field(HighlightSerializer(allow_null=True))
    def get_highlight(self, obj: Recommendation) -> dict[str, Any] | None:
        request = self.context.get("request")
        query = request.query_params.get("search", "").strip() if request is not None else ""
        if not query:
            return None
        # The plan the `search` filter narrowed the list with: no query of its own.
        plan = search.plan_for_request(request, query)
        return search.recommendation_highlight(obj, plan).as_dict()


class ThemeBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["slug", "name"]


@extend_schema_serializer(
    examples=[
        example(
            "An adopted recommendation",
            {
                **_RECOMMENDATION_EXAMPLE,
                "themes": [{"slug": "international-cooperation", "name": "International"}],
                "section_title": "Recommendations on international cooperation",
                "chapeau": "",
                "legal_references": [{"instrument": "protocol", "article": 10}],
                "source": "Report on the meeting ... (23 September 2020)",
                "proposals": [38],
            },
        )
    ]
)
class RecommendationDetailSerializer(RecommendationListSerializer):
    themes = ThemeBriefSerializer(many=True, read_only=True)
    section_title = serializers.CharField(
        source="displayed.section_title", read_only=True, help_text="In `text_language`."
    )
    chapeau = serializers.CharField(
        source="displayed.chapeau", read_only=True, help_text="In `text_language`."
    )
    proposals = serializers.PrimaryKeyRelatedField(
        many=True,
        read_only=True,
        help_text="Ids of the proposals that became this recommendation.",
    )

    class Meta(RecommendationListSerializer.Meta):
        fields = [
            *RecommendationListSerializer.Meta.fields,
            "section_title",
            "chapeau",
            "legal_references",
            "source",
            "proposals",
        ]


# --- Implementation reports -----------------------------------------------------------------
