"""API representations of regional groups and States (read-only: the Secretariat edits them
in the admin)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from core.api.fields import OptionalChoiceField
from core.api.schema import example

from .models import ProtocolDepositaryCount, RegionalGroup, State


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
    "protocol_signature_date": "2000-12-13",
    "protocol_consent_date": "2003-03-04",
    "protocol_consent_kind": "ratification",
    "protocol_status_source": (
        "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XVIII-12-b"
        "&chapter=18&lang=en ; https://github.com/zmjones/untreaties/blob/65551eafcd1571592720"
        "b3b660360d1e8c82f986/treaties/18-12-b.csv"
    ),
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
    name = serializers.CharField(
        source="display_name",
        read_only=True,
        help_text="The State's name in the language asked for (`?lang=` or Accept-Language): "
        "the UN's name in English, the UN short name or CLDR's in the others.",
    )
    protocol_consent_kind = OptionalChoiceField(
        State.ConsentKind.choices,
        help_text="ratification, accession, acceptance, approval or succession; null where "
        "no source gives it.",
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
            "protocol_signature_date",
            "protocol_consent_date",
            "protocol_consent_kind",
            "protocol_status_source",
            "url",
            "status_url",
            "updated_at",
        ]
        extra_kwargs = {
            "code": {
                "help_text": "ISO 3166-1 alpha-3 code; EU for the European Union (no alpha-3)."
            },
            "protocol_status": {
                "help_text": (
                    "party, signatory, not_party, or unknown where the sources do not settle it "
                    "(not a non-party: see /api/v1/states/protocol-participation/)."
                )
            },
            "protocol_consent_date": {
                "help_text": "Date of deposit of the instrument of consent; null where no "
                "source gives it."
            },
            "protocol_status_source": {
                "help_text": 'Addresses of the sources, separated by " ; " (or the document a '
                "Secretariat correction rests on)."
            },
        }


@extend_schema_serializer(
    examples=[
        example(
            "A State party",
            {
                **_STATE_EXAMPLE,
                "other_names": [],
                "regional_group_note": "",
                "protocol_status_note": "",
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
            "protocol_status_note",
        ]


# --- The Protocol's participation: counts on record and the depositary's --------------------

_DEPOSITARY_EXAMPLE = {
    "as_of": "2024-04-26",
    "parties": 152,
    "signatories": 112,
    "url": "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XVIII-12-b"
    "&chapter=18&lang=en",
    "source": "UN Treaty Collection, status of the Protocol ...: 112 signatories and 152 "
    "parties as at 26 April 2024.",
}


class ProtocolDepositaryCountSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProtocolDepositaryCount
        fields = ["as_of", "parties", "signatories", "url", "source"]
        extra_kwargs = {
            "as_of": {"help_text": "The date the depositary's count speaks for."},
            "url": {"help_text": "The depositary's page (UN Treaty Collection)."},
        }


class StatusCountsSerializer(serializers.Serializer):
    party = serializers.IntegerField()
    signatory = serializers.IntegerField()
    not_party = serializers.IntegerField()
    unknown = serializers.IntegerField(
        help_text="States whose status the sources do not settle (some may be parties)."
    )


@extend_schema_serializer(
    examples=[
        example(
            "The Protocol's participation",
            {
                "parties": 148,
                "by_status": {"party": 148, "signatory": 0, "not_party": 0, "unknown": 48},
                "latest_consent_date": "2025-04-09",
                "depositary": _DEPOSITARY_EXAMPLE,
                "identified_by_depositary_date": 146,
            },
        )
    ]
)
class ProtocolParticipationSerializer(serializers.Serializer):
    parties = serializers.IntegerField(
        help_text="States (and the European Union) that are parties on record."
    )
    by_status = StatusCountsSerializer(help_text="States on record in each status.")
    latest_consent_date = serializers.DateField(
        source="latest_consent",
        allow_null=True,
        help_text="The newest date of consent on record: the records speak up to about then.",
    )
    depositary = ProtocolDepositaryCountSerializer(
        allow_null=True,
        help_text="The depositary's latest published count, with its date and page.",
    )
    identified_by_depositary_date = serializers.IntegerField(
        allow_null=True,
        help_text="Parties on record that had consented by the depositary's date: the gap to "
        "its count is parties the records do not identify.",
    )
