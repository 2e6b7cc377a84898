"""API representations of regional groups and States (read-only: the Secretariat edits them
in the admin)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from core.api.schema import example

from .models import RegionalGroup, State


@extend_schema_serializer(
    examples=[
        example(
            "A regional group",
            {
                "slug": "african-states",
                "name": "African States",
                "abbreviation": "AFG",
                "state_count": 54,
                "url": "http://127.0.0.1:8000/api/v1/regional-groups/african-states/",
                "updated_at": "2025-01-10T09:00:00+01:00",
            },
        )
    ]
)
class RegionalGroupSerializer(serializers.ModelSerializer):
    state_count = serializers.IntegerField(
        read_only=True, help_text="How many States (and the EU) belong to the group."
    )
    url = serializers.HyperlinkedIdentityField(
        view_name="api:regional-group-detail", lookup_field="slug"
    )

    class Meta:
        model = RegionalGroup
        fields = ["slug", "name", "abbreviation", "state_count", "url", "updated_at"]


_STATE_EXAMPLE = {
    "code": "MEX",
    "iso3": "MEX",
    "iso2": "MX",
    "name": "Mexico",
    "kind": "member_state",
    "regional_group": "latin-american-and-caribbean-states",
    "protocol_status": "party",
    "protocol_consent_date": "2003-03-04",
    "url": "http://127.0.0.1:8000/api/v1/states/MEX/",
    "status_url": "http://127.0.0.1:8000/api/v1/states/MEX/status/",
    "updated_at": "2025-01-10T09:00:00+01:00",
}


@extend_schema_serializer(examples=[example("A State party", _STATE_EXAMPLE)])
class StateListSerializer(serializers.ModelSerializer):
    regional_group: serializers.SlugRelatedField[RegionalGroup] = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="Slug of the UN regional group, if any.",
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:state-detail", lookup_field="code")
    status_url = serializers.HyperlinkedIdentityField(
        view_name="api:state-status",
        lookup_field="code",
        help_text="The State's current status on every adopted recommendation.",
    )

    class Meta:
        model = State
        fields = [
            "code",
            "iso3",
            "iso2",
            "name",
            "kind",
            "regional_group",
            "protocol_status",
            "protocol_consent_date",
            "url",
            "status_url",
            "updated_at",
        ]
        extra_kwargs = {
            "code": {
                "help_text": "ISO 3166-1 alpha-3 code; EU for the European Union (no alpha-3)."
            }
        }


@extend_schema_serializer(
    examples=[
        example(
            "A State party",
            {
                **_STATE_EXAMPLE,
                "other_names": [],
                "regional_group_note": "",
                "protocol_signature_date": "2000-12-13",
                "protocol_consent_kind": "ratification",
                "protocol_status_source": "UN Treaty Collection, chapter XVIII 12.b",
            },
        )
    ]
)
class StateDetailSerializer(StateListSerializer):
    class Meta(StateListSerializer.Meta):
        fields = [
            *StateListSerializer.Meta.fields,
            "other_names",
            "regional_group_note",
            "protocol_signature_date",
            "protocol_consent_kind",
            "protocol_status_source",
        ]
