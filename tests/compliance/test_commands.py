"""compute_compliance, and the snapshot load_wgsom computes so that `make run` shows one."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError

from compliance import services
from compliance.models import ComplianceSnapshot
from compliance.selectors import compliance_figures, latest_figures
from tests.factories import ImplementationReportFactory

pytestmark = pytest.mark.usefixtures("wgsom")


def run(*args) -> str:
    out = StringIO()
    call_command("compute_compliance", *args, stdout=out)
    return out.getvalue()


def latest() -> ComplianceSnapshot:
    return ComplianceSnapshot.objects.order_by("-sequence").first()


def test_compute_compliance_writes_a_snapshot_when_the_figures_changed(reports):
    run("--force")
    ImplementationReportFactory(
        state=reports["silent_party"], recommendation=reports["recommendations"][0]
    )

    output = run()

    assert f"Snapshot {latest().sequence} written" in output
    assert latest().trigger == "manual"
    assert latest_figures() == compliance_figures()


def test_compute_compliance_says_when_nothing_changed_and_force_writes_anyway(reports):
    run("--force")
    before = latest().sequence

    assert "nothing written" in run()
    assert latest().sequence == before
    assert f"Snapshot {before + 1} written" in run("--force")


def test_compute_compliance_fails_with_one_line_on_a_database_error(monkeypatch):
    def unreachable(**kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(
        "compliance.management.commands.compute_compliance.compliance_snapshot_compute",
        unreachable,
    )

    with pytest.raises(CommandError, match=r"^No snapshot was written: could not connect"):
        run()


def test_loading_the_reference_data_computes_a_snapshot_when_there_is_none():
    ComplianceSnapshot.objects.all().delete()

    call_command("load_wgsom", verbosity=0)

    assert latest().trigger == "load"
    assert latest_figures() == compliance_figures()
    call_command("load_wgsom", verbosity=0)
    assert ComplianceSnapshot.objects.count() == 1  # nothing changed: nothing written


def test_load_wgsom_uses_the_snapshot_service(monkeypatch):
    calls = []
    real = services.compliance_snapshot_compute
    monkeypatch.setattr(
        "ingest.management.commands.load_wgsom.compliance_snapshot_compute",
        lambda **kwargs: calls.append(kwargs) or real(**kwargs),
    )

    call_command("load_wgsom", verbosity=0)

    assert calls == [{"trigger": "load"}]
