"""Signing in and out, locking after failed attempts, password change and reset, profile."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import FocalPointFactory, SecretariatUserFactory, UserFactory
from tests.outbox.helpers import deliver_outbox

PASSWORD = "a-long-test-password"


@pytest.fixture
def user(db):
    return UserFactory(username="maria@example.org", email="maria@example.org")


def sign_in(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_the_sign_in_page_signs_a_user_in_and_out(client, user):
    assert client.get(reverse("login")).status_code == 200
    response = sign_in(client, "maria@example.org", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("profile")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("profile")).status_code == 302


def test_a_wrong_password_is_refused_with_a_message(client, user):
    response = sign_in(client, "maria@example.org", "wrong")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_repeated_failed_sign_ins_lock_the_account_at_that_address_even_for_the_right_password(
    client, user, settings
):
    for _ in range(settings.SIGN_IN_FAILURE_LIMIT):
        sign_in(client, "maria@example.org", "guess")
    response = sign_in(client, "maria@example.org", PASSWORD)
    assert response.status_code == 429
    assert "locked for a while" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lock_on_one_account_leaves_other_accounts_alone(client, user, settings):
    UserFactory(username="other@example.org", email="other@example.org")
    for _ in range(settings.SIGN_IN_FAILURE_LIMIT):
        sign_in(client, "maria@example.org", "guess")
    assert sign_in(client, "other@example.org", PASSWORD).status_code == 302


def test_a_signed_in_user_changes_the_password(client, user):
    client.force_login(user)
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
    )
    assert response.url == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("another-long-passphrase")


def test_the_reset_link_also_reaches_an_account_that_never_chose_a_password(client, db):
    invited = UserFactory(username="new@example.org", email="new@example.org")
    invited.set_unusable_password()
    invited.save()
    response = client.post(reverse("password_reset"), {"email": "NEW@example.org"})
    assert response.url == reverse("password_reset_done")
    assert [message.to for message in deliver_outbox()] == [["new@example.org"]]
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_the_profile_says_the_role(client, state):
    focal = FocalPointFactory(state=state)
    client.force_login(focal)
    assert f"Focal point of {state.name}" in client.get(reverse("profile")).content.decode()
    client.force_login(SecretariatUserFactory())
    assert "Secretariat staff" in client.get(reverse("profile")).content.decode()


def test_roles_are_decided_by_the_group_and_the_state(db, state):
    assert SecretariatUserFactory().is_secretariat
    assert UserFactory(is_superuser=True).is_secretariat
    # is_staff alone opens the admin but is not the Secretariat role.
    assert not UserFactory(is_staff=True).is_secretariat
    assert FocalPointFactory(state=state).is_focal_point
    assert not FocalPointFactory(state=state, is_active=False).is_focal_point
    assert not UserFactory().is_focal_point
