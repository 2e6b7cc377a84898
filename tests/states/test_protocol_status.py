"""Each State's participation in the Protocol is the participants table's, exactly; the
Secretariat corrects it in the admin with a source, and the correction survives `load_wgsom`.

(That the repository's copy of the table is the original, byte for byte, and says what its
README says, is checked with the other sources in tests/data.)"""

from __future__ import annotations

import csv
import datetime
from collections import Counter

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from states.models import ProtocolDepositaryCount, State
from states.selectors import protocol_participation
from states.services import state_protocol_status_correct

pytestmark = pytest.mark.usefixtures("wgsom")

COPY = settings.WGSOM_DATA_DIR / "sources" / "smuggling_protocol_participants.csv"
UNTC = "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XVIII-12-b&chapter=18"


def participants() -> dict[str, dict[str, str]]:
    """The table's rows by the code the product uses (the EU is "EU", the table's "EUU")."""
    with COPY.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {("EU" if row["iso3"] == "EUU" else row["iso3"]): row for row in rows}


def as_written(state: State) -> dict[str, str]:
    """A State's participation in the table's words."""
    return {
        "signature_date": str(state.protocol_signature_date or ""),
        "consent_date": str(state.protocol_consent_date or ""),
        "consent_kind": state.protocol_consent_kind,
        "status": state.protocol_status,
        "source": state.protocol_status_source,
        "note": state.protocol_status_note,
    }


# --- the data as shipped -------------------------------------------------------------------


def test_every_state_carries_exactly_what_the_participants_table_says():
    rows = participants()
    states = {state.code: state for state in State.objects.all()}

    assert set(states) == set(rows)
    for code, row in rows.items():
        expected = {key: row[key] for key in as_written(states[code])}
        assert as_written(states[code]) == expected, code


def test_the_counts_by_status_are_the_tables():
    table = Counter(row["status"] for row in participants().values())
    on_record = Counter(State.objects.values_list("protocol_status", flat=True))

    assert on_record == table
    assert (table["party"], table["unknown"], table["signatory"], table["not_party"]) == (
        148,
        48,
        0,
        0,
    )


def test_every_party_has_its_kind_of_consent_and_a_source():
    for state in State.objects.parties():
        assert state.protocol_consent_kind, state
        assert state.protocol_status_source.startswith("http"), state
    undated = set(
        State.objects.parties().filter(protocol_consent_date=None).values_list("code", flat=True)
    )
    assert undated == {"SDN", "COM"}  # the table has no date for Sudan and Comoros


def test_the_depositarys_count_is_loaded_with_its_date_and_page():
    count = ProtocolDepositaryCount.objects.get()
    assert (count.as_of, count.parties, count.signatories) == (
        datetime.date(2024, 4, 26),
        152,
        112,
    )
    assert count.url.startswith(UNTC)


def test_the_participation_figures_say_why_the_count_is_below_the_depositarys(
    django_assert_num_queries,
):
    # 1 the depositary's latest count, 1 aggregate over the States
    with django_assert_num_queries(2):
        figures = protocol_participation()

    assert figures.parties == 148
    assert figures.unknown == 48
    # Somalia and South Sudan acceded in 2025, after the depositary's count of 152.
    assert figures.identified_by_depositary_date == 146
    assert figures.latest_consent == datetime.date(2025, 4, 9)


# --- the Secretariat's corrections ---------------------------------------------------------


def correction(**changes) -> dict:
    """The admin form's fields for Ireland, with `changes`."""
    ireland = State.objects.get(code="IRL")
    data = {
        "name": ireland.name,
        "other_names": "[]",
        "kind": ireland.kind,
        "code": ireland.code,
        "iso3": ireland.iso3,
        "iso2": ireland.iso2,
        "regional_group": ireland.regional_group_id,
        "regional_group_note": ireland.regional_group_note,
        "protocol_status": ireland.protocol_status,
        "protocol_signature_date": ireland.protocol_signature_date.isoformat(),
        "protocol_consent_date": "",
        "protocol_consent_kind": "",
        "protocol_status_source": ireland.protocol_status_source,
        "protocol_status_note": ireland.protocol_status_note,
        # Ireland has no contact points and no reports: the inlines are empty.
        **{
            f"{inline}-{count}": "0"
            for inline in ("contact_points", "implementation_reports")
            for count in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    return {**data, **changes}


def change_url() -> str:
    return reverse("admin:states_state_change", args=[State.objects.get(code="IRL").pk])


def test_a_correction_without_a_new_source_is_refused_on_the_form(superuser_client):
    response = superuser_client.post(
        change_url(),
        correction(
            protocol_status="party",
            protocol_consent_date="2024-01-15",
            protocol_consent_kind="ratification",
        ),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Say which document the corrected status" in errors["protocol_status_source"][0]
    assert State.objects.get(code="IRL").protocol_status == State.ProtocolStatus.UNKNOWN


def test_a_correction_with_its_source_survives_load_wgsom(superuser_client):
    source = "Depositary notification C.N.12.2024.TREATIES-XVIII.12.b (invented for the test)"
    response = superuser_client.post(
        change_url(),
        correction(
            protocol_status="party",
            protocol_consent_date="2024-01-15",
            protocol_consent_kind="ratification",
            protocol_status_source=source,
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors

    call_command("load_wgsom", verbosity=0)

    ireland = State.objects.get(code="IRL")
    assert ireland.protocol_status == State.ProtocolStatus.PARTY
    assert ireland.protocol_consent_date == datetime.date(2024, 1, 15)
    assert ireland.protocol_status_source == source
    assert protocol_participation().parties == 149


def test_other_fields_are_saved_with_a_correction(superuser_client):
    superuser_client.post(
        change_url(),
        correction(
            regional_group_note="Checked with the roster.",
            protocol_status="party",
            protocol_consent_kind="accession",
            protocol_status_source="Permanent Mission's note verbale of 2 March 2026",
        ),
    )
    ireland = State.objects.get(code="IRL")
    assert (ireland.regional_group_note, ireland.protocol_consent_kind) == (
        "Checked with the roster.",
        "accession",
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"protocol_consent_date": datetime.date(2024, 1, 1)}, "protocol_consent_date"),
        ({"protocol_consent_kind": "accession"}, "protocol_consent_kind"),
        (
            {"protocol_status": "party", "protocol_consent_date": datetime.date(2024, 1, 1)},
            "protocol_consent_kind",
        ),
        (
            {
                "protocol_status": "party",
                "protocol_consent_kind": "ratification",
                "protocol_consent_date": datetime.date(2000, 1, 1),
            },
            "protocol_signature_date",
        ),
        (
            {"protocol_signature_date": datetime.date.today() + datetime.timedelta(days=3)},
            "protocol_signature_date",
        ),
    ],
)
def test_the_service_refuses_what_the_protocol_does_not_allow(secretariat, changes, field):
    ireland = State.objects.get(code="IRL")
    with pytest.raises(ValidationError) as error:
        state_protocol_status_correct(
            state=ireland, by=secretariat, protocol_status_source="A new source", **changes
        )
    assert field in error.value.message_dict


def test_only_the_secretariat_corrects_a_status(focal_point):
    ireland = State.objects.get(code="IRL")
    with pytest.raises(PermissionDenied):
        state_protocol_status_correct(
            state=ireland,
            by=focal_point,
            protocol_status="party",
            protocol_consent_kind="accession",
            protocol_status_source="A new source",
        )


def test_a_note_alone_needs_no_new_source(secretariat):
    ireland = State.objects.get(code="IRL")
    state_protocol_status_correct(
        state=ireland, by=secretariat, protocol_status_note="Asked the mission, March 2026."
    )
    ireland.refresh_from_db()
    assert ireland.protocol_status_note == "Asked the mission, March 2026."


# --- the API -------------------------------------------------------------------------------


def test_the_api_gives_every_partys_consent_date_kind_and_source(client):
    rows = participants()
    response = client.get("/api/v1/states/", {"protocol_status": "party", "page_size": 200})

    body = response.json()
    assert body["count"] == 148
    for state in body["results"]:
        row = rows[state["code"]]
        assert (
            state["protocol_consent_date"] or "",
            state["protocol_consent_kind"],
            state["protocol_status_source"],
        ) == (row["consent_date"], row["consent_kind"], row["source"]), state["code"]


def test_a_states_detail_carries_the_note(client):
    body = client.get("/api/v1/states/SDN/").json()
    assert body["protocol_consent_date"] is None
    assert body["protocol_consent_kind"] == "accession"
    assert "in 2018" in body["protocol_status_note"]


def test_the_api_counts_the_parties_with_the_depositarys_date_and_page(
    client, django_assert_num_queries
):
    # 1 the depositary's latest count, 1 aggregate over the States
    with django_assert_num_queries(2):
        response = client.get("/api/v1/states/protocol-participation/")

    assert response.status_code == 200
    assert response["Last-Modified"]
    body = response.json()
    assert body["parties"] == 148
    assert body["by_status"] == {"party": 148, "signatory": 0, "not_party": 0, "unknown": 48}
    assert body["identified_by_depositary_date"] == 146
    assert body["depositary"]["as_of"] == "2024-04-26"
    assert body["depositary"]["parties"] == 152
    assert body["depositary"]["url"].startswith(UNTC)
