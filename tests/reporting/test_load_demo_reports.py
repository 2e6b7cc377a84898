"""load_demo_reports: synthetic, validated, marked reports; never mixed with real ones unasked."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from reporting.models import ImplementationReport
from tests.factories import ImplementationReportFactory

pytestmark = pytest.mark.usefixtures("wgsom")


def test_it_fills_validated_reports_marked_as_demonstration_data(client):
    call_command("load_demo_reports", "--states", "2", verbosity=0)

    reports = ImplementationReport.objects.all()
    assert reports.exists()
    assert set(reports.values_list("is_demonstration", flat=True)) == {True}
    assert set(reports.values_list("review_state", flat=True)) == {"validated"}
    assert reports.values("state").distinct().count() == 2
    # The account that entered them can no longer sign in.
    assert not User.objects.get(username="demonstration-data").is_active
    assert "Demonstration data" in client.get(reverse("home")).content.decode()


def test_running_it_again_changes_nothing():
    call_command("load_demo_reports", "--states", "1", verbosity=0)
    count = ImplementationReport.objects.count()

    call_command("load_demo_reports", "--states", "1", verbosity=0)

    assert ImplementationReport.objects.count() == count


def test_it_refuses_a_database_with_real_reports_unless_forced():
    ImplementationReportFactory()

    with pytest.raises(CommandError, match="real implementation report"):
        call_command("load_demo_reports", "--states", "1", verbosity=0)
    assert not ImplementationReport.objects.filter(is_demonstration=True).exists()

    call_command("load_demo_reports", "--states", "1", "--force", verbosity=0)
    assert ImplementationReport.objects.filter(is_demonstration=True).exists()


def test_a_bad_number_of_states_is_refused_in_one_line():
    with pytest.raises(CommandError, match=r"between 1 and \d+, not 0\. \(--states\)"):
        call_command("load_demo_reports", "--states", "0", verbosity=0)
