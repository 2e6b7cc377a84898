"""API representations of meetings, agenda items and documents (read-only: the Secretariat
records them in the admin and with the report importer)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from core.api.schema import example

from .models import AgendaItem, Document, Meeting

_MEETING_EXAMPLE = {
    "ordinal": 7,
    "year": 2020,
    "title": "7th meeting (2020)",
    "start_date": "2020-09-08",
    "end_date": "2020-09-09",
    "venue": "Vienna",
    "format": "hybrid",
    "chair": "Francesco Testa",
    "chair_state": "ITA",
    "adopted_count": 22,
    "draft_count": 0,
    "proposed_count": 9,
    "document_count": 4,
    "participant_count": 103,
    "url": "http://127.0.0.1:8000/api/v1/meetings/7/",
    "updated_at": "2025-01-10T09:00:00+01:00",
}


@extend_schema_serializer(examples=[example("The 7th meeting", _MEETING_EXAMPLE)])
class MeetingListSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="__str__", read_only=True)
    chair_state = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="Code of the chair's State.",
    )
    adopted_count = serializers.IntegerField(
        read_only=True, help_text="Recommendations the meeting adopted."
    )
    draft_count = serializers.IntegerField(
        read_only=True, help_text="Recommendations in the meeting's draft report."
    )
    proposed_count = serializers.IntegerField(
        read_only=True, help_text="Recommendations proposed at the meeting."
    )
    document_count = serializers.IntegerField(read_only=True)
    participant_count = serializers.IntegerField(
        read_only=True, help_text="States and organizations recorded as attending."
    )
    url = serializers.HyperlinkedIdentityField(
        view_name="api:meeting-detail", lookup_field="ordinal"
    )

    class Meta:
        model = Meeting
        fields = [
            "ordinal",
            "year",
            "title",
            "start_date",
            "end_date",
            "venue",
            "format",
            "chair",
            "chair_state",
            "adopted_count",
            "draft_count",
            "proposed_count",
            "document_count",
            "participant_count",
            "url",
            "updated_at",
        ]


class AgendaItemBriefSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = AgendaItem
        fields = ["id", "label", "title"]


class DocumentBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "symbol", "title", "kind"]


@extend_schema_serializer(
    examples=[
        example(
            "The 7th meeting",
            {
                **_MEETING_EXAMPLE,
                "sources": "2020 report: dates and venue ...",
                "agenda_items": [{"id": 6, "label": "2", "title": "Adoption of the agenda"}],
                "documents": [
                    {
                        "id": 20,
                        "symbol": "CTOC/COP/WG.7/2020/1",
                        "title": "Annotated provisional agenda",
                        "kind": "provisional_agenda",
                    }
                ],
            },
        )
    ]
)
class MeetingDetailSerializer(MeetingListSerializer):
    agenda_items = AgendaItemBriefSerializer(many=True, read_only=True)
    documents = DocumentBriefSerializer(many=True, read_only=True)

    class Meta(MeetingListSerializer.Meta):
        fields = [*MeetingListSerializer.Meta.fields, "sources", "agenda_items", "documents"]


@extend_schema_serializer(
    examples=[
        example(
            "A sub-item",
            {
                "id": 12,
                "meeting": 7,
                "number": 3,
                "sub_letter": "a",
                "label": "3 (a)",
                "title": "Good practices in ...",
                "parent": 11,
                "url": "http://127.0.0.1:8000/api/v1/agenda-items/12/",
                "updated_at": "2025-01-10T09:00:00+01:00",
            },
        )
    ]
)
class AgendaItemSerializer(serializers.ModelSerializer):
    meeting = serializers.IntegerField(source="meeting.ordinal", read_only=True)
    label = serializers.CharField(read_only=True, help_text='"3", or "1 (a)" for a sub-item.')
    url = serializers.HyperlinkedIdentityField(view_name="api:agenda-item-detail")

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "number",
            "sub_letter",
            "label",
            "title",
            "parent",
            "url",
            "updated_at",
        ]


@extend_schema_serializer(
    examples=[
        example(
            "A background paper",
            {
                "id": 7,
                "symbol": "CTOC/COP/WG.7/2012/2",
                "title": "Background paper prepared by the Secretariat on ...",
                "kind": "background_paper",
                "meeting": 1,
                "themes": ["criminal-justice-responses"],
                "summary": "The paper examines the criminalization of ...",
                "url": "http://127.0.0.1:8000/api/v1/documents/7/",
                "updated_at": "2025-01-10T09:00:00+01:00",
            },
        )
    ]
)
class DocumentSerializer(serializers.ModelSerializer):
    meeting = serializers.SlugRelatedField(
        slug_field="ordinal",
        read_only=True,
        allow_null=True,
        help_text="Ordinal of the meeting, if any.",
    )
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:document-detail")

    class Meta:
        model = Document
        fields = [
            "id",
            "symbol",
            "title",
            "kind",
            "meeting",
            "themes",
            "summary",
            "url",
            "updated_at",
        ]
