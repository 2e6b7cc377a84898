"""API tokens stored hashed (accounts.ApiToken), and the keys of DRF's authtoken moved there.

DRF's authtoken app kept each key in clear, never expiring. Its keys are carried over as
hashed tokens, each expiring settings.API_TOKEN_DAYS from now, so that programs keep working
until then, and its table is dropped: the app is no longer installed, so nothing else would
ever remove the keys it holds in clear.
"""

from __future__ import annotations

import datetime
from typing import Any

import django.db.models.deletion
import django.utils.dateparse
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import accounts.models

LEGACY_TABLE = "authtoken_token"
LEGACY_TOKEN_NAME = "Token from before expiry dates"


def _aware(value: Any) -> datetime.datetime:
    """A time read by raw SQL as an aware datetime: SQLite gives text or naive UTC."""
    if isinstance(value, str):
        value = django.utils.dateparse.parse_datetime(value)
    if value is None:
        return django.utils.timezone.now()
    if django.utils.timezone.is_naive(value):
        value = django.utils.timezone.make_aware(value, datetime.UTC)
    return value


def authtoken_keys_migrate(apps: Any, schema_editor: Any) -> int:
    """Copy DRF authtoken's keys into ApiToken, hashed, then drop its table; how many.

    Reads the table with SQL, as the authtoken app is no longer installed and has no
    historical models here; a database made after this change never had the table.
    """
    connection = schema_editor.connection
    if LEGACY_TABLE not in connection.introspection.table_names():
        return 0
    ApiToken = apps.get_model("accounts", "ApiToken")
    table = connection.ops.quote_name(LEGACY_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "key", "user_id", "created" FROM {table}')
        rows = cursor.fetchall()
    expires_at = django.utils.timezone.now() + datetime.timedelta(days=settings.API_TOKEN_DAYS)
    ApiToken.objects.bulk_create(
        ApiToken(
            user_id=user_id,
            name=LEGACY_TOKEN_NAME,
            key_prefix=key[: accounts.models.API_TOKEN_PREFIX_LENGTH],
            key_hash=accounts.models.api_token_key_hash(key),
            created_at=_aware(created),
            expires_at=expires_at,
        )
        for key, user_id, created in rows
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {table}")
        # So that installing the app again would make its table again, not assume it.
        cursor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])
    return len(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_audit_event"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("key_prefix", models.CharField(max_length=8, verbose_name="key prefix")),
                (
                    "key_hash",
                    models.CharField(max_length=64, unique=True, verbose_name="key hash"),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="created"),
                ),
                (
                    "expires_at",
                    models.DateTimeField(
                        default=accounts.models.api_token_expiry, verbose_name="expires"
                    ),
                ),
                (
                    "last_used_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="last used"),
                ),
                ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="revoked")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="api_tokens",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "API token",
                "verbose_name_plural": "API tokens",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.RunPython(authtoken_keys_migrate, migrations.RunPython.noop),
    ]
