"""Failed sign-ins lock an account at the address they came from, and an address that fails
against many accounts; the password change form stops checking after repeated wrong
passwords."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "a-long-test-password"
ADDRESS_A = "198.51.100.7"
ADDRESS_B = "203.0.113.42"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The password change counts live in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def maria(db):
    return UserFactory(username="maria@example.org", email="maria@example.org")


def sign_in(client, username: str, password: str, address: str):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail(client, username: str, address: str, times: int) -> None:
    for _ in range(times):
        # 200 with the form's error, 429 from the failure that reaches a limit on.
        assert sign_in(client, username, "a-wrong-guess", address).status_code in (200, 429)


def test_failures_lock_the_account_at_that_address_only(client, maria, settings):
    fail(client, "maria@example.org", ADDRESS_A, settings.SIGN_IN_FAILURE_LIMIT)

    locked = sign_in(client, "maria@example.org", PASSWORD, ADDRESS_A)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session

    # Maria herself, from her own network, still signs in.
    assert sign_in(client, "maria@example.org", PASSWORD, ADDRESS_B).status_code == 302


def test_one_failure_fewer_than_the_limit_locks_nothing(client, maria, settings):
    fail(client, "maria@example.org", ADDRESS_A, settings.SIGN_IN_FAILURE_LIMIT - 1)

    assert sign_in(client, "maria@example.org", PASSWORD, ADDRESS_A).status_code == 302


def test_an_address_trying_one_password_on_many_accounts_is_locked(client, maria, settings):
    # One guess against each of many usernames: no account reaches its own limit.
    for number in range(settings.SIGN_IN_ADDRESS_FAILURE_LIMIT):
        sign_in(client, f"someone-{number}@example.org", "Summer2026!", ADDRESS_A)

    # The address is locked, for every account, including one it never tried...
    assert sign_in(client, "maria@example.org", PASSWORD, ADDRESS_A).status_code == 429
    # ...while the accounts stay open from anywhere else.
    assert sign_in(client, "maria@example.org", PASSWORD, ADDRESS_B).status_code == 302


def test_fewer_failures_than_the_address_limit_leave_the_address_open(client, maria, settings):
    for number in range(settings.SIGN_IN_ADDRESS_FAILURE_LIMIT - 1):
        sign_in(client, f"someone-{number}@example.org", "Summer2026!", ADDRESS_A)

    assert sign_in(client, "maria@example.org", PASSWORD, ADDRESS_A).status_code == 302


def test_an_attacker_elsewhere_cannot_lock_out_a_member_of_staff(client, secretariat, settings):
    secretariat.set_password(PASSWORD)
    secretariat.save()
    attacker_failures = settings.SIGN_IN_ADDRESS_FAILURE_LIMIT + settings.SIGN_IN_FAILURE_LIMIT
    fail(client, secretariat.get_username(), ADDRESS_A, attacker_failures)

    assert sign_in(client, secretariat.get_username(), PASSWORD, ADDRESS_B).status_code == 302


# --- The password change form ----------------------------------------------------------------


def change_password(client, old_password: str):
    return client.post(
        reverse("password_change"),
        {
            "old_password": old_password,
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
    )


def test_the_password_change_form_refuses_after_five_wrong_current_passwords(client, maria):
    client.force_login(maria)
    for _ in range(4):
        response = change_password(client, "wrong")
        assert response.context["form"].has_error("old_password")
        assert "too many times" not in response.content.decode()

    fifth = change_password(client, "wrong")
    assert "too many times" in fifth.content.decode()

    # Even the right password is not checked now.
    refused = change_password(client, PASSWORD)
    assert refused.status_code == 200
    assert refused.context["form"].has_error("old_password", "too_many_attempts")
    maria.refresh_from_db()
    assert maria.check_password(PASSWORD)


def test_the_password_change_form_opens_again_after_a_while(client, maria):
    client.force_login(maria)
    for _ in range(5):
        change_password(client, "wrong")

    cache.clear()  # the 15 minutes pass

    assert change_password(client, PASSWORD).url == reverse("password_change_done")


def test_a_right_password_clears_the_count_of_wrong_ones(client, maria):
    client.force_login(maria)
    for _ in range(4):
        change_password(client, "wrong")
    assert change_password(client, PASSWORD).status_code == 302
    maria.set_password(PASSWORD)
    maria.save()
    client.force_login(maria)

    for _ in range(4):
        response = change_password(client, "wrong")
        assert not response.context["form"].has_error("old_password", "too_many_attempts")


def test_one_users_wrong_passwords_do_not_block_another(client, maria):
    client.force_login(maria)
    for _ in range(5):
        change_password(client, "wrong")

    other = UserFactory()
    client.force_login(other)
    assert change_password(client, PASSWORD).url == reverse("password_change_done")
