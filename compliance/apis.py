"""The API resource `compliance`: the latest snapshot with its overall figures, the rows of one
dimension a page at a time, and one row's history across snapshots.

Thin: each view names its selector and serializer; paging, CSV (`?format=csv`), errors,
ETags and throttling come from wgsom/api.py, as for every resource.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import django_filters
from django.http import StreamingHttpResponse
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.csv import bom_requested, serialized_csv
from core.api.views import APIViewMixin
from core.spreadsheets import CSV_CONTENT_TYPE

from .models import ComplianceFigure, ComplianceSnapshot
from .selectors import (
    FLAT_DIMENSIONS,
    compliance_figures,
    figure_history,
    figure_row_latest,
    figure_rows,
    flat_figure_rows,
    row_name,
    snapshot_current,
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
    overall = CountsSerializer(
        help_text="Every State party on every adopted recommendation. The rows of each "
        "dimension are listed, a page at a time, by /api/v1/compliance/figures/?dimension=."
    )


class FlatRowSerializer(CountsSerializer):
    dimension = serializers.ChoiceField(choices=ComplianceFigure.Dimension.choices)
    key = serializers.CharField()
    name = serializers.CharField()


class FigureRowSerializer(CountsSerializer):
    dimension = serializers.ChoiceField(choices=ComplianceFigure.Dimension.choices)
    key = serializers.CharField(
        help_text="The row within the dimension: recommendation id, theme slug, meeting "
        "ordinal, State code or group slug; empty for overall."
    )
    name = serializers.SerializerMethodField(
        help_text="The row's name in the interface language, as the CSV downloads give it."
    )
    identity = serializers.JSONField(
        help_text="What identifies the row, as in the figures: id, label and meeting of a "
        "recommendation; slug and name of a theme or group; ordinal and year of a meeting; "
        "code and name of a State. Empty for overall."
    )

    def get_fields(self):
        # What the row is first, then its counts: the order of the CSV's columns too.
        fields = super().get_fields()
        first = ("dimension", "key", "name", "identity")
        return {**{name: fields[name] for name in first}, **fields}

    def get_name(self, row: ComplianceFigure | Mapping[str, Any]) -> str:
        if isinstance(row, Mapping):  # a row of a streamed download, named already
            return str(row["name"])
        return row_name(row.dimension, row.identity)


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


def _refuse_unknown(request, allowed: frozenset[str]) -> None:
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise exceptions.ValidationError({name: ["Unknown query parameter."] for name in unknown})


def _csv_of_flat_rows(request, rows, *, name: str) -> StreamingHttpResponse:
    """Flat figure rows (selectors.flat_rows' shape) as a streamed CSV download."""
    stream = serialized_csv(
        FlatRowSerializer(many=True), rows, bom=bom_requested(request.query_params)
    )
    response = StreamingHttpResponse(stream, content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


class ComplianceLatestView(APIViewMixin, APIView):
    """The latest snapshot and its overall figures (one query), or the overall figures
    computed live when no snapshot exists yet. As CSV, every row of every dimension, one
    table, streamed."""

    permission_classes = [permissions.AllowAny]
    allowed_parameters = frozenset({"format", "bom"})

    @extend_schema(
        summary="Get the latest compliance snapshot and its overall figures",
        description=(
            "How many States parties report each implementation status, every State party "
            "on every adopted recommendation, from validated reports (the latest of each "
            "State on each recommendation), with the snapshot they were computed in. The "
            "rows by recommendation, theme, meeting, State party and regional group are "
            "listed a page at a time by `/api/v1/compliance/figures/?dimension=`. "
            "`?format=csv` gives one table with every row of every dimension."
        ),
        responses={200: LatestSerializer},
        tags=["compliance"],
    )
    def get(self, request, *args, **kwargs):
        _refuse_unknown(request, self.allowed_parameters)
        bom_requested(request.query_params)
        overall_row = figure_row_latest(dimension=ComplianceFigure.Dimension.OVERALL)
        snapshot = overall_row.snapshot if overall_row is not None else None
        if request.accepted_renderer.format == "csv":
            every_row = flat_figure_rows(snapshot=snapshot, dimensions=FLAT_DIMENSIONS)
            return _csv_of_flat_rows(request, every_row, name="compliance")
        if snapshot is not None:
            self.last_modified = snapshot.computed_at
            overall = overall_row.counts()
        else:
            overall = compliance_figures()["overall"]
        return Response(LatestSerializer({"snapshot": snapshot, "overall": overall}).data)


class ComplianceFiguresView(APIViewMixin, generics.ListAPIView):
    """The rows of one dimension of the latest snapshot, in the figures' order, a page at a
    time: three queries whatever the page (the snapshot, the number of rows, the page's rows,
    a range of the (snapshot, dimension, position) index). As CSV, every row, streamed."""

    permission_classes = [permissions.AllowAny]
    serializer_class = FigureRowSerializer
    filter_backends: list = []
    allowed_parameters = frozenset({"dimension", "page", "page_size", "format", "bom"})

    @extend_schema(
        summary="List the latest compliance figures of one dimension",
        description=(
            "The latest snapshot's rows of one dimension (`overall`, `recommendation`, "
            "`theme`, `meeting`, `state`, `regional_group`), in the order of the figures: "
            "recommendations by meeting and order, meetings by ordinal, themes in the "
            "compendium's order, States and groups by name. Paged; "
            "`/api/v1/compliance/figures.csv?dimension=` gives every row of the dimension."
        ),
        parameters=[
            OpenApiParameter(
                "dimension",
                str,
                enum=ComplianceFigure.Dimension.values,
                required=True,
                description="Which dimension's rows to list.",
                examples=[OpenApiExample("theme", value="theme")],
            )
        ],
        tags=["compliance"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def dimension(self) -> str:
        dimension = self.request.query_params.get("dimension", "")
        if dimension not in ComplianceFigure.Dimension.values:
            raise exceptions.ValidationError(
                {
                    "dimension": [
                        "Required: one of " + ", ".join(ComplianceFigure.Dimension.values) + "."
                    ]
                }
            )
        return dimension

    def list(self, request, *args, **kwargs):
        _refuse_unknown(request, self.allowed_parameters)
        exporting = self.exporting_csv()
        dimension = self.dimension()
        snapshot = snapshot_current()
        if snapshot is not None:
            self.last_modified = snapshot.computed_at
        rows = figure_rows(snapshot=snapshot, dimension=dimension)
        if exporting:
            every_row = flat_figure_rows(snapshot=snapshot, dimensions=[dimension])
            return self.csv_export(every_row, count=len(rows))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class FigureHistoryFilter(django_filters.FilterSet):
    dimension = django_filters.ChoiceFilter(
        choices=ComplianceFigure.Dimension.choices,
        help_text="Which row of the figures to follow across snapshots (default overall).",
    )
    key = django_filters.CharFilter(
        help_text="The row within the dimension: recommendation id, theme slug, meeting "
        "ordinal, State code or group slug. Required with any dimension but overall.",
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
            "The overall figures of every snapshot, newest first; with `dimension` and "
            "`key`, those of one recommendation, theme, meeting, State party or regional "
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
        following = dimension in ComplianceFigure.Dimension.values and dimension != "overall"
        if following and not self.request.query_params.get("key"):
            # Every row of a dimension across every snapshot would be hundreds of thousands
            # of rows to count and skip through; one row's trend is a few dozen.
            raise exceptions.ValidationError(
                {"key": ["Required with a dimension other than overall: the row to follow."]}
            )
        return figure_history(dimension=dimension)
