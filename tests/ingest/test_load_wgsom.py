"""`load_wgsom` loads the Working Group's documents exactly, and loading is safe to repeat."""

from __future__ import annotations

import datetime
import re
import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from meetings.models import AgendaItem, Document, Meeting, Participation, Statement
from recommendations.models import Recommendation, Theme
from states.models import State

SOURCES = settings.WGSOM_DATA_DIR / "sources"
SOURCE_OF_STATUS = {
    Recommendation.Status.ADOPTED: "001_c1765e406b4dbe95.txt",
    Recommendation.Status.DRAFT: "004_26ecf3138e479f02.txt",
    Recommendation.Status.PROPOSED: "000_a19248ae0da9794c.txt",
}


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


pytestmark = pytest.mark.usefixtures("wgsom")


def test_nine_meetings_with_the_dates_the_reports_give():
    meetings = {m.ordinal: m for m in Meeting.objects.all()}
    assert sorted(meetings) == list(range(1, 10))
    assert (meetings[1].start_date, meetings[1].end_date) == (
        datetime.date(2012, 5, 30),
        datetime.date(2012, 6, 1),
    )
    assert (meetings[7].start_date, meetings[7].end_date) == (
        datetime.date(2020, 9, 8),
        datetime.date(2020, 9, 9),
    )
    assert (meetings[8].start_date, meetings[8].end_date) == (
        datetime.date(2021, 10, 14),
        datetime.date(2021, 10, 15),
    )
    assert meetings[9].year == 2022


def test_the_seventh_meeting_was_hybrid_in_vienna_chaired_by_italy():
    meeting = Meeting.objects.select_related("chair_state").get(ordinal=7)
    assert meeting.format == Meeting.Format.HYBRID
    assert meeting.venue == "Vienna"
    assert meeting.chair == "Francesco Testa"
    assert meeting.chair_state.code == "ITA"


def test_formats_the_documents_do_not_give_are_not_recorded():
    assert set(Meeting.objects.exclude(ordinal=7).values_list("format", flat=True)) == {
        Meeting.Format.UNKNOWN
    }


def test_the_2020_agenda_has_its_items_and_lettered_sub_items():
    items = AgendaItem.objects.filter(meeting__ordinal=7).order_by("number", "sub_letter")
    assert [item.label for item in items] == ["1", "1 (a)", "1 (b)", "2", "3", "4", "5"]
    opening = items.get(number=1, sub_letter="a")
    assert opening.title == "Opening of the meeting"
    assert opening.parent.label == "1"
    assert items.get(number=2).title.startswith("Impact of natural disasters, conflicts and crises")


def test_2020_attendance_by_capacity():
    counts = {
        capacity: Participation.objects.filter(meeting__ordinal=7, capacity=capacity).count()
        for capacity in Participation.Capacity.values
    }
    assert counts == {
        "party": 74,
        "signatory_observer": 2,
        "non_party_observer": 14,
        "organization_observer": 12,
        "other_entity_observer": 1,
    }
    assert Participation.objects.filter(
        meeting__ordinal=7, capacity="party", state__code="EU"
    ).exists()


def test_2020_panellists_spoke_on_behalf_of_their_regional_groups():
    panel = Statement.objects.filter(meeting__ordinal=7, kind=Statement.Kind.PANEL)
    assert panel.count() == 5
    ledwaba = panel.select_related("state", "on_behalf_of").get(speaker="Amanda Ledwaba")
    assert ledwaba.state.code == "ZAF"
    assert ledwaba.on_behalf_of.name == "African States"
    assert [item.label for item in ledwaba.agenda_items.all()] == ["2"]


def test_fourteen_parties_made_statements_at_the_fifth_meeting():
    statements = Statement.objects.filter(meeting__ordinal=5, kind=Statement.Kind.NATIONAL)
    assert statements.count() == 14
    assert statements.filter(state__code="FJI").exists()


def test_recommendation_counts_and_labels():
    adopted = Recommendation.objects.filter(status="adopted", meeting__ordinal=7)
    draft = Recommendation.objects.filter(status="draft", meeting__ordinal=5)
    proposed = Recommendation.objects.filter(status="proposed", proposer__code="USA")
    assert list(adopted.order_by("order").values_list("label", flat=True)) == [
        str(n) for n in range(1, 23)
    ]
    assert list(draft.order_by("order").values_list("label", flat=True)) == [
        *(f"1 ({letter})" for letter in "abcdefghi"),
        *(f"2 ({letter})" for letter in "abcdefg"),
    ]
    assert list(proposed.order_by("order").values_list("label", flat=True)) == [
        str(n) for n in range(1, 10)
    ]
    assert Recommendation.objects.count() == 22 + 16 + 9


def test_2020_sections_follow_agenda_items_2_and_3():
    adopted = Recommendation.objects.filter(status="adopted", meeting__ordinal=7)
    assert {r.label for r in adopted.filter(section="A", agenda_item__number=2)} == {
        str(n) for n in range(1, 8)
    }
    assert {r.label for r in adopted.filter(section="B", agenda_item__number=3)} == {
        str(n) for n in range(8, 23)
    }


def test_2018_recommendations_keep_the_chapeau_they_hang_from():
    item = Recommendation.objects.get(meeting__ordinal=5, label="1 (d)")
    assert item.chapeau.endswith("States Parties should:")
    assert item.text.startswith("Consider deploying prosecutors")
    assert item.strength == Recommendation.Strength.SHOULD


def test_every_recommendation_text_is_verbatim_from_its_source_document():
    sources = {
        status: normalised((SOURCES / name).read_text(encoding="utf-8"))
        for status, name in SOURCE_OF_STATUS.items()
    }
    for recommendation in Recommendation.objects.all():
        assert normalised(recommendation.text) in sources[recommendation.status], (
            f"{recommendation} is not verbatim"
        )
        if recommendation.chapeau:
            assert normalised(recommendation.chapeau) in sources[recommendation.status]


def test_united_states_proposal_9_became_recommendation_13():
    proposal = Recommendation.objects.get(status="proposed", proposer__code="USA", label="9")
    assert proposal.adopted_as.label == "13"
    assert proposal.adopted_as.status == Recommendation.Status.ADOPTED
    assert proposal.adopted_as.meeting.ordinal == 7


def test_every_recommendation_has_a_theme_addressee_and_strength():
    for recommendation in Recommendation.objects.prefetch_related("themes"):
        assert recommendation.themes.all(), f"{recommendation} has no theme"
        assert recommendation.addressee in Recommendation.Addressee.values
        assert recommendation.strength in Recommendation.Strength.values


def test_recommendation_8_cites_article_19_of_the_convention():
    recommendation = Recommendation.objects.get(meeting__ordinal=7, status="adopted", label="8")
    assert {"instrument": "convention", "article": 19} in [
        {k: ref[k] for k in ("instrument", "article")} for ref in recommendation.legal_references
    ]
    assert recommendation.strength == Recommendation.Strength.ENCOURAGED


def test_nine_themes_and_seventeen_background_papers_filed_under_them():
    assert Theme.objects.count() == 9
    papers = Document.objects.filter(kind=Document.Kind.BACKGROUND_PAPER)
    assert papers.count() == 17
    for paper in papers.prefetch_related("themes").select_related("meeting"):
        assert paper.meeting is not None
        assert len(paper.themes.all()) == 1
        assert paper.summary


def test_the_2020_documents_before_the_meeting_have_their_symbols():
    symbols = set(Document.objects.filter(meeting__ordinal=7).values_list("symbol", flat=True))
    assert {
        "CTOC/COP/WG.7/2020/1",
        "CTOC/COP/WG.7/2020/2",
        "CTOC/COP/WG.7/2020/3",
        "CTOC/COP/WG.7/2020/INF/1/Rev.1",
    } <= symbols


def test_every_un_member_state_the_observer_states_and_the_european_union():
    assert State.objects.filter(kind=State.Kind.MEMBER_STATE).count() == 193
    assert set(
        State.objects.filter(kind=State.Kind.OBSERVER_STATE).values_list("name", flat=True)
    ) == {"Holy See", "State of Palestine"}
    eu = State.objects.get(code="EU")
    assert eu.kind == State.Kind.REGIONAL_ORGANIZATION
    assert eu.protocol_status == State.ProtocolStatus.PARTY


def test_iso_codes_come_from_pycountry():
    import pycountry

    for state in State.objects.exclude(code="EU"):
        country = pycountry.countries.get(alpha_3=state.iso3)
        assert country is not None and country.alpha_2 == state.iso2


def test_protocol_status_is_never_guessed():
    # The participants table's status, with its sources; what it does not settle stays unknown:
    # Thailand was a signatory only in 2014 and China had taken no action then, but either may
    # have become a party since.
    assert State.objects.get(code="AUS").protocol_status == State.ProtocolStatus.PARTY
    assert State.objects.get(code="THA").protocol_status == State.ProtocolStatus.UNKNOWN
    assert State.objects.get(code="THA").protocol_signature_date == datetime.date(2001, 12, 18)
    assert State.objects.get(code="CHN").protocol_status == State.ProtocolStatus.UNKNOWN
    for state in State.objects.all():
        assert state.protocol_status_source, f"{state} has a status without a source"


def test_states_from_the_treaty_collection_carry_their_dates():
    albania = State.objects.get(code="ALB")
    assert albania.protocol_signature_date == datetime.date(2000, 12, 12)
    assert albania.protocol_consent_date == datetime.date(2002, 8, 21)
    assert albania.protocol_consent_kind == State.ConsentKind.RATIFICATION


def test_every_state_has_a_regional_group_except_observers_and_the_eu():
    without = set(State.objects.filter(regional_group=None).values_list("code", flat=True))
    assert without == {"EU", "VAT", "PSE"}


def test_loading_twice_changes_nothing():
    before = {
        model: list(model.objects.order_by("pk").values())
        for model in (State, Meeting, Recommendation, Participation, Statement, Document)
    }
    out = StringIO()
    call_command("load_wgsom", stdout=out)
    after = {
        model: list(model.objects.order_by("pk").values())
        for model in (State, Meeting, Recommendation, Participation, Statement, Document)
    }
    assert after == before
    assert "created" not in out.getvalue()
    assert "updated" not in out.getvalue()


def test_a_record_staff_edited_is_kept_on_reload():
    recommendation = Recommendation.objects.get(meeting__ordinal=7, status="adopted", label="3")
    recommendation.strength = Recommendation.Strength.ENCOURAGED
    recommendation.save()
    state = State.objects.get(code="AUT")
    state.protocol_status_source += " ; Confirmed by the Permanent Mission, 2026."
    state.save()

    out = StringIO()
    call_command("load_wgsom", stdout=out)

    recommendation.refresh_from_db()
    state.refresh_from_db()
    assert recommendation.strength == Recommendation.Strength.ENCOURAGED
    assert state.protocol_status_source.endswith("Confirmed by the Permanent Mission, 2026.")
    assert "kept" in out.getvalue()


def test_theme_tags_staff_changed_are_kept_on_reload():
    recommendation = Recommendation.objects.get(meeting__ordinal=7, status="adopted", label="1")
    prevention = Theme.objects.get(slug="prevention")
    recommendation.themes.set([prevention])

    call_command("load_wgsom", verbosity=0)

    assert list(recommendation.themes.all()) == [prevention]


def test_a_record_not_edited_is_updated_when_the_data_files_change(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(settings.WGSOM_DATA_DIR, data_dir)
    meetings = data_dir / "meetings.yaml"
    meetings.write_text(
        meetings.read_text(encoding="utf-8").replace("Francesco Testa", "Francesco TESTA"),
        encoding="utf-8",
    )

    call_command("load_wgsom", data_dir=data_dir, verbosity=0)

    assert Meeting.objects.get(ordinal=7).chair == "Francesco TESTA"


def test_a_bad_data_file_is_refused_with_one_line_and_nothing_is_written(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(settings.WGSOM_DATA_DIR, data_dir)
    meetings = data_dir / "meetings.yaml"
    # The 7th meeting's change comes before the 8th meeting's broken date in the file: the
    # whole load is refused, the change included.
    meetings.write_text(
        meetings.read_text(encoding="utf-8")
        .replace("Francesco Testa", "Someone Else")
        .replace("2021-10-15", "15 October 2021"),
        encoding="utf-8",
    )
    before = list(Meeting.objects.order_by("pk").values())

    with pytest.raises(CommandError) as error:
        call_command("load_wgsom", data_dir=data_dir, verbosity=0)

    message = str(error.value)
    assert "\n" not in message
    assert "meetings.yaml" in message and "15 October 2021" in message
    assert list(Meeting.objects.order_by("pk").values()) == before


def test_an_unknown_state_name_is_refused(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(settings.WGSOM_DATA_DIR, data_dir)
    meeting = data_dir / "meeting_07_2020.yaml"
    meeting.write_text(
        meeting.read_text(encoding="utf-8").replace("Afghanistan", "Atlantis", 1),
        encoding="utf-8",
    )

    with pytest.raises(CommandError, match="unknown State 'Atlantis'"):
        call_command("load_wgsom", data_dir=data_dir, verbosity=0)
