"""Importing a parsed meeting report: one transaction, idempotent, staff edits kept."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.report_parser import ReportParseError, parse_report_file, parse_report_text
from ingest.services import report_import, report_import_preview
from meetings.models import AgendaItem, Meeting, Organization, Participation, Statement
from recommendations.models import Recommendation
from states.models import StateAlias

from .documents import REPORT_2018, REPORT_2020, tenth_meeting_text

pytestmark = pytest.mark.usefixtures("wgsom")

MODELS = (Meeting, AgendaItem, Organization, Participation, Statement, Recommendation)


def snapshot() -> dict:
    """Every row the import may write, with every value."""
    return {model: list(model.objects.order_by("pk").values()) for model in MODELS}


def outcomes(result) -> set[str]:
    return {change.outcome for change in result.changes}


def test_importing_the_2020_report_over_the_reference_data_changes_nothing():
    before = snapshot()

    result = report_import(report=parse_report_file(REPORT_2020))

    assert result.meeting_ordinal == 7
    assert outcomes(result) == {"unchanged"}
    assert result.counts()["unchanged"] == 1 + 7 + 103 + 19 + 22
    assert snapshot() == before


def test_the_2018_addendum_is_matched_to_the_fifth_meeting_by_its_dates():
    before = snapshot()

    result = report_import(report=parse_report_file(REPORT_2018))

    assert result.meeting_ordinal == 5
    assert outcomes(result) == {"unchanged"}
    assert any("by its dates" in warning for warning in result.warnings)
    assert snapshot() == before


def test_a_report_of_a_new_meeting_creates_the_meeting_and_everything_in_it():
    result = report_import(report=parse_report_text(tenth_meeting_text()))

    meeting = Meeting.objects.get(ordinal=10)
    assert (meeting.year, meeting.start_date, meeting.venue, meeting.format) == (
        2031,
        datetime.date(2031, 3, 3),
        "Vienna",
        Meeting.Format.HYBRID,
    )
    assert meeting.chair_state.code == "ITA"
    assert outcomes(result) == {"created"}
    assert meeting.agenda_items.count() == 7
    assert meeting.participations.count() == 103
    assert meeting.statements.count() == 19
    recommendations = Recommendation.objects.filter(meeting=meeting).order_by("order")
    assert [r.label for r in recommendations] == [str(n) for n in range(1, 23)]
    thirteen = recommendations.get(label="13")
    assert (thirteen.status, thirteen.agenda_item.label, thirteen.section) == ("adopted", "3", "B")
    assert thirteen.strength == Recommendation.Strength.SHOULD
    assert thirteen.themes.exists()
    assert thirteen.source.endswith("(20 March 2031)")
    ledwaba = meeting.statements.get(speaker="Amanda Ledwaba")
    assert (ledwaba.state.code, ledwaba.on_behalf_of.slug) == ("ZAF", "african-states")


def test_importing_a_new_meeting_twice_changes_nothing_the_second_time():
    report = parse_report_text(tenth_meeting_text())
    report_import(report=report)
    before = snapshot()

    again = report_import(report=report)

    assert outcomes(again) == {"unchanged"}
    assert snapshot() == before


def test_a_recommendation_staff_edited_is_kept_and_the_import_says_so():
    recommendation = Recommendation.objects.get(meeting__ordinal=7, status="adopted", label="3")
    recommendation.strength = Recommendation.Strength.ENCOURAGED
    recommendation.save()

    result = report_import(report=parse_report_file(REPORT_2020))

    recommendation.refresh_from_db()
    assert recommendation.strength == Recommendation.Strength.ENCOURAGED
    (kept,) = [change for change in result.changes if change.outcome == "kept"]
    assert (kept.label, kept.fields) == ("3", ["strength of language"])


def test_update_overwrites_a_staff_edit_and_importing_again_then_changes_nothing():
    recommendation = Recommendation.objects.get(meeting__ordinal=7, status="adopted", label="3")
    recommendation.strength = Recommendation.Strength.ENCOURAGED
    recommendation.save()
    report = parse_report_file(REPORT_2020)

    result = report_import(report=report, update=True)

    recommendation.refresh_from_db()
    assert recommendation.strength == Recommendation.Strength.SHOULD
    assert [c.label for c in result.changes if c.outcome == "overwritten"] == ["3"]
    assert outcomes(report_import(report=report)) == {"unchanged"}
    out = StringIO()
    call_command("load_wgsom", stdout=out)
    assert "kept" not in out.getvalue()


def test_a_changed_text_updates_a_record_no_one_edited():
    text = REPORT_2020.read_text(encoding="utf-8").replace(
        "and older persons, and social protection measures.",
        "and older persons, and social protection measures, including for children.",
    )

    result = report_import(report=parse_report_text(text))

    six = Recommendation.objects.get(meeting__ordinal=7, status="adopted", label="6")
    assert six.text.endswith("including for children.")
    (updated,) = [change for change in result.changes if change.outcome == "updated"]
    assert (updated.label, updated.fields) == ("6", ["text"])


def test_a_statement_summary_staff_wrote_survives_an_import_and_a_reload():
    statement = Statement.objects.get(meeting__ordinal=7, kind="panel", order=1)
    statement.summary = "Border closures made journeys more hazardous."
    statement.save()

    report_import(report=parse_report_file(REPORT_2020))
    call_command("load_wgsom", verbosity=0)

    statement.refresh_from_db()
    assert statement.summary == "Border closures made journeys more hazardous."


def test_an_unknown_state_stops_the_import_before_anything_is_written():
    text = tenth_meeting_text().replace("Afghanistan, Albania", "Atlantis, Albania")
    before = snapshot()

    with pytest.raises(ValidationError) as error:
        report_import(report=parse_report_text(text))

    assert "'Atlantis'" in error.value.message_dict["names"][0]
    assert error.value.names == ["Atlantis"]
    assert snapshot() == before


def test_every_unknown_name_is_listed_in_the_order_of_the_report_with_how_to_resolve_it():
    report = parse_report_text(tenth_meeting_text())
    report.meeting.chair_state = "Utopia"
    report.attendance["party"][:0] = ["Atlantis", "Lemuria"]
    report.statements[0].state = "Oz"
    report.statements[1].on_behalf_of = "Martian States"
    before = snapshot()

    with pytest.raises(ValidationError) as error:
        report_import(report=report)

    assert error.value.message_dict == {
        "names": [
            "the report names 'Utopia', 'Atlantis', 'Lemuria', 'Oz', which the records do not "
            "know as a State or an organization: say what each one is on the import preview, "
            'or with import_report --alias "NAME=ISO3" (or NAME=organization, NAME=skip)'
        ],
        "statements": ["statement 2: unknown regional group 'Martian States'"],
    }
    assert snapshot() == before


def test_the_preview_leaves_unresolved_names_out_and_lists_them():
    report = parse_report_text(tenth_meeting_text())
    report.attendance["party"][:0] = ["Atlantis", "atlantis"]
    report.statements[0].state = "Oz"
    before = snapshot()

    result = report_import_preview(report=report)

    assert result.unresolved_names == ["Atlantis", "Oz"]
    assert result.counts()["created"] > 0
    assert snapshot() == before


def test_names_resolved_as_an_organization_or_skipped_are_imported_so(secretariat):
    report = parse_report_text(tenth_meeting_text())
    report.attendance["party"][:0] = ["Atlantis", "Friends of Lemuria"]
    report.statements[0].state = "Friends of Lemuria"

    report_import(
        report=report,
        aliases={"ATLANTIS": "skip", "Friends of Lemuria": "organization"},
        by=secretariat,
    )

    meeting = Meeting.objects.get(ordinal=10)
    assert not Organization.objects.filter(name__iexact="Atlantis").exists()
    friends = Organization.objects.get(name="Friends of Lemuria")
    assert meeting.participations.filter(organization=friends).exists()
    assert Statement.objects.filter(meeting=meeting, order=1, organization=friends).exists()
    assert set(StateAlias.objects.values_list("name", "kind", "created_by")) == {
        ("ATLANTIS", "skip", secretariat.pk),
        ("Friends of Lemuria", "organization", secretariat.pk),
    }


def test_aliases_given_to_an_import_that_fails_are_not_kept(secretariat):
    report = parse_report_text(tenth_meeting_text())
    report.attendance["party"][:0] = ["Atlantis", "Lemuria"]

    with pytest.raises(ValidationError):
        report_import(report=report, aliases={"Atlantis": "AFG"}, by=secretariat)

    assert not StateAlias.objects.exists()


def test_a_statement_on_an_agenda_item_the_meeting_lacks_stops_the_import():
    report = parse_report_text(tenth_meeting_text())
    report.statements[2].agenda_items = ["99", "98"]
    before = snapshot()

    with pytest.raises(ValidationError) as error:
        report_import(report=report)

    # Raised once the writing has begun: the import's one transaction takes it all back.
    assert error.value.message_dict == {"statements": ["statement 3: unknown agenda items 99, 98"]}
    assert snapshot() == before


def test_a_report_whose_dates_differ_from_a_meeting_staff_edited_says_so():
    meeting = Meeting.objects.get(ordinal=7)
    meeting.venue = "Vienna International Centre"
    meeting.save()
    report = parse_report_file(REPORT_2020)
    report.meeting.start_date = meeting.start_date.replace(day=1)

    result = report_import(report=report)

    meeting.refresh_from_db()
    assert meeting.start_date != report.meeting.start_date
    assert "The report's dates differ from the 7th meeting's dates on record." in result.warnings


def test_a_report_that_does_not_say_its_meeting_needs_the_meeting_number():
    addendum = REPORT_2018.read_text(encoding="utf-8")
    text = addendum.replace("4\N{EN DASH}5 July 2018", "6-7 May 2032")
    report = parse_report_text(text)

    with pytest.raises(ValidationError) as error:
        report_import(report=report)
    assert "meeting" in error.value.message_dict

    result = report_import(report=report, meeting_ordinal=11)
    assert result.meeting_ordinal == 11
    assert Meeting.objects.get(ordinal=11).start_date == datetime.date(2032, 5, 6)
    assert Recommendation.objects.filter(meeting__ordinal=11, status="draft").count() == 16


def test_a_new_organization_is_created_with_a_guessed_kind_and_a_warning():
    text = tenth_meeting_text().replace(
        "United Nations Children's Fund,", "United Nations Children's Fund, African Union,"
    )

    result = report_import(report=parse_report_text(text))

    assert Organization.objects.get(name="African Union").kind == "intergovernmental"
    assert any("African Union" in warning for warning in result.warnings)


def test_the_preview_writes_nothing_and_says_what_importing_would_create():
    before = snapshot()

    result = report_import_preview(report=parse_report_text(tenth_meeting_text()))

    assert snapshot() == before
    assert result.counts()["created"] == 1 + 7 + 103 + 19 + 22
    thirteen = {(r.meeting.ordinal, r.status, r.label): s for r, s in result.near_duplicates["13"]}
    assert thirteen[(7, "adopted", "13")] == pytest.approx(1.0)
    assert thirteen[(7, "proposed", "9")] >= 0.5


def test_the_preview_of_a_reimport_does_not_offer_the_record_it_would_update():
    result = report_import_preview(report=parse_report_file(REPORT_2020))

    matches = [(r.status, r.label) for r, _ in result.near_duplicates["13"]]
    assert ("adopted", "13") not in matches
    assert matches[0] == ("proposed", "9")


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(cut=st.integers(min_value=0, max_value=len(tenth_meeting_text())))
def test_a_truncated_report_is_refused_with_nothing_written_or_imported_whole(cut):
    before = snapshot()
    try:
        with transaction.atomic():
            try:
                report = parse_report_text(tenth_meeting_text()[:cut])
                report_import(report=report)
            except (ReportParseError, ValidationError) as error:
                assert "\n" not in str(error)
                assert snapshot() == before
                return
            # Imported: everything the truncated report holds is there, in full.
            written = Recommendation.objects.filter(meeting__ordinal=10).order_by("order")
            assert [r.label for r in written] == [r.label for r in report.recommendations]
            assert [r.text for r in written] == [r.text for r in report.recommendations]
            transaction.set_rollback(True)
    finally:
        assert snapshot() == before
