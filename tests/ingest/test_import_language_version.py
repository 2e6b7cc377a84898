"""Importing a report's version in another UN language: `import_report --language fr` and
the staff page's language field record the official texts of the meeting's recommendations,
matched by their numbers, with the document as their source; the English is never touched."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from ingest.report_parser import ReportParseError, parse_language_version
from recommendations.models import Recommendation, RecommendationText

from .documents import LAYOUT_2020, to_docx, to_text

pytestmark = pytest.mark.usefixtures("wgsom")


def seventh_meeting_labels() -> list[str]:
    return list(
        Recommendation.objects.filter(meeting__ordinal=7)
        .exclude(status=Recommendation.Status.PROPOSED)
        .order_by("order")
        .values_list("label", flat=True)
    )


def french_text(label: str) -> str:
    return (
        f"Les États parties devraient renforcer la coopération consulaire contre les passeurs "
        f"(texte {label})."
    )


def french_report(labels: list[str]) -> list[str]:
    """The 2020 report's layout in French: a chapter of "Recommandation N" headings, each
    followed by its text, between other chapters."""
    paragraphs = [
        LAYOUT_2020.symbol,
        "Rapport sur la réunion du Groupe de travail sur le trafic illicite de migrants tenue "
        "à Vienne les 8 et 9 septembre 2020",
        "I. Recommandations",
        "A. Recommandations générales",
    ]
    for label in labels:
        paragraphs += [f"Recommandation {label}", french_text(label)]
    paragraphs += ["II. Organisation de la réunion", "La réunion s'est tenue à Vienne."]
    return paragraphs


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_report", *args, stdout=out)
    return out.getvalue()


def test_a_french_report_records_the_french_text_of_every_recommendation(tmp_path):
    labels = seventh_meeting_labels()
    path = tmp_path / "rapport.docx"
    path.write_bytes(to_docx(french_report(labels), LAYOUT_2020, per_page=9))
    english = dict(Recommendation.objects.filter(meeting__ordinal=7).values_list("pk", "text"))

    out = run(str(path), "--language", "fr", "--meeting", "7")

    versions = RecommendationText.objects.filter(recommendation__meeting__ordinal=7, language="fr")
    assert {v.recommendation.label: v.text for v in versions} == {
        label: french_text(label) for label in labels
    }
    assert {v.source for v in versions} == {"CTOC/COP/WG.7/2020/4"}
    assert dict(Recommendation.objects.filter(meeting__ordinal=7).values_list("pk", "text")) == (
        english
    )
    assert f"Texts created: {', '.join(labels)}" in out
    with translation.override("fr"):
        assert Recommendation.objects.get(meeting__ordinal=7, label="13").displayed.text == (
            french_text("13")
        )


def test_importing_the_same_language_version_again_changes_nothing(tmp_path):
    path = tmp_path / "rapport.txt"
    path.write_text(to_text(french_report(seventh_meeting_labels()), LAYOUT_2020))
    run(str(path), "--language", "fr", "--meeting", "7")

    payload = json.loads(run(str(path), "--language", "fr", "--meeting", "7", "--format", "json"))

    assert set(payload["matched"].values()) == {"unchanged"}
    assert payload["unmatched"] == payload["missing"] == []


def test_a_dry_run_says_what_would_be_recorded_and_writes_nothing(tmp_path):
    path = tmp_path / "rapport.txt"
    path.write_text(to_text(french_report(seventh_meeting_labels()), LAYOUT_2020))

    payload = json.loads(
        run(str(path), "--language", "fr", "--meeting", "7", "--dry-run", "--format", "json")
    )

    assert set(payload["matched"].values()) == {"created"}
    assert payload["dry_run"] is True
    assert not RecommendationText.objects.filter(recommendation__meeting__ordinal=7).exists()


def test_a_report_whose_recommendation_count_differs_is_refused_in_one_line(tmp_path):
    labels = seventh_meeting_labels()
    path = tmp_path / "rapport.txt"
    path.write_text(to_text(french_report(labels[:-1]), LAYOUT_2020))

    with pytest.raises(CommandError) as error:
        run(str(path), "--language", "fr", "--meeting", "7")

    message = str(error.value)
    assert "\n" not in message
    assert f"holds {len(labels) - 1} recommendations and the 7th meeting {len(labels)}" in message
    assert f"not in the report: {labels[-1]}" in message
    assert message.endswith("nothing was imported")
    assert not RecommendationText.objects.exists()


def test_labels_the_meeting_does_not_have_are_named(tmp_path):
    labels = seventh_meeting_labels()
    path = tmp_path / "rapport.txt"
    path.write_text(to_text(french_report([*labels[:-1], "99"]), LAYOUT_2020))

    with pytest.raises(CommandError) as error:
        run(str(path), "--language", "fr", "--meeting", "7")

    assert "not on record: 99" in str(error.value)
    assert not RecommendationText.objects.exists()


def test_a_language_version_without_numbered_headings_is_refused_with_why():
    text = to_text(["I. Recommandations", "1. Les États parties devraient agir."], LAYOUT_2020)

    with pytest.raises(ReportParseError, match="found no recommendation headings"):
        parse_language_version(text.encode(), filename="rapport.txt", language="fr")


def test_headings_are_read_in_each_language():
    for language, word in [("es", "Recomendación"), ("ru", "Рекомендация"), ("zh-hans", "建议")]:
        text = to_text([f"{word} 1", "Texto uno.", f"{word} 2", "Texto dos."], LAYOUT_2020)
        version = parse_language_version(text.encode(), filename="r.txt", language=language)
        assert [(r.label, r.text) for r in version.recommendations] == [
            ("1", "Texto uno."),
            ("2", "Texto dos."),
        ]


def upload_version(client, capture, content: bytes, **data):
    """Upload a language version on the staff page and let its job run (in-process); the
    job's page."""
    with capture(execute=True):
        response = client.post(
            reverse("report_import:upload"),
            {"report": SimpleUploadedFile("rapport.txt", content), "language": "fr", **data},
        )
    assert response.status_code == 302
    return client.get(response.url)


def test_the_secretariat_imports_a_language_version_on_the_import_page(
    client, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    content = to_text(french_report(seventh_meeting_labels()), LAYOUT_2020).encode()

    response = upload_version(client, django_capture_on_commit_callbacks, content, meeting=7)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Language version imported" in page
    assert 'data-label="1"' in page
    version = RecommendationText.objects.get(
        recommendation__meeting__ordinal=7, recommendation__label="1", language="fr"
    )
    assert version.entered_by == secretariat
    job = response.context["job"]
    assert (job.report_language, job.status, job.upload_token) == ("fr", "done", "")


def test_a_language_version_is_read_by_the_job_not_in_the_request(client, secretariat, monkeypatch):
    client.force_login(secretariat)

    def no_parsing_in_the_request(*args, **kwargs):
        raise AssertionError("the report was parsed in the request")

    monkeypatch.setattr("ingest.services.parse_language_version", no_parsing_in_the_request)
    content = to_text(french_report(seventh_meeting_labels()), LAYOUT_2020).encode()

    response = client.post(
        reverse("report_import:upload"),
        {"report": SimpleUploadedFile("rapport.txt", content), "language": "fr", "meeting": 7},
    )

    assert response.status_code == 302
    assert not RecommendationText.objects.exists()


def test_a_language_version_the_import_refuses_is_shown_on_the_job_page(
    client, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    labels = seventh_meeting_labels()
    content = to_text(french_report(labels[:-1]), LAYOUT_2020).encode()

    response = upload_version(client, django_capture_on_commit_callbacks, content, meeting=7)

    page = response.content.decode()
    assert "The meeting report was not imported" in page
    assert f"not in the report: {labels[-1]}" in page
    assert not RecommendationText.objects.exists()
