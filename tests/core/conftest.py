from __future__ import annotations

import pytest
from django.db import connections

from core import db_routers
from core.db_routers import REPLICA

# A replica nothing answers for: PostgreSQL on a port where nothing listens.
UNREACHABLE = {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": "wgsom",
    "USER": "wgsom",
    "PASSWORD": "hunter2",
    "HOST": "127.0.0.1",
    "PORT": "1",
}


@pytest.fixture
def replica_at(monkeypatch):
    """Points the replica alias at another database than the primary, as DATABASE_REPLICA_URL
    does in production (the test settings' replica is the primary's test database)."""
    configured = connections.settings[REPLICA]
    mirror = connections[REPLICA]
    # Each test starts with a replica this process has not yet found down.
    monkeypatch.setattr(db_routers, "_replica_down_until", 0.0)

    def point(**database):
        connections.settings[REPLICA] = {**configured, "OPTIONS": {}, **database}
        del connections[REPLICA]

    yield point
    connections[REPLICA].close()
    connections.settings[REPLICA] = configured
    connections[REPLICA] = mirror
