"""API representations of implementation reports and of current-status rows.

One serializer per use (list, status row, write), as DRF's guide advises. Serializers
validate the shape of the input; the rules of the reporting workflow live in
reporting/services.py.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from core.api.fields import OptionalURLField
from core.api.schema import example
from core.statuses import CURRENT_STATUS_CHOICES, NO_INFORMATION, ImplementationStatus
from meetings.models import Meeting
from recommendations.models import Recommendation
from states.models import State

from . import permissions, selectors
from .models import ImplementationReport


class CurrentStatusField(serializers.ChoiceField):
    """A State's current status: its latest validated report's, or `no_information`.

    Reads the whole row (`source="*"`): DRF skips a field whose value is None, and None is
    exactly the value that must come out as `no_information`.
    """

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        kwargs.setdefault(
            "help_text",
            "The status of the latest validated report; no_information when there is none.",
        )
        super().__init__(CURRENT_STATUS_CHOICES, **kwargs)

    def to_representation(self, value):
        return getattr(value, "current_status", None) or NO_INFORMATION


class CurrentStatusMixin(serializers.Serializer):
    """The annotations of the status selectors (recommendations/selectors.py)."""

    status = CurrentStatusField()
    as_of = serializers.DateField(
        source="current_as_of",
        read_only=True,
        allow_null=True,
        help_text="The date the status holds from; null with no information.",
    )
    source = serializers.ChoiceField(
        ImplementationReport.Source.choices,
        source="current_source",
        read_only=True,
        allow_null=True,
        help_text="Where the status comes from; null with no information.",
    )
    report = serializers.IntegerField(
        source="current_report_id",
        read_only=True,
        allow_null=True,
        help_text="Id of the implementation report the status comes from.",
    )


@extend_schema_serializer(
    examples=[
        example(
            "Mexico's status on a recommendation",
            {
                "state": "MEX",
                "recommendation": 29,
                "meeting": 7,
                "label": "13",
                "strength": "should",
                "themes": ["international-cooperation"],
                "status": "partially_implemented",
                "as_of": "2024-06-30",
                "source": "questionnaire",
                "report": 512,
            },
        )
    ]
)
class RecommendationWithStatusSerializer(CurrentStatusMixin, serializers.ModelSerializer):
    """A row of /states/<code>/status/: one recommendation with the State's current status."""

    state = serializers.SerializerMethodField(help_text="Code of the State.")
    recommendation = serializers.IntegerField(source="pk", read_only=True)
    meeting = serializers.IntegerField(source="meeting.ordinal", read_only=True)
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Recommendation
        fields = [
            "state",
            "recommendation",
            "meeting",
            "label",
            "strength",
            "themes",
            "status",
            "as_of",
            "source",
            "report",
        ]

    @extend_schema_field(serializers.CharField())
    def get_state(self, obj) -> str:
        return self.context["state"].code


_REPORT_EXAMPLE = {
    "id": 512,
    "state": "MEX",
    "recommendation": 29,
    "status": "partially_implemented",
    "as_of": "2024-06-30",
    "period_start": "2023-01-01",
    "period_end": "2024-06-30",
    "description": "A joint investigation team with two neighbouring States was set up ...",
    "source": "questionnaire",
    "source_meeting": None,
    "evidence_url": "https://example.org/annual-report-2024.pdf",
    "review_state": "validated",
    "review_comment": None,
    "validated_at": "2024-07-15T10:12:00+02:00",
    "supersedes": 430,
    "is_demonstration": False,
    "version": 3,
    "url": "http://127.0.0.1:8000/api/v1/implementation-reports/512/",
    "created_at": "2024-07-01T08:00:00+02:00",
    "updated_at": "2024-07-15T10:12:00+02:00",
}


_REVIEW_COMMENT_HELP = (
    "The Secretariat's comment when it last returned the report, saying what to change; "
    "empty if it was never returned. Only the report's State (its focal points) and the "
    "Secretariat read it: for everyone else it is null, before and after validation."
)


@extend_schema_serializer(examples=[example("A validated report", _REPORT_EXAMPLE)])
class ImplementationReportSerializer(serializers.ModelSerializer):
    state = serializers.SlugRelatedField(slug_field="code", read_only=True)
    source_meeting = serializers.SlugRelatedField(
        slug_field="ordinal",
        read_only=True,
        allow_null=True,
        help_text="Ordinal of the meeting, for a national statement made at one.",
    )
    evidence_url = OptionalURLField(read_only=True, help_text="A link to the evidence, or null.")
    url = serializers.HyperlinkedIdentityField(view_name="api:implementation-report-detail")
    review_comment = serializers.SerializerMethodField(help_text=_REVIEW_COMMENT_HELP)

    class Meta:
        model = ImplementationReport
        fields = [
            "id",
            "state",
            "recommendation",
            "status",
            "as_of",
            "period_start",
            "period_end",
            "description",
            "source",
            "source_meeting",
            "evidence_url",
            "review_state",
            "review_comment",
            "validated_at",
            "supersedes",
            "is_demonstration",
            "version",
            "url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True, help_text=_REVIEW_COMMENT_HELP))
    def get_review_comment(self, report: ImplementationReport) -> str | None:
        # Null rather than absent, so that every reader gets the same columns (in CSV too)
        # and a client tells "not yours to read" from "no comment" ("").
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not permissions.can_read_review_comment(user, report):
            return None
        return report.review_comment


_CREATE_EXAMPLE = {
    "state": "MEX",
    "recommendation": 29,
    "status": "in_progress",
    "as_of": "2025-03-31",
    "period_start": "2024-07-01",
    "period_end": "2025-03-31",
    "description": "A draft law on the protection of smuggled migrants is before parliament.",
    "evidence_url": "https://example.org/draft-law.pdf",
}


class _ReportContentSerializer(serializers.Serializer):
    status = serializers.ChoiceField(ImplementationStatus.choices)
    as_of = serializers.DateField(help_text="The date the status holds from (not in the future).")
    period_start = serializers.DateField(required=False, allow_null=True)
    period_end = serializers.DateField(required=False, allow_null=True)
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=20000, help_text="The measures taken."
    )
    evidence_url = OptionalURLField(
        required=False, max_length=200, help_text="A link to the evidence; null for none."
    )
    source = serializers.ChoiceField(
        ImplementationReport.Source.choices,
        required=False,
        help_text="Staff only, and required from staff: where the information comes from. A "
        "focal point's reports are always focal_point.",
    )
    source_meeting = serializers.SlugRelatedField(
        slug_field="ordinal",
        queryset=Meeting.objects.all(),
        required=False,
        allow_null=True,
        help_text="Staff only: ordinal of the meeting, for a national statement.",
    )


@extend_schema_field(OpenApiTypes.INT)  # no model to read the id's type from
class VisibleReportField(serializers.PrimaryKeyRelatedField):
    """A report the requester may read, by id. Another State's unpublished report is refused
    in the very words of an id that does not exist, so that its existence is not revealed."""

    default_error_messages = {
        # No id in the message: it must read the same for a missing and a hidden report.
        "does_not_exist": _("There is no report with this id."),
    }

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:  # no one to read for: nothing is visible
            return ImplementationReport.objects.none()
        return selectors.reports_visible_to(user)


@extend_schema_serializer(
    examples=[OpenApiExample("A focal point's draft", value=_CREATE_EXAMPLE, request_only=True)]
)
class ImplementationReportCreateSerializer(_ReportContentSerializer):
    """A new report. Shape only: who may write for which State, and the workflow's rules, are
    the service's (recommendations/services.py: implementation_report_create)."""

    state = serializers.SlugRelatedField(
        slug_field="code",
        queryset=State.objects.all(),
        help_text="Code of the State; a focal point may only name their own.",
    )
    recommendation = serializers.PrimaryKeyRelatedField(
        queryset=Recommendation.objects.all(), help_text="Id of an adopted recommendation."
    )
    supersedes = VisibleReportField(
        required=False,
        allow_null=True,
        help_text="A correction: the id of the validated report it corrects.",
    )
    validate = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Staff only: record the report as validated at once.",
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A change of status",
            value={"version": 2, "status": "implemented", "as_of": "2025-06-30"},
            request_only=True,
        )
    ]
)
class ImplementationReportUpdateSerializer(_ReportContentSerializer):
    """A change to an open report: only the fields sent change (PATCH)."""

    version = serializers.IntegerField(
        min_value=1,
        help_text="The version you read. If the report changed since, nothing is saved and "
        "the 400 says what changed.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="The version you read; if the report changed since, nothing happens (400).",
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Returning a report",
            value={"version": 3, "comment": "Please give the date of the new law."},
            request_only=True,
        )
    ]
)
class ReviewSerializer(VersionSerializer):
    """The body of validate and return: the reviewer's comment (required to return)."""

    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text="What the focal point should change (required when returning a report).",
    )


@extend_schema_serializer(
    examples=[
        example(
            "Mexico's status on the recommendation",
            {
                "recommendation": 29,
                "state": "MEX",
                "name": "Mexico",
                "regional_group": "latin-american-and-caribbean-states",
                "protocol_status": "party",
                "status": "implemented",
                "as_of": "2024-06-30",
                "source": "questionnaire",
                "report": 512,
            },
        )
    ]
)
class StateWithStatusSerializer(CurrentStatusMixin, serializers.ModelSerializer):
    """A row of /recommendations/<id>/status/: one State with its current status."""

    recommendation = serializers.SerializerMethodField(help_text="Id of the recommendation.")
    state = serializers.CharField(source="code", read_only=True)
    name = serializers.CharField(
        source="display_name", read_only=True, help_text="In the language asked for."
    )
    regional_group = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )

    class Meta:
        model = State
        fields = [
            "recommendation",
            "state",
            "name",
            "regional_group",
            "protocol_status",
            "status",
            "as_of",
            "source",
            "report",
        ]

    @extend_schema_field(serializers.IntegerField())
    def get_recommendation(self, obj) -> int:
        return self.context["recommendation"].pk


@extend_schema_serializer(
    examples=[
        example(
            "Mexico's status on a recommendation",
            {
                "state": "MEX",
                "state_name": "Mexico",
                "recommendation": 29,
                "label": "13",
                "meeting": 7,
                "status": "partially_implemented",
                "as_of": "2024-06-30",
                "report": 512,
            },
        )
    ]
)
class StatusPairSerializer(serializers.Serializer):
    """A row of /status-matrix/: one State party and one adopted recommendation, with the
    State's current status on it (reporting/selectors.py: `StatusPair`)."""

    state = serializers.CharField(
        source="state.code", read_only=True, help_text="Code of the State."
    )
    state_name = serializers.CharField(source="state.display_name", read_only=True)
    recommendation = serializers.IntegerField(
        source="recommendation.pk", read_only=True, help_text="Id of the recommendation."
    )
    label = serializers.CharField(
        source="recommendation.label",
        read_only=True,
        help_text='Its label in the meeting\'s report: always text ("13", "1 (a)").',
    )
    meeting = serializers.IntegerField(
        source="recommendation.meeting.ordinal",
        read_only=True,
        help_text="Ordinal of the meeting that adopted it.",
    )
    status = CurrentStatusField()
    as_of = serializers.DateField(
        source="current_as_of",
        read_only=True,
        allow_null=True,
        help_text="The date the status holds from; null with no information.",
    )
    report = serializers.IntegerField(
        source="current_report_id",
        read_only=True,
        allow_null=True,
        help_text="Id of the implementation report the status comes from; null with none.",
    )
