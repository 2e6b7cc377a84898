"""The Secretariat keeps the search thesaurus in the admin, through the services."""

from __future__ import annotations

from django.urls import reverse

from recommendations.models import ThesaurusEntry


def test_the_secretariat_adds_an_entry_in_the_admin(superuser_client):
    response = superuser_client.post(
        reverse("admin:recommendations_thesaurusentry_add"),
        {"terms": "  telehearing \ntelehearings\n\nvideoconferences\ntelehearing", "note": ""},
    )

    assert response.status_code == 302, response.content
    entry = ThesaurusEntry.objects.get(terms__startswith="telehearing")
    assert entry.term_list == ["telehearing", "telehearings", "videoconferences"]


def test_an_entry_with_one_term_is_refused_on_the_form(superuser_client):
    response = superuser_client.post(
        reverse("admin:recommendations_thesaurusentry_add"), {"terms": "JIT\n", "note": ""}
    )

    assert response.status_code == 200
    assert "Give at least two terms" in response.content.decode()


def test_the_initial_entries_are_there_to_edit(superuser_client):
    entry = ThesaurusEntry.objects.get(terms__startswith="JIT")

    response = superuser_client.get(
        reverse("admin:recommendations_thesaurusentry_change", args=[entry.pk])
    )

    assert response.status_code == 200
    assert "joint investigative teams" in response.content.decode()
