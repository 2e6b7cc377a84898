"""Bulk entry: the Secretariat records one recommendation for many States in two steps.

Step one chooses the recommendation, the States (by regional group, by Protocol status, by a
pasted list of names or codes) and the status they share; step two shows each chosen State
with where it stands and lets each line change its status and date, or be left out; the
result lists every report recorded, linked, and every State skipped with the reason.
Nothing is written before the last step, and the real WGSOM States are in the database.
"""

from __future__ import annotations

import datetime
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from reporting import services
from reporting.forms import BulkChooseForm
from reporting.models import ImplementationReport
from states.models import RegionalGroup, State, StateAlias
from states.selectors import states_from_pasted_list
from tests.factories import DraftReportFactory, ImplementationReportFactory, StateFactory

URL = "/reporting/bulk/"


@pytest.fixture
def eastern_europe(db) -> RegionalGroup:
    return RegionalGroup.objects.get(slug="eastern-european-states")


def choose(recommendation, **data) -> dict:
    """Step one's answers, as posted: questionnaire answers as of 1 April 2024, not validated."""
    return {
        "step": "check",
        "recommendation": recommendation.pk,
        "status": "in_progress",
        "as_of": "2024-04-01",
        "source": "questionnaire",
        **data,
    }


class _FormReader(HTMLParser):
    """What a browser would post from a page's last form: each input with a name (checkboxes
    and radios only when ticked), each select's chosen option, each textarea."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.fields = []
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if a.get("type") in ("checkbox", "radio") else ""
            self.fields.append((a["name"], a.get("value") or default))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


def posted_from(response, *, step: str, change: dict | None = None) -> dict:
    """The check page's form as a browser sends it with the button `step` pressed, after
    `change` (name -> value; None unticks a checkbox)."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    data: dict = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    for name, value in (change or {}).items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = [value]
    data["step"] = [step]
    return data


def chosen_codes(response) -> list[str]:
    return [state.code for _row, state in response.context["formset"].rows()]


# Step one: choosing --------------------------------------------------------------------------


def test_step_one_offers_groups_protocol_and_a_list_but_no_menu_of_states(
    secretariat_client, recommendation
):
    response = secretariat_client.get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert [str(group) for group in form.fields["regional_groups"].queryset] == [
        "African States",
        "Asia-Pacific States",
        "Eastern European States",
        "Latin American and Caribbean States",
        "Western European and other States",
    ]
    html = response.content.decode()
    assert "Paste State names or ISO codes, one per line or separated by commas" in html
    assert html.count('type="checkbox" name="regional_groups"') == 5
    assert html.count('type="radio" name="status"') == 5
    # No select lists the States: the longest menu is the recommendations or the meetings.
    assert "Austria" not in html and "Türkiye" not in html
    # Publishing is decided each time: the box is never ticked for the user.
    assert 'name="validate"' in html
    assert 'name="validate" checked' not in html and form["validate"].value() is False


def test_the_recommendation_menu_shows_its_number_year_and_start_of_text(
    secretariat_client, recommendation
):
    response = secretariat_client.get(URL)
    label = dict(response.context["form"].fields["recommendation"].choices)[recommendation.pk]
    assert label == (
        f"Recommendation {recommendation.label} ({recommendation.meeting.year}): "
        "States parties should share information on smuggling routes."
    )


def test_choosing_a_regional_group_lists_its_states_by_name_each_ticked_with_the_common_values(
    secretariat_client, recommendation, eastern_europe
):
    response = secretariat_client.post(
        URL, choose(recommendation, regional_groups=[eastern_europe.pk])
    )
    assert response.templates[0].name == "reporting/bulk_entry_check.html"
    expected = list(eastern_europe.states.order_by("name").values_list("code", flat=True))
    assert len(expected) == 23
    assert chosen_codes(response) == expected
    formset = response.context["formset"]
    assert {
        (f["include"].value(), f["status"].value(), str(f["as_of"].value())) for f in formset
    } == {(True, "in_progress", "2024-04-01")}
    assert "Record 23 reports" in response.content.decode()
    assert not ImplementationReport.objects.exists()


def test_states_are_sorted_by_their_name_in_the_readers_language(
    secretariat_client, recommendation
):
    western = RegionalGroup.objects.get(slug="western-european-and-other-states")
    secretariat_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = secretariat_client.post(URL, choose(recommendation, regional_groups=[western.pk]))
    with translation.override("fr"):
        names = [state.display_name for _row, state in response.context["formset"].rows()]
    assert names[0] == "Allemagne"
    # Accents set aside: "États-Unis" among the E's, not after every unaccented name.
    assert names.index("Espagne") < names.index("États-Unis d'Amérique") < names.index("Finlande")


def test_choosing_by_protocol_status_takes_the_parties_or_the_others(
    secretariat_client, recommendation
):
    State.objects.exclude(code__in=["AUT", "MEX"]).update(
        protocol_status=State.ProtocolStatus.NOT_PARTY,
        protocol_consent_date=None,
        protocol_consent_kind="",
    )
    State.objects.filter(code__in=["AUT", "MEX"]).update(protocol_status=State.ProtocolStatus.PARTY)
    parties = secretariat_client.post(URL, choose(recommendation, protocol="party"))
    assert chosen_codes(parties) == ["AUT", "MEX"]
    others = secretariat_client.post(URL, choose(recommendation, protocol="not_party"))
    assert len(chosen_codes(others)) == State.objects.count() - 2
    assert not {"AUT", "MEX"} & set(chosen_codes(others))


def test_a_regional_group_and_a_protocol_status_together_narrow_the_choice(
    secretariat_client, recommendation, eastern_europe
):
    State.objects.update(
        protocol_status=State.ProtocolStatus.UNKNOWN,
        protocol_consent_date=None,
        protocol_consent_kind="",
    )
    State.objects.filter(code__in=["POL", "AUT"]).update(protocol_status=State.ProtocolStatus.PARTY)
    response = secretariat_client.post(
        URL, choose(recommendation, regional_groups=[eastern_europe.pk], protocol="party")
    )
    assert chosen_codes(response) == ["POL"]


def test_pasted_names_and_iso_codes_are_resolved_whatever_their_form(
    secretariat_client, recommendation
):
    StateAlias.objects.create(
        name="Kingdom of the Netherlands (European part)",
        kind=StateAlias.Kind.STATE,
        state=State.objects.get(code="NLD"),
    )
    pasted = (
        "Austria\n"
        "  turkey  \n"  # another name the data files give, any case
        "MEX, br, CHE\n"  # codes: alpha-3 and alpha-2, on one line with commas
        "Kingdom of the Netherlands (European part)\n"  # a name the Secretariat resolved
        "Côte d'Ivoire\n"
        "AUT\n"  # a repeat, ignored
        "\n"
    )
    response = secretariat_client.post(URL, choose(recommendation, pasted=pasted))
    assert sorted(chosen_codes(response)) == ["AUT", "BRA", "CHE", "CIV", "MEX", "NLD", "TUR"]


def test_a_pasted_list_adds_to_a_regional_group(secretariat_client, recommendation, eastern_europe):
    response = secretariat_client.post(
        URL, choose(recommendation, regional_groups=[eastern_europe.pk], pasted="Austria")
    )
    assert len(chosen_codes(response)) == 24 and "AUT" in chosen_codes(response)


def test_unknown_pasted_names_are_refused_each_named(secretariat_client, recommendation):
    response = secretariat_client.post(
        URL, choose(recommendation, pasted="Austria\nAtlantis\nMEX, Narnia, XX")
    )
    assert response.templates[0].name == "reporting/bulk_entry.html"
    assert response.context["form"].errors["pasted"] == [
        "“Atlantis” is not a State name or ISO code that the tracker knows.",
        "“Narnia” is not a State name or ISO code that the tracker knows.",
        "“XX” is not a State name or ISO code that the tracker knows.",
    ]
    html = response.content.decode()
    assert "There is a problem" in html and "Atlantis" in html
    assert not ImplementationReport.objects.exists()


def test_choosing_no_states_is_refused(secretariat_client, recommendation):
    response = secretariat_client.post(URL, choose(recommendation))
    assert response.context["form"].non_field_errors() == [
        "Choose the States: tick a regional group, choose a Protocol status, or paste their "
        "names or codes."
    ]


def test_step_one_needs_a_status(secretariat_client, recommendation):
    response = secretariat_client.post(URL, choose(recommendation, pasted="Austria", status=""))
    assert response.context["form"].errors["status"] == ["This field is required."]


def test_the_check_step_shows_each_states_current_status_and_work_in_progress(
    secretariat_client, recommendation
):
    austria, mexico = State.objects.get(code="AUT"), State.objects.get(code="MEX")
    ImplementationReportFactory(state=austria, recommendation=recommendation, status="implemented")
    DraftReportFactory(state=mexico, recommendation=recommendation)
    response = secretariat_client.post(URL, choose(recommendation, pasted="Austria, Mexico"))
    rows = {state.code: state for _row, state in response.context["formset"].rows()}
    assert (rows["AUT"].status_value, rows["AUT"].has_open_report) == ("implemented", False)
    assert (rows["MEX"].status_value, rows["MEX"].has_open_report) == ("no_information", True)
    html = response.content.decode()
    assert "A report is in progress: this State will be skipped." in html
    assert 'class="table-cards' in html and 'data-label="ISO code"' in html


# Step two and the result ---------------------------------------------------------------------


def test_staff_record_with_a_per_row_override_and_an_unticked_row_left_out(
    secretariat_client, secretariat, recommendation
):
    check = secretariat_client.post(URL, choose(recommendation, pasted="Austria\nMexico\nPeru"))
    codes = chosen_codes(check)
    assert codes == ["AUT", "MEX", "PER"]
    response = secretariat_client.post(
        URL,
        posted_from(
            check,
            step="record",
            change={
                "rows-1-status": "implemented",
                "rows-1-as_of": "2024-02-29",
                "rows-2-include": None,
            },
        ),
    )
    assert response.status_code == 302 and response.url == f"{URL}?done=1"
    reports = {r.state.code: r for r in ImplementationReport.objects.select_related("state")}
    assert set(reports) == {"AUT", "MEX"}
    assert (reports["AUT"].status, reports["AUT"].as_of) == (
        "in_progress",
        datetime.date(2024, 4, 1),
    )
    assert (reports["MEX"].status, reports["MEX"].as_of) == (
        "implemented",
        datetime.date(2024, 2, 29),
    )
    # The box was left unticked: drafts, recorded by the staff member from a questionnaire.
    assert {(r.review_state, r.source, r.submitted_by) for r in reports.values()} == {
        ("draft", "questionnaire", secretariat)
    }

    result = secretariat_client.get(response.url)
    assert result.templates[0].name == "reporting/bulk_entry_done.html"
    html = result.content.decode()
    assert "2 reports recorded" in html
    for report in reports.values():
        assert f'href="{reverse("reporting:report_detail", args=[report.pk])}"' in html
    assert html.count('<span class="status status-in_progress">In progress</span>') == 1
    assert html.count("Draft") == 2
    # Reloading the result shows it again and records nothing more.
    again = secretariat_client.get(response.url)
    assert again.templates[0].name == "reporting/bulk_entry_done.html"
    assert ImplementationReport.objects.count() == 2


def test_recorded_as_validated_only_when_ticked(secretariat_client, recommendation):
    check = secretariat_client.post(URL, choose(recommendation, pasted="Austria", validate="on"))
    secretariat_client.post(URL, posted_from(check, step="record"))
    assert ImplementationReport.objects.get().review_state == "validated"


def test_a_state_with_a_report_in_progress_is_skipped_with_the_reason(
    secretariat_client, recommendation
):
    mexico = State.objects.get(code="MEX")
    draft = DraftReportFactory(state=mexico, recommendation=recommendation)
    check = secretariat_client.post(URL, choose(recommendation, pasted="Austria, Mexico"))
    response = secretariat_client.post(URL, posted_from(check, step="record"))
    assert list(
        ImplementationReport.objects.exclude(pk=draft.pk).values_list("state__code", flat=True)
    ) == ["AUT"]
    html = secretariat_client.get(response.url).content.decode()
    assert "1 report recorded" in html and "1 State skipped" in html
    assert "It already has a report in progress on this recommendation" in html


def test_recording_the_same_page_twice_records_once(secretariat_client, recommendation):
    check = secretariat_client.post(URL, choose(recommendation, pasted="Austria", validate="on"))
    data = posted_from(check, step="record")
    secretariat_client.post(URL, data)
    second = secretariat_client.post(URL, data)
    assert ImplementationReport.objects.count() == 1
    html = secretariat_client.get(second.url).content.decode()
    assert "0 reports recorded" in html
    assert "A validated report already gives this status as of this date." in html


def test_an_included_row_needs_its_status_and_date(secretariat_client, recommendation):
    check = secretariat_client.post(URL, choose(recommendation, pasted="Austria"))
    response = secretariat_client.post(
        URL, posted_from(check, step="record", change={"rows-0-status": "", "rows-0-as_of": ""})
    )
    assert response.context["formset"].errors[0] == {
        "status": ["Give this State's status."],
        "as_of": ["Give the date of this State's status."],
    }
    assert "Austria: Give this State&#x27;s status." in response.content.decode()
    assert not ImplementationReport.objects.exists()


def test_unticking_every_row_records_nothing(secretariat_client, recommendation):
    check = secretariat_client.post(URL, choose(recommendation, pasted="Austria"))
    response = secretariat_client.post(
        URL, posted_from(check, step="record", change={"rows-0-include": None})
    )
    assert response.context["formset"].non_form_errors() == [
        "Tick “include” for at least one State."
    ]
    assert not ImplementationReport.objects.exists()


def test_changing_the_choice_goes_back_to_step_one_with_the_answers_kept(
    secretariat_client, recommendation, eastern_europe
):
    check = secretariat_client.post(
        URL,
        choose(recommendation, regional_groups=[eastern_europe.pk], pasted="Austria\nMexico"),
    )
    response = secretariat_client.post(URL, posted_from(check, step="change"))
    assert response.templates[0].name == "reporting/bulk_entry.html"
    form = response.context["form"]
    assert form["pasted"].value() == "Austria\nMexico"
    assert form["regional_groups"].value() == [str(eastern_europe.pk)]
    assert not form.errors


def test_a_national_statement_needs_its_meeting(secretariat_client, recommendation):
    response = secretariat_client.post(
        URL, choose(recommendation, pasted="Austria", source="national_statement")
    )
    check = secretariat_client.post(URL, posted_from(response, step="record"))
    assert check.context["form"].non_field_errors() == [
        "Line 1 (Austria): source_meeting: Name the meeting at which the national statement "
        "was made."
    ]
    assert not ImplementationReport.objects.exists()


# Who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["focal_point_a", "reader"])
def test_only_the_secretariat_enters_in_bulk(client, request, who, recommendation, state_a):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    data = {
        "step": "record",
        "recommendation": recommendation.pk,
        "as_of": "2024-04-01",
        "source": "questionnaire",
        "rows-TOTAL_FORMS": "1",
        "rows-INITIAL_FORMS": "1",
        "rows-0-state": state_a.code,
        "rows-0-include": "on",
        "rows-0-status": "implemented",
        "rows-0-as_of": "2024-04-01",
    }
    assert client.post(URL, data).status_code == 403
    assert not ImplementationReport.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_focal_points_cannot_enter_in_bulk_through_the_service(focal_point, state, recommendation):
    with pytest.raises(PermissionDenied):
        services.implementation_reports_bulk_create(
            by=focal_point,
            recommendation=recommendation,
            as_of="2024-04-01",
            source="questionnaire",
            entries=[services.BulkEntry(state=state, status="implemented")],
        )


# The service's rules -------------------------------------------------------------------------


def test_one_bad_line_records_nothing_and_says_which_line(staff, recommendation):
    states = StateFactory.create_batch(2)
    with pytest.raises(ValidationError) as refused:
        services.implementation_reports_bulk_create(
            by=staff,
            recommendation=recommendation,
            as_of=datetime.date(2024, 4, 1),
            source="questionnaire",
            entries=[
                services.BulkEntry(state=states[0], status="implemented"),
                services.BulkEntry(state=states[0], status="in_progress"),
            ],
        )
    assert refused.value.message_dict["entries"] == [
        f"Line 2 ({states[0].name}): this State is listed twice."
    ]
    assert not ImplementationReport.objects.exists()


def test_a_national_statement_in_bulk_needs_its_meeting(staff, recommendation):
    states = StateFactory.create_batch(2)
    with pytest.raises(ValidationError) as refused:
        services.implementation_reports_bulk_create(
            by=staff,
            recommendation=recommendation,
            as_of="2024-04-01",
            source="national_statement",
            entries=[services.BulkEntry(state=s, status="implemented") for s in states],
        )
    assert refused.value.message_dict["entries"] == [
        f"Line {n} ({s.name}): source_meeting: Name the meeting at which the national "
        "statement was made."
        for n, s in enumerate(states, start=1)
    ]
    assert not ImplementationReport.objects.filter(recommendation=recommendation).exists()


def test_the_service_returns_what_it_recorded_and_what_it_skipped(staff, recommendation):
    busy, free = StateFactory.create_batch(2)
    DraftReportFactory(state=busy, recommendation=recommendation)
    outcome = services.implementation_reports_bulk_create(
        by=staff,
        recommendation=recommendation,
        as_of=datetime.date(2024, 4, 1),
        source="questionnaire",
        entries=[
            services.BulkEntry(state=busy, status="implemented"),
            services.BulkEntry(state=free, status="implemented", as_of=datetime.date(2023, 1, 1)),
        ],
    )
    assert [(r.state, r.as_of) for r in outcome.created] == [(free, datetime.date(2023, 1, 1))]
    assert [(s.state, s.code) for s in outcome.skipped] == [(busy, "in_progress")]


# Queries ------------------------------------------------------------------------------------


def test_a_pasted_list_is_resolved_in_two_queries_whatever_its_length(
    db, django_assert_num_queries
):
    every_name = "\n".join(State.objects.values_list("name", flat=True))
    # 1 States (with their regional groups), 1 names the Secretariat resolved
    with django_assert_num_queries(2):
        short = states_from_pasted_list("Austria")
    with django_assert_num_queries(2):
        long = states_from_pasted_list(every_name)
    assert len(short.states) == 1 and len(long.states) == 196 and not long.unknown


def test_choosing_states_costs_the_same_queries_for_one_state_or_a_hundred(
    db, recommendation, django_assert_num_queries
):
    african = RegionalGroup.objects.get(slug="african-states")
    every_name = "\n".join(State.objects.values_list("name", flat=True))
    cases = [
        # 1 the recommendation, 2 the pasted list (States, resolved names), 1 the States
        # chosen with their status on the recommendation
        (choose(recommendation, pasted="Austria"), 4),
        (choose(recommendation, pasted=every_name), 4),
        # the same and 1 the regional groups ticked
        (choose(recommendation, regional_groups=[african.pk], pasted="Austria\nMexico"), 5),
        # 1 the recommendation, 1 the States chosen
        (choose(recommendation, protocol="not_party"), 2),
    ]
    for data, queries in cases:
        form = BulkChooseForm(data)
        with django_assert_num_queries(queries):
            assert form.is_valid(), form.errors
        assert form.cleaned_data["states"]


def test_the_check_and_record_steps_read_the_states_once_whatever_their_number(
    secretariat_client, recommendation, eastern_europe
):
    # 3 the session, the user, their groups; 1 the recommendation; then the States chosen with
    # their statuses (1), after the pasted list (2: States, resolved names) or the groups (1).
    # The hidden fields draw no menu, so the meetings are not read.
    small, queries = _post(secretariat_client, choose(recommendation, pasted="AUT, MEX, PER"))
    assert queries == 3 + 1 + 2 + 1
    large, queries = _post(
        secretariat_client, choose(recommendation, regional_groups=[eastern_europe.pk])
    )
    assert queries == 3 + 1 + 1 + 1
    assert len(chosen_codes(small)) == 3 and len(chosen_codes(large)) == 23

    # Recording: 3 as above, 1 the recommendation, 1 every line's State, 1 every State's
    # reports on the recommendation (what is skipped), 2 the transaction's savepoint, 3 the
    # session keeping the result; then each report its own writes (savepoints, the checks of
    # its references, the report and its history row).
    per_report = 9
    _response, queries = _post(secretariat_client, posted_from(small, step="record"))
    assert queries == 11 + 3 * per_report
    _response, queries = _post(secretariat_client, posted_from(large, step="record"))
    assert queries == 11 + 23 * per_report

    # The result: 3 as above, 1 the reports with their States, 1 the recommendation (and 1
    # the States skipped, when there are any).
    _response, queries = _get(secretariat_client, f"{URL}?done=1")
    assert queries == 5


def _post(client, data):
    with CaptureQueriesContext(connection) as captured:
        response = client.post(URL, data)
    return response, len(captured)


def _get(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(captured)
