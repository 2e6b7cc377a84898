"""Each kind of background work has a queue of its own, so that workers can be given to each
(docs/operations.md, "Scaling out"), and a worker started without queues consumes them all."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from celery import current_app
from django.conf import settings

from tests.celery_workers import celery_app_on

ROOT = Path(__file__).resolve().parent.parent.parent


def queue_of(task_name: str, app=None) -> str:
    return (app or current_app).amqp.router.route({}, task_name)["queue"].name


@pytest.mark.parametrize(
    ("task_name", "queue"),
    [
        ("reporting.tasks.run_report_import", "imports"),
        ("reporting.tasks.sweep_import_jobs", "imports"),
        ("reporting.tasks.purge_unconfirmed_imports", "imports"),
        ("reporting.tasks.check_report_import", "imports"),
        ("ingest.tasks.check_meeting_report", "imports"),
        ("ingest.tasks.run_meeting_report_import", "imports"),
        ("ingest.tasks.sweep_meeting_report_jobs", "imports"),
        # Any task of the importer's module, present or to come.
        ("ingest.tasks.a_task_added_later", "imports"),
        ("outbox.tasks.send_message", "mail"),
        ("outbox.tasks.send_queued", "mail"),
        ("compliance.tasks.refresh_snapshot", "snapshots"),
        ("compliance.tasks.generate_secretariat_report", "snapshots"),
        ("recommendations.tasks.refresh_neighbours", "similarity"),
        ("recommendations.tasks.a_task_added_later", "similarity"),
        # The rest: quick writes to the outbox, sweeps.
        ("compliance.tasks.send_reminders", "default"),
        ("reporting.tasks.notify_report_submitted", "default"),
        ("reporting.tasks.notify_report_reviewed", "default"),
        ("accounts.tasks.send_account_invitation", "default"),
        ("subscriptions.tasks.send_digests", "default"),
        ("subscriptions.tasks.send_digest", "default"),
        ("subscriptions.tasks.send_confirmation", "default"),
        ("subscriptions.tasks.purge_unconfirmed", "default"),
    ],
)
def test_each_task_goes_to_the_queue_of_its_kind_of_work(task_name, queue):
    assert queue_of(task_name) == queue


def test_every_project_task_is_routed_to_a_declared_queue():
    # A worker started without -Q consumes exactly the declared queues: a task routed
    # anywhere else would wait for ever.
    declared = {queue.name for queue in settings.CELERY_TASK_QUEUES}
    assert declared == {"default", "imports", "mail", "snapshots", "similarity"}
    current_app.loader.import_default_modules()
    project_tasks = [name for name in current_app.tasks if not name.startswith("celery.")]
    assert project_tasks
    assert {queue_of(name) for name in project_tasks} <= declared


def test_the_test_worker_consumes_every_queue_under_a_prefix_of_its_own():
    with celery_app_on("memory://") as app:
        queues = {queue.name for queue in app.conf.task_queues}
        prefix = app.conf.task_default_queue.removesuffix("-default")
        assert queues == {f"{prefix}-{queue.name}" for queue in settings.CELERY_TASK_QUEUES}
        assert queue_of("reporting.tasks.run_report_import", app) == f"{prefix}-imports"
        assert queue_of("subscriptions.tasks.send_digests", app) == f"{prefix}-default"


def test_make_worker_consumes_every_queue_unless_told_which():
    def command(*arguments: str) -> str:
        result = subprocess.run(
            ["make", "-n", "worker", "REDIS_URL=redis://127.0.0.1:6379/0", *arguments],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return next(line for line in result.stdout.splitlines() if "celery" in line)

    assert "-Q" not in command()
    assert command("QUEUES=imports").endswith("-Q imports")
