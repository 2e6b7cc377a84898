"""`manage.py import_report PATH [--meeting N] [--dry-run] [--format json] [--update]`."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from meetings.models import Meeting
from recommendations.models import Recommendation
from states.models import StateAlias

from .documents import (
    LAYOUT_2020,
    REPORT_2018,
    REPORT_2020,
    source_paragraphs,
    tenth_meeting_text,
    to_docx,
)

pytestmark = pytest.mark.usefixtures("wgsom")


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_report", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def tenth(tmp_path):
    path = tmp_path / "tenth-meeting.txt"
    path.write_text(tenth_meeting_text(), encoding="utf-8")
    return path


def test_a_dry_run_in_json_prints_what_the_report_holds_and_writes_nothing(tenth):
    payload = json.loads(run(str(tenth), "--dry-run", "--format", "json"))

    assert not Meeting.objects.filter(ordinal=10).exists()
    assert payload["meeting"]["ordinal"] == 10
    assert payload["meeting"]["start_date"] == "2031-03-03"
    assert [item["label"] for item in payload["agenda_items"]] == [
        "1",
        "1 (a)",
        "1 (b)",
        "2",
        "3",
        "4",
        "5",
    ]
    thirteen = payload["recommendations"][12]
    assert (thirteen["label"], thirteen["section"], thirteen["agenda_item"]) == ("13", "B", "3")
    assert thirteen["text"].startswith("In the context of a pandemic")
    assert len(payload["attendance"]["party"]) == 74
    assert payload["warnings"] == []
    assert payload["import"]["dry_run"] is True
    assert payload["import"]["counts"]["created"] == 152
    near = payload["import"]["near_duplicates"]["13"]
    assert {"meeting": 7, "label": "9", "status": "proposed"}.items() <= near[1].items()


def test_importing_writes_everything_in_one_go_and_says_so(tenth):
    out = run(str(tenth))

    assert "Report imported." in out
    assert "recommendation: 22 created" in out
    assert Recommendation.objects.filter(meeting__ordinal=10).count() == 22


def test_importing_the_same_report_again_changes_nothing(tenth):
    run(str(tenth))
    out = run(str(tenth))
    assert "created" not in out and "updated" not in out
    assert "recommendation: 22 unchanged" in out


def test_a_word_file_is_imported_the_same_way(tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(to_docx(source_paragraphs(REPORT_2020), LAYOUT_2020, per_page=9))
    out = run(str(path), "--dry-run")
    assert "recommendation: 22 unchanged" in out


def test_edits_kept_are_listed_and_update_replaces_them():
    recommendation = Recommendation.objects.get(meeting__ordinal=7, status="adopted", label="3")
    recommendation.strength = Recommendation.Strength.ENCOURAGED
    recommendation.save()

    out = run(str(REPORT_2020))
    assert "Recommendation 3: kept (strength of language)" in out
    assert "1 records edited by staff were kept" in out

    out = run(str(REPORT_2020), "--update")
    assert "Recommendation 3: overwritten" in out
    recommendation.refresh_from_db()
    assert recommendation.strength == Recommendation.Strength.SHOULD


def test_the_meeting_number_can_be_given(tmp_path):
    path = tmp_path / "addendum.txt"
    path.write_text(
        REPORT_2018.read_text(encoding="utf-8").replace("4\N{EN DASH}5 July 2018", "6-7 May 2032"),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="give the meeting's number"):
        run(str(path))
    assert "Report imported." in run(str(path), "--meeting", "11")


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.txt", "holds no text"),
        (b"Dear colleagues,\nplease find attached.\n", "letter.txt", "does not read as a meeting"),
        (b"not a pdf", "report.pdf", "not a PDF"),
    ],
)
def test_bad_input_exits_with_one_readable_line(tmp_path, content, name, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as error:
        run(str(path))
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert str(error.value).endswith("nothing was imported")


def test_a_truncated_report_is_refused_and_nothing_is_written(tmp_path):
    text = tenth_meeting_text()
    path = tmp_path / "cut.txt"
    path.write_text(text[: text.index("routinely evaluate") + 18], encoding="utf-8")
    with pytest.raises(CommandError, match="looks truncated"):
        run(str(path))
    assert not Meeting.objects.filter(ordinal=10).exists()


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        run(str(tmp_path / "nowhere.pdf"))


def test_an_unknown_state_is_refused_naming_it_and_how_to_resolve_it(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(tenth_meeting_text().replace("Afghanistan,", "Atlantis,"), encoding="utf-8")
    with pytest.raises(CommandError, match="names 'Atlantis'") as refused:
        run(str(path))
    assert "--alias" in str(refused.value)
    assert "state_aliases.yaml" not in str(refused.value)
    assert "\n" not in str(refused.value)
    assert not Meeting.objects.filter(ordinal=10).exists()


def test_alias_resolves_a_name_and_is_kept_for_the_next_import(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(tenth_meeting_text().replace("Afghanistan,", "Atlantis,"), encoding="utf-8")

    run(str(path), "--alias", "Atlantis=afg", "--alias", "Nowhere Land=organization")

    alias = StateAlias.objects.get(name="Atlantis")
    assert (alias.kind, alias.state.code, alias.created_by) == ("state", "AFG", None)
    assert StateAlias.objects.get(name="Nowhere Land").kind == "organization"
    assert Meeting.objects.get(ordinal=10).participations.filter(state__code="AFG").exists()
    # The next report using the name needs no --alias.
    run(str(path))


def test_a_dry_run_with_an_unknown_name_lists_it_and_keeps_no_alias(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(tenth_meeting_text().replace("Afghanistan,", "Atlantis,"), encoding="utf-8")

    output = run(str(path), "--dry-run")

    assert "Unknown names, left out above: 'Atlantis'" in output
    run(str(path), "--dry-run", "--alias", "Atlantis=skip")
    assert not StateAlias.objects.exists()


@pytest.mark.parametrize(
    ("alias", "message"),
    [
        ("Atlantis", "expected NAME=ISO3"),
        ("Atlantis=", "expected NAME=ISO3"),
        ("Atlantis=XXX", "no State has the code 'XXX'"),
    ],
)
def test_a_bad_alias_is_refused_in_one_line(tmp_path, alias, message):
    path = tmp_path / "report.txt"
    path.write_text(tenth_meeting_text().replace("Afghanistan,", "Atlantis,"), encoding="utf-8")
    with pytest.raises(CommandError, match=message) as refused:
        run(str(path), "--alias", alias)
    assert "\n" not in str(refused.value)
    assert not StateAlias.objects.exists()
    assert not Meeting.objects.filter(ordinal=10).exists()
