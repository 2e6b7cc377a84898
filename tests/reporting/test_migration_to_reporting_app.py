"""Moving implementation reports from `recommendations` to `reporting` keeps every row.

The move renames the tables (recommendations/migrations/0005) and hands the models, their
content types and so the permissions granted on them to `reporting`
(reporting/migrations/0001). This test builds a database as it stood before the move, with a
report, its correction, their history, an attachment and a permission, migrates it forward
and reads everything back through the current models.

It migrates the test database back and forth, so it commits (transaction=True) and always
leaves the database fully migrated, whatever happens, for the tests after it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.apps.registry import Apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reporting.models import ImplementationReport, ReportAttachment

BEFORE_THE_MOVE = ("recommendations", "0004_report_versions_and_attachments")
# The States as they stood then: a State column added since must not be in the way of rows
# written with the models of that time.
STATES_THEN = ("states", "0002_alter_regionalgroup_loaded_checksum_and_more")
MOVED_MODELS = ("implementationreport", "historicalimplementationreport", "reportattachment")

VALIDATED_AT = datetime.datetime(2024, 2, 1, 9, 30, tzinfo=datetime.UTC)
FIRST_SEEN = datetime.datetime(2024, 1, 20, 8, 0, tzinfo=datetime.UTC)
CORRECTED_AT = datetime.datetime(2024, 6, 3, 14, 15, tzinfo=datetime.UTC)


@dataclass
class Before:
    """The ids of what was written before the move."""

    state: int
    recommendation: int
    user: int
    validated: int
    correction: int
    validated_history: int
    correction_history: int
    attachment: int
    permission: int


def _migrate_to_the_latest(executor: MigrationExecutor) -> None:
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    # Content types moved between apps under the cache's feet.
    ContentType.objects.clear_cache()


@pytest.fixture
def executor(transactional_db) -> Iterator[MigrationExecutor]:
    """A migration executor on a database put back to how it was before the move."""
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([BEFORE_THE_MOVE, STATES_THEN, ("reporting", None)])
        executor.loader.build_graph()
        yield executor
    finally:
        # Whatever failed, the tests after this one get the schema of the current code.
        _migrate_to_the_latest(MigrationExecutor(connection))


def _populate(apps: Apps) -> Before:
    """Rows of every moved table, written through the models as they were before the move."""
    State = apps.get_model("states", "State")
    Meeting = apps.get_model("meetings", "Meeting")
    Recommendation = apps.get_model("recommendations", "Recommendation")
    User = apps.get_model("accounts", "User")
    Report = apps.get_model("recommendations", "ImplementationReport")
    HistoricalReport = apps.get_model("recommendations", "HistoricalImplementationReport")
    Attachment = apps.get_model("recommendations", "ReportAttachment")
    OldContentType = apps.get_model("contenttypes", "ContentType")
    OldPermission = apps.get_model("auth", "Permission")

    state = State.objects.create(code="ZMV", name="Republic of Migrania", kind="member_state")
    meeting = Meeting.objects.create(ordinal=99, year=2099)
    recommendation = Recommendation.objects.create(
        meeting=meeting,
        label="42",
        text="States parties should train the officers who meet smuggled migrants.",
        status="adopted",
        addressee="states_parties",
        strength="should",
    )
    user = User.objects.create(
        username="secretariat-before-the-move", email="before@unodc.example", password="!"
    )
    validated = Report.objects.create(
        state=state,
        recommendation=recommendation,
        status="in_progress",
        as_of=datetime.date(2024, 1, 15),
        description="A training programme is being drafted.",
        source="questionnaire",
        review_state="validated",
        submitted_by=user,
        validated_by=user,
        validated_at=VALIDATED_AT,
        version=3,
    )
    correction = Report.objects.create(
        state=state,
        recommendation=recommendation,
        status="implemented",
        as_of=datetime.date(2024, 6, 1),
        description="200 officers trained.",
        source="review_mechanism",
        review_state="draft",
        submitted_by=user,
        supersedes=validated,
        version=1,
    )
    histories = {}
    for report, when in ((validated, FIRST_SEEN), (correction, CORRECTED_AT)):
        # The history row simple-history writes on creation: the report's values, and who.
        histories[report.pk] = HistoricalReport.objects.create(
            id=report.pk,
            state_id=report.state_id,
            recommendation_id=report.recommendation_id,
            status=report.status,
            as_of=report.as_of,
            description=report.description,
            source=report.source,
            review_state=report.review_state,
            submitted_by_id=report.submitted_by_id,
            supersedes_id=report.supersedes_id,
            created_at=report.created_at,
            updated_at=report.updated_at,
            version=report.version,
            history_date=when,
            history_type="+",
            history_user=user,
            history_change_reason="created",
        )
    attachment = Attachment.objects.create(
        report=validated,
        file="reports/ZMV/0123456789abcdef0123456789abcdef.pdf",
        original_name="training plan.pdf",
        content_type="application/pdf",
        extension=".pdf",
        size=12345,
        uploaded_by=user,
    )
    # The content type as the code before the move knew it (post_migrate made it then).
    report_type, _ = OldContentType.objects.get_or_create(
        app_label="recommendations", model="implementationreport"
    )
    permission = OldPermission.objects.create(
        content_type=report_type,
        codename="audit_implementationreport",
        name="Can audit implementation reports",
    )
    user.user_permissions.add(permission)
    return Before(
        state=state.pk,
        recommendation=recommendation.pk,
        user=user.pk,
        validated=validated.pk,
        correction=correction.pk,
        validated_history=histories[validated.pk].history_id,
        correction_history=histories[correction.pk].history_id,
        attachment=attachment.pk,
        permission=permission.pk,
    )


@pytest.mark.django_db(transaction=True)
def test_moving_reports_to_the_reporting_app_keeps_every_row_and_permission(executor):
    before = _populate(executor.loader.project_state([BEFORE_THE_MOVE, STATES_THEN]).apps)

    _migrate_to_the_latest(executor)

    validated = ImplementationReport.objects.get(pk=before.validated)
    assert (
        validated.state_id,
        validated.recommendation_id,
        validated.status,
        validated.as_of,
        validated.description,
        validated.source,
        validated.review_state,
        validated.submitted_by_id,
        validated.validated_by_id,
        validated.validated_at,
        validated.version,
    ) == (
        before.state,
        before.recommendation,
        "in_progress",
        datetime.date(2024, 1, 15),
        "A training programme is being drafted.",
        "questionnaire",
        "validated",
        before.user,
        before.user,
        VALIDATED_AT,
        3,
    )
    correction = ImplementationReport.objects.get(pk=before.correction)
    assert (
        correction.status,
        correction.as_of,
        correction.description,
        correction.source,
        correction.review_state,
        correction.version,
    ) == (
        "implemented",
        datetime.date(2024, 6, 1),
        "200 officers trained.",
        "review_mechanism",
        "draft",
        1,
    )
    assert correction.supersedes == validated
    assert list(validated.superseded_by.all()) == [correction]

    history = {
        row.history_id: row
        for row in ImplementationReport.history.filter(id__in=[validated.pk, correction.pk])
    }
    assert set(history) == {before.validated_history, before.correction_history}
    first, corrected = history[before.validated_history], history[before.correction_history]
    assert (first.id, first.history_type, first.history_date, first.history_user_id) == (
        validated.pk,
        "+",
        FIRST_SEEN,
        before.user,
    )
    assert (first.status, first.version, first.history_change_reason) == (
        "in_progress",
        3,
        "created",
    )
    assert (corrected.id, corrected.history_date, corrected.supersedes_id) == (
        correction.pk,
        CORRECTED_AT,
        validated.pk,
    )
    # The history still reads as the report's: simple-history's own look-ups work.
    assert validated.history.get().history_id == before.validated_history
    assert first.instance == validated

    attachment = ReportAttachment.objects.get(pk=before.attachment)
    assert (
        attachment.report_id,
        attachment.file.name,
        attachment.original_name,
        attachment.content_type,
        attachment.extension,
        attachment.size,
        attachment.uploaded_by_id,
    ) == (
        validated.pk,
        "reports/ZMV/0123456789abcdef0123456789abcdef.pdf",
        "training plan.pdf",
        "application/pdf",
        ".pdf",
        12345,
        before.user,
    )
    assert list(validated.attachments.all()) == [attachment]

    permission = Permission.objects.select_related("content_type").get(pk=before.permission)
    assert permission.content_type.app_label == "reporting"
    assert permission.content_type == ContentType.objects.get_for_model(ImplementationReport)
    assert permission.user_set.filter(pk=before.user).exists()
    assert not ContentType.objects.filter(
        app_label="recommendations", model__in=MOVED_MODELS
    ).exists()
    tables = set(connection.introspection.table_names())
    assert {f"reporting_{model}" for model in MOVED_MODELS} <= tables
    assert not {f"recommendations_{model}" for model in MOVED_MODELS} & tables
