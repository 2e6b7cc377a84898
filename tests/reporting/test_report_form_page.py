"""The report form (reporting/templates/reporting/report_form.html): one primary action, a
recommendation picker that shows what each recommendation says, the meeting asked for only
for a national statement, and errors that say what to do."""

from __future__ import annotations

import lxml.html
import pytest
from django.urls import reverse

from reporting.models import ImplementationReport
from tests.factories import DraftReportFactory, MeetingFactory, RecommendationFactory

NEW = reverse("reporting:report_new")


def page(response) -> lxml.html.HtmlElement:
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


@pytest.fixture
def meeting(db):
    return MeetingFactory(ordinal=208, year=2031)


@pytest.fixture
def recommendation_8(meeting):
    return RecommendationFactory(
        meeting=meeting,
        label="8",
        text="States parties should strengthen cooperation between their border authorities "
        "and share information on smuggling routes, modi operandi and the groups involved in "
        "the smuggling of migrants.",
    )


def staff_report(**values) -> dict:
    return {
        "state": values.pop("state"),
        "recommendation": values.pop("recommendation"),
        "status": "in_progress",
        "as_of": "2024-01-15",
        "source": "questionnaire",
        **values,
    }


def test_the_form_has_one_primary_button_to_submit_and_a_secondary_one_to_save_a_draft(
    client, focal_point_a
):
    client.force_login(focal_point_a)
    tree = page(client.get(NEW))
    buttons = tree.xpath('//main//form[@enctype]//button[@type="submit"]')
    primary = [b for b in buttons if b.get("class") == "button"]
    secondary = [b for b in buttons if b.get("class") == "button button-secondary"]
    assert [(b.get("name"), b.text_content()) for b in primary] == [
        ("submit", "Submit for validation")
    ]
    assert [(b.get("name"), b.text_content()) for b in secondary] == [("save", "Save as draft")]
    assert len(buttons) == 2


def test_staff_editing_a_submitted_report_have_one_button_that_keeps_it_submitted(
    secretariat_client, state_a
):
    report = DraftReportFactory(state=state_a, review_state="submitted")
    tree = page(secretariat_client.get(reverse("reporting:report_edit", args=[report.pk])))
    buttons = tree.xpath('//main//form[@enctype]//button[@type="submit"]')
    assert [(b.get("name"), b.get("class"), b.text_content()) for b in buttons] == [
        ("save", "button", "Save changes")
    ]


def test_the_picker_shows_the_start_of_each_text_grouped_by_meeting(
    client, focal_point_a, meeting, recommendation_8
):
    other = RecommendationFactory(label="3", text="States parties should train prosecutors.")
    RecommendationFactory(meeting=meeting, label="9", status="proposed", proposer=None)
    client.force_login(focal_point_a)
    tree = page(client.get(NEW))
    (select,) = tree.xpath('//select[@name="recommendation"]')
    assert select.get("data-filter-select") == "Filter recommendations"
    groups = {group.get("label"): group for group in select.xpath("./optgroup")}
    assert str(meeting) in groups and str(other.meeting) in groups
    options = groups[str(meeting)].xpath("./option")
    # Proposals are not reported on.
    assert [o.get("value") for o in options] == [str(recommendation_8.pk)]
    label = options[0].text_content()
    assert label.startswith(
        "Recommendation 8 (2031): States parties should strengthen cooperation between"
    )
    assert label.endswith("…") and len(label) < len("Recommendation 8 (2031): ") + 121
    assert groups[str(other.meeting)].xpath("./option")[0].text_content() == (
        f"Recommendation 3 ({other.meeting.year}): States parties should train prosecutors."
    )


def test_the_fields_are_grouped_in_sections(secretariat_client):
    tree = page(secretariat_client.get(NEW))
    sections = {
        section.xpath("./h2")[0].text_content(): {
            element.get("name") for element in section.xpath(".//*[@name]")
        }
        for section in tree.xpath('//form[@enctype]/section[@class="form-section"]')
    }
    assert sections == {
        "What you report": {
            "state",
            "recommendation",
            "status",
            "as_of",
            "period_start",
            "period_end",
        },
        "Measures taken": {"description", "evidence_url", "attachments"},
        "Source": {"source", "source_meeting", "validate"},
    }


def test_the_meeting_field_shows_only_for_a_national_statement(secretariat_client):
    tree = page(secretariat_client.get(NEW))
    (group,) = tree.xpath('//*[@id="id_source_meeting"]/ancestor::div[@data-show-when]')
    assert group.get("data-show-when") == "source=national_statement"


def test_focal_points_give_no_source(client, focal_point_a):
    client.force_login(focal_point_a)
    tree = page(client.get(NEW))
    assert not tree.xpath('//*[@name="source"] | //*[@name="source_meeting"]')
    assert not tree.xpath('//h2[.="Source"]')


def test_the_meeting_is_ignored_when_the_source_is_not_a_national_statement(
    secretariat_client, state_a, recommendation_8, meeting
):
    response = secretariat_client.post(
        NEW,
        staff_report(
            state=state_a.code, recommendation=recommendation_8.pk, source_meeting=meeting.pk
        ),
    )
    assert response.status_code == 302
    report = ImplementationReport.objects.get(state=state_a, recommendation=recommendation_8)
    assert (report.source, report.source_meeting) == ("questionnaire", None)


def test_a_national_statement_still_names_its_meeting(
    secretariat_client, state_a, recommendation_8, meeting
):
    data = staff_report(
        state=state_a.code, recommendation=recommendation_8.pk, source="national_statement"
    )
    tree = page(secretariat_client.post(NEW, data))
    assert tree.get_element_by_id("id_source_meeting_error").text_content() == (
        "Error: Name the meeting at which the national statement was made."
    )
    response = secretariat_client.post(NEW, {**data, "source_meeting": meeting.pk})
    assert response.status_code == 302
    report = ImplementationReport.objects.get(state=state_a, recommendation=recommendation_8)
    assert report.source_meeting == meeting


def test_errors_say_what_to_do_in_the_summary_and_beside_each_field(secretariat_client):
    tree = page(secretariat_client.post(NEW, {"submit": "1"}))
    summary = tree.xpath('//div[@class="error-summary"]//a')
    assert {(a.text_content(), a.get("href")) for a in summary} == {
        ("Choose the State", "#id_state"),
        ("Choose the recommendation you report on", "#id_recommendation"),
        ("Choose a status", "#id_status_0"),
        ("Enter the date the status applies to", "#id_as_of"),
        ("Say where the information comes from.", "#id_source"),
    }
    assert tree.get_element_by_id("id_as_of_error").text_content() == (
        "Error: Enter the date the status applies to"
    )
    assert tree.get_element_by_id("id_as_of").get("aria-invalid") == "true"
    (status,) = tree.xpath('//fieldset[.//input[@name="status"]]')
    assert status.get("aria-describedby") == "id_status_error"


def test_a_date_that_is_not_one_is_refused_in_words(client, focal_point_a, recommendation_8):
    client.force_login(focal_point_a)
    tree = page(
        client.post(
            NEW,
            {
                "state": focal_point_a.state.code,
                "recommendation": recommendation_8.pk,
                "status": "implemented",
                "as_of": "2024-02-31",
            },
        )
    )
    assert tree.get_element_by_id("id_as_of_error").text_content() == (
        "Error: Enter the date the status applies to as a real date"
    )


def test_the_primary_button_submits_and_the_secondary_one_saves_a_draft(
    client, focal_point_a, recommendation_8
):
    client.force_login(focal_point_a)
    data = {
        "state": focal_point_a.state.code,
        "recommendation": recommendation_8.pk,
        "status": "implemented",
        "as_of": "2024-01-15",
    }
    assert client.post(NEW, {**data, "save": ""}).status_code == 302
    assert client.post(NEW, {**data, "submit": "1"}).status_code == 302
    states = ImplementationReport.objects.filter(recommendation=recommendation_8).values_list(
        "review_state", flat=True
    )
    assert sorted(states) == ["draft", "submitted"]
