"""API tokens on the profile page and in the database: stored hashed, shown once, expiring,
revocable, revoked when the password changes or is reset, and carried over from DRF's
authtoken."""

from __future__ import annotations

import datetime
import importlib
import re
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, AuditAction, AuditEvent, api_token_key_hash
from accounts.services import (
    API_TOKENS_PER_USER,
    ApiTokenRefused,
    api_token_authenticate,
    api_token_create,
)
from tests.factories import UserFactory
from tests.outbox.helpers import deliver_outbox

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def _api_as(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _all_database_text() -> str:
    """Every value of every column of every table, as text: where a key must not be."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            chunks.extend(str(row) for row in cursor.fetchall())
    return "\n".join(chunks)


# --- Stored hashed, shown once --------------------------------------------------------------


def test_a_key_is_stored_only_as_its_hash_and_first_characters(reader):
    token, key = api_token_create(user=reader, name="Laptop script")

    assert len(key) == 40
    assert token.key_hash == api_token_key_hash(key)
    assert token.key_prefix == key[:8]
    assert key not in _all_database_text()


def test_a_new_token_expires_after_the_configured_days(reader, settings):
    settings.API_TOKEN_DAYS = 30
    before = timezone.now()

    token, _key = api_token_create(user=reader, name="Script")

    assert before + datetime.timedelta(days=30) <= token.expires_at
    assert token.expires_at <= timezone.now() + datetime.timedelta(days=30)


def test_the_key_is_shown_once_on_the_page_that_answers_its_creation(client, reader):
    client.force_login(reader)

    response = client.post(reverse("api_token_create"), {"name": "Laptop script"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    key = re.search(r'<code class="token-key">([^<]+)</code>', page).group(1)
    assert _api_as(key).get("/api/v1/themes/").status_code == 200
    assert key not in str(dict(client.session))
    # Never again: the profile lists the token by its name and first characters only.
    profile = client.get(reverse("profile")).content.decode()
    assert key not in profile
    assert key[:8] in profile
    assert "Laptop script" in profile


def test_a_token_needs_a_name(client, reader):
    client.force_login(reader)

    response = client.post(reverse("api_token_create"), {"name": " "})

    assert response.status_code == 200
    assert response.context["token_form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_a_user_holds_at_most_a_few_working_tokens(reader):
    for number in range(API_TOKENS_PER_USER):
        api_token_create(user=reader, name=f"Script {number}")

    with pytest.raises(Exception, match="already have"):
        api_token_create(user=reader, name="One more")


def test_the_profile_lists_the_tokens_with_their_dates(
    client, reader, django_assert_max_num_queries
):
    api_token_create(user=reader, name="First")
    api_token_create(user=reader, name="Second")
    client.force_login(reader)

    # session, user, tokens, and the rest of the profile page (role checks, messages)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("profile")).content.decode()

    assert "First" in page and "Second" in page
    assert "Never" in page  # last used
    assert page.count('name="token"') == 2  # a revoke button each


# --- Revoked, expired ------------------------------------------------------------------------


def test_a_user_revokes_one_token_and_the_api_refuses_it(client, reader):
    token, key = api_token_create(user=reader, name="Old")
    _other, other_key = api_token_create(user=reader, name="Kept")
    client.force_login(reader)

    response = client.post(reverse("api_token_revoke"), {"token": token.pk})

    assert response.status_code == 302
    assert response["Location"] == reverse("profile")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _api_as(key).get("/api/v1/themes/").status_code == 401
    assert _api_as(other_key).get("/api/v1/themes/").status_code == 200
    assert "Old" not in client.get(reverse("profile")).content.decode()


def test_a_user_revokes_only_their_own_tokens(client, reader):
    theirs, their_key = api_token_create(user=UserFactory(), name="Theirs")
    client.force_login(reader)

    client.post(reverse("api_token_revoke"), {"token": theirs.pk})

    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert _api_as(their_key).get("/api/v1/themes/").status_code == 200


def test_tokens_are_made_and_revoked_only_by_a_signed_in_post(client, reader):
    assert client.post(reverse("api_token_create"), {"name": "x"}).status_code == 302
    assert client.post(reverse("api_token_revoke")).status_code == 302
    client.force_login(reader)
    assert client.get(reverse("api_token_create")).status_code == 405
    assert not ApiToken.objects.exists()


def test_an_expired_token_is_refused_and_shown_as_expired(client, reader):
    token, key = api_token_create(user=reader, name="Script")
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )

    response = _api_as(key).get("/api/v1/themes/")

    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    client.force_login(reader)
    assert "Expired on" in client.get(reverse("profile")).content.decode()


def test_creating_and_revoking_are_audited_by_prefix_never_by_key(client, reader):
    client.force_login(reader)
    page = client.post(reverse("api_token_create"), {"name": "Script"}).content.decode()
    key = re.search(r'<code class="token-key">([^<]+)</code>', page).group(1)
    token = ApiToken.objects.get()
    client.post(reverse("api_token_revoke"), {"token": token.pk})

    created = AuditEvent.objects.get(action=AuditAction.TOKEN_CREATED)
    revoked = AuditEvent.objects.get(action=AuditAction.TOKEN_REVOKED)
    assert created.details == {"token": key[:8], "name": "Script"}
    assert revoked.details == {"token": key[:8], "name": "Script"}
    assert key not in str(created.details) + str(revoked.details)


# --- Last use --------------------------------------------------------------------------------


def test_the_last_use_is_noted_at_most_once_a_minute(reader, django_assert_num_queries):
    token, key = api_token_create(user=reader, name="Script")

    # 1 token with its user, 1 update of its last use
    with django_assert_num_queries(2):
        api_token_authenticate(key=key)
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None

    # 1 token with its user: used less than a minute ago, nothing written
    with django_assert_num_queries(1):
        api_token_authenticate(key=key)
    token.refresh_from_db()
    assert token.last_used_at == first_use

    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=first_use - datetime.timedelta(minutes=2)
    )
    api_token_authenticate(key=key)
    token.refresh_from_db()
    assert token.last_used_at > first_use - datetime.timedelta(minutes=2)


def test_an_api_request_notes_the_last_use(reader):
    token, key = api_token_create(user=reader, name="Script")

    _api_as(key).get("/api/v1/themes/")

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_an_unknown_key_is_refused():
    with pytest.raises(ApiTokenRefused):
        api_token_authenticate(key="not-a-key")


# --- Password change and reset ---------------------------------------------------------------


def test_changing_the_password_revokes_every_token(client):
    user = UserFactory()
    _first, first_key = api_token_create(user=user, name="First")
    _second, second_key = api_token_create(user=user, name="Second")
    _other_token, other_key = api_token_create(user=UserFactory(), name="Someone else's")
    client.force_login(user)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
    )

    assert response.url == reverse("password_change_done")
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    assert _api_as(first_key).get("/api/v1/themes/").status_code == 401
    assert _api_as(second_key).get("/api/v1/themes/").status_code == 401
    assert _api_as(other_key).get("/api/v1/themes/").status_code == 200
    event = AuditEvent.objects.filter(action=AuditAction.TOKEN_REVOKED).get()
    assert event.details == {"tokens": 2, "reason": "password-changed"}


def test_a_password_set_in_the_admin_revokes_the_tokens(superuser_client):
    user = UserFactory()
    _token, key = api_token_create(user=user, name="Script")

    response = superuser_client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": "another-long-passphrase", "password2": "another-long-passphrase"},
    )

    assert response.status_code == 302
    assert _api_as(key).get("/api/v1/themes/").status_code == 401


def test_a_password_set_on_the_command_line_revokes_the_tokens(monkeypatch):
    user = UserFactory()
    _token, key = api_token_create(user=user, name="Script")
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "another-long-passphrase")

    call_command("changepassword", user.get_username(), stdout=StringIO())

    assert _api_as(key).get("/api/v1/themes/").status_code == 401


def test_the_new_password_field_says_that_tokens_stop_working(client):
    client.force_login(UserFactory())

    page = client.get(reverse("password_change")).content.decode()

    assert "Your API tokens stop working when your password changes." in page


def test_a_wrong_current_password_revokes_nothing(client):
    user = UserFactory()
    _token, key = api_token_create(user=user, name="Script")
    client.force_login(user)

    client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "x-long-pass-1",
            "new_password2": "x-long-pass-1",
        },
    )

    assert _api_as(key).get("/api/v1/themes/").status_code == 200


def test_resetting_the_password_revokes_every_token(client):
    user = UserFactory(email="maria@example.org")
    _token, key = api_token_create(user=user, name="Script")
    client.post(reverse("password_reset"), {"email": "maria@example.org"})
    (message,) = deliver_outbox()
    link = re.search(r"(/accounts/password/reset/[^/\s]+/[^/\s]+/)", message.body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session key

    response = client.post(
        form_url,
        {"new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"},
    )

    assert response.url == reverse("password_reset_complete")
    assert _api_as(key).get("/api/v1/themes/").status_code == 401


# --- Carried over from DRF's authtoken ------------------------------------------------------

migration = importlib.import_module("accounts.migrations.0005_api_token")


@pytest.fixture
def legacy_table():
    """DRF authtoken's table as it was, with one key in clear."""
    with connection.cursor() as cursor:
        cursor.execute(
            'CREATE TABLE "authtoken_token" ("key" varchar(40) PRIMARY KEY, '
            '"created" timestamp NOT NULL, "user_id" integer NOT NULL)'
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute('DROP TABLE IF EXISTS "authtoken_token"')


def test_old_authtoken_keys_keep_working_hashed_until_they_expire(legacy_table, settings):
    settings.API_TOKEN_DAYS = 90
    user = UserFactory()
    old_key = "0123456789abcdef0123456789abcdef01234567"
    created = timezone.now() - datetime.timedelta(days=400)
    with connection.cursor() as cursor:
        cursor.execute(
            'INSERT INTO "authtoken_token" ("key", "created", "user_id") VALUES (%s, %s, %s)',
            [old_key, created, user.pk],
        )
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, %s)",
            ["authtoken", "0001_initial", timezone.now()],
        )

    moved = migration.authtoken_keys_migrate(apps, SimpleNamespace(connection=connection))

    assert moved == 1
    token = ApiToken.objects.get()
    assert (token.user, token.key_prefix) == (user, "01234567")
    assert token.key_hash == api_token_key_hash(old_key)
    assert abs(token.created_at - created) < datetime.timedelta(seconds=1)
    days_left = token.expires_at - timezone.now()
    assert datetime.timedelta(days=89) < days_left <= datetime.timedelta(days=90)
    assert "authtoken_token" not in connection.introspection.table_names()
    assert old_key not in _all_database_text()
    assert _api_as(old_key).get("/api/v1/themes/").status_code == 200


def test_the_carry_over_does_nothing_on_a_database_that_never_had_authtoken():
    assert migration.authtoken_keys_migrate(apps, SimpleNamespace(connection=connection)) == 0
    assert not ApiToken.objects.exists()


# --- The admin -------------------------------------------------------------------------------


def test_a_superuser_revokes_a_token_in_the_admin_without_seeing_its_hash(superuser_client, reader):
    token, key = api_token_create(user=reader, name="Leaked")
    changelist = reverse("admin:accounts_apitoken_changelist")

    page = superuser_client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    assert page.status_code == 200
    assert token.key_hash not in page.content.decode()

    superuser_client.post(
        changelist, {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )

    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(action=AuditAction.TOKEN_REVOKED)
    assert event.actor_name == "superuser"
    assert _api_as(key).get("/api/v1/themes/").status_code == 401


def test_secretariat_staff_do_not_see_tokens_in_the_admin(client, secretariat):
    client.force_login(secretariat)

    response = client.get(reverse("admin:accounts_apitoken_changelist"))

    assert response.status_code == 403
