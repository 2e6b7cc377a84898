"""The API resource `compliance`: the latest snapshot's figures and the history of snapshots.

Thin: each view names its selector and serializer; paging, CSV (`?format=csv`), errors,
ETags and throttling come from wgsom/api.py, as for every resource.
"""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.views import APIViewMixin

from .models import ComplianceFigure, ComplianceSnapshot
from .selectors import (
    compliance_figures,
    figure_history,
    flat_rows,
    snapshot_figures,
    snapshot_latest,
)

# --- Serializers -------------------------------------------------------------------------


class CountsSerializer(serializers.Serializer):
    """COUNTS of the figures (compliance/selectors.py): pairs of State party x adopted
    recommendation in each status."""

    implemented = serializers.IntegerField()
    partially_implemented = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    not_implemented = serializers.IntegerField()
    not_applicable = serializers.IntegerField()
    no_information = serializers.IntegerField(
        help_text="Pairs without a validated report (States parties that have not reported)."
    )
    reported = serializers.IntegerField(help_text="Pairs with a validated report.")
    states_parties = serializers.IntegerField(help_text="States parties the row is about.")
    share_implementing = serializers.FloatField(
        help_text="(implemented + partially implemented) / pairs, 0 to 1, four decimals."
    )


class RecommendationFiguresSerializer(CountsSerializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    meeting = serializers.IntegerField(help_text="The meeting's ordinal.")


class ThemeFiguresSerializer(CountsSerializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class MeetingFiguresSerializer(CountsSerializer):
    ordinal = serializers.IntegerField()
    year = serializers.IntegerField()


class StateFiguresSerializer(CountsSerializer):
    code = serializers.CharField()
    name = serializers.CharField()


class RegionalGroupFiguresSerializer(CountsSerializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class FiguresSerializer(serializers.Serializer):
    overall = CountsSerializer()
    by_recommendation = RecommendationFiguresSerializer(many=True)
    by_theme = ThemeFiguresSerializer(many=True)
    by_meeting = MeetingFiguresSerializer(many=True)
    by_state = StateFiguresSerializer(many=True)
    by_regional_group = RegionalGroupFiguresSerializer(many=True)


class SnapshotSerializer(serializers.ModelSerializer):
    class Meta:
        model = ComplianceSnapshot
        fields = [
            "sequence",
            "computed_at",
            "trigger",
            "validated_reports",
            "demonstration_reports",
            "reports_updated_at",
        ]


class LatestSerializer(serializers.Serializer):
    snapshot = SnapshotSerializer(
        allow_null=True, help_text="Null when no snapshot exists yet: figures computed live."
    )
    figures = FiguresSerializer()


class FlatRowSerializer(CountsSerializer):
    dimension = serializers.ChoiceField(choices=ComplianceFigure.Dimension.choices)
    key = serializers.CharField()
    name = serializers.CharField()


class HistoryRowSerializer(serializers.ModelSerializer):
    snapshot = serializers.IntegerField(source="snapshot.sequence")
    computed_at = serializers.DateTimeField(source="snapshot.computed_at")
    identity = serializers.JSONField(
        help_text="What identifies the row, as in the figures: id, label and meeting of a "
        "recommendation; slug and name of a theme or group; ordinal and year of a meeting; "
        "code and name of a State. Empty for overall."
    )

    class Meta:
        model = ComplianceFigure
        fields = [
            "snapshot",
            "computed_at",
            "dimension",
            "key",
            "identity",
            "implemented",
            "partially_implemented",
            "in_progress",
            "not_implemented",
            "not_applicable",
            "no_information",
            "reported",
            "states_parties",
            "share_implementing",
        ]


# --- Views -------------------------------------------------------------------------------


class ComplianceLatestView(APIViewMixin, APIView):
    """The latest snapshot's figures (two queries), or the figures computed live when no
    snapshot exists yet. As CSV, one table: a row per line of every dimension."""

    permission_classes = [permissions.AllowAny]
    allowed_parameters = frozenset({"format"})

    @extend_schema(
        summary="Get the latest compliance figures",
        description=(
            "How many States parties report each implementation status, overall and by "
            "recommendation, theme, meeting, State party and regional group, from validated "
            "reports (the latest of each State on each recommendation). `?format=csv` gives "
            "one table with a row per line of every dimension."
        ),
        responses={200: LatestSerializer},
        tags=["compliance"],
    )
    def get(self, request, *args, **kwargs):
        unknown = sorted(set(request.query_params) - self.allowed_parameters)
        if unknown:
            raise exceptions.ValidationError(
                {name: ["Unknown query parameter."] for name in unknown}
            )
        snapshot = snapshot_latest()
        figures = snapshot_figures(snapshot) if snapshot is not None else compliance_figures()
        if snapshot is not None:
            self.last_modified = snapshot.computed_at
        if request.accepted_renderer.format == "csv":
            return Response(FlatRowSerializer(list(flat_rows(figures)), many=True).data)
        return Response(LatestSerializer({"snapshot": snapshot, "figures": figures}).data)


class FigureHistoryFilter(django_filters.FilterSet):
    dimension = django_filters.ChoiceFilter(
        choices=ComplianceFigure.Dimension.choices,
        help_text="Which row of the figures to follow across snapshots (default overall).",
    )
    key = django_filters.CharFilter(
        help_text="The row within the dimension: recommendation id, theme slug, meeting "
        "ordinal, State code or group slug. Without it, every row of the dimension.",
    )

    parameter_examples = {"dimension": "theme", "key": "prevention"}

    class Meta:
        model = ComplianceFigure
        fields = ["dimension", "key"]


class ComplianceHistoryView(APIViewMixin, generics.ListAPIView):
    """One row of the figures in every snapshot, newest first: the trend."""

    permission_classes = [permissions.AllowAny]
    serializer_class = HistoryRowSerializer
    filterset_class = FigureHistoryFilter

    @extend_schema(
        summary="List the compliance figures across snapshots",
        description=(
            "The overall figures of every snapshot, newest first; with `dimension` (and "
            "`key`), those of one recommendation, theme, meeting, State party or regional "
            "group. A snapshot is stored only when the figures changed."
        ),
        tags=["compliance"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # The filter set validates `dimension` (an unknown one is a 400 naming it) and
        # applies `key`; the default, overall, is chosen here.
        dimension = self.request.query_params.get("dimension") or "overall"
        return figure_history(dimension=dimension)
