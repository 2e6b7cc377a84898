"""The directory of national authorities and contact points."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from states import contact_point_services
from states.models import ContactPoint
from tests.factories import ContactPointFactory


def test_a_focal_point_keeps_its_own_states_entries(client, focal_point, state):
    client.force_login(focal_point)
    response = client.post(
        reverse("contact_points:add"),
        {
            "kind": "national_authority",
            "authority": "Ministry of Justice",
            "email": "mj@gov.example",
        },
    )
    assert response.status_code == 302
    entry = ContactPoint.objects.get(authority="Ministry of Justice")
    assert entry.state == state
    client.post(
        reverse("contact_points:edit", args=[entry.pk]),
        {"kind": "national_authority", "authority": "Ministry of Justice and Police"},
    )
    entry.refresh_from_db()
    assert entry.authority == "Ministry of Justice and Police"
    client.post(reverse("contact_points:delete", args=[entry.pk]))
    assert not ContactPoint.objects.filter(pk=entry.pk).exists()


def test_a_bad_e_mail_address_is_refused_and_nothing_written(client, focal_point, state):
    client.force_login(focal_point)
    response = client.post(
        reverse("contact_points:add"),
        {"kind": "contact_point", "authority": "Coast guard", "email": "not an address"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["Enter a valid email address."]
    assert not ContactPoint.objects.filter(state=state).exists()


def test_staff_choose_the_state_of_a_new_entry(client, staff, other_state):
    client.force_login(staff)
    client.post(
        reverse("contact_points:add"),
        {"state": other_state.code, "kind": "contact_point", "authority": "Border police"},
    )
    assert ContactPoint.objects.get(authority="Border police").state == other_state


def test_the_services_refuse_another_states_focal_point(other_focal_point, state):
    entry = ContactPointFactory(state=state)
    with pytest.raises(PermissionDenied):
        contact_point_services.contact_point_update(
            contact_point=entry, by=other_focal_point, authority="Hijacked"
        )
    with pytest.raises(PermissionDenied):
        contact_point_services.contact_point_create(
            by=other_focal_point, state=state, kind="contact_point", authority="Hijacked"
        )
    entry.refresh_from_db()
    assert entry.authority != "Hijacked"


def test_the_admin_saves_entries_through_the_services(client, staff, state):
    client.force_login(staff)
    response = client.post(
        reverse("admin:states_contactpoint_add"),
        {"state": state.pk, "kind": "contact_point", "authority": "Immigration office"},
    )
    assert response.status_code == 302
    assert ContactPoint.objects.get(authority="Immigration office").state == state
