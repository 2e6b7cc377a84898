"""How many queries `load_wgsom` runs: into an empty database, and again with nothing changed.

Records of a kind loaded by the hundred (States, participations, statements) are read
together, not looked up one by one; records are written in the load's one transaction with
no savepoint each; the search words of all the texts are written once. The counts are pinned
with a small margin so that a change undoing one of these shows here. Timing is `make bench`'s.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.models import ComplianceSnapshot
from meetings.models import Meeting, Participation
from recommendations.models import Recommendation, SearchWord
from states.models import State


def savepoints(queries: CaptureQueriesContext) -> int:
    return sum(q["sql"].startswith("SAVEPOINT") for q in queries.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_loading_into_an_empty_database_reads_each_kind_together_and_writes_each_record_once(
    django_assert_max_num_queries,
):
    # The session's database holds the loaded data and this test needs it empty; it is
    # transactional, so the `wgsom` fixture loads the data again for the tests after it.
    call_command("flush", interactive=False, verbosity=0)
    assert not State.objects.exists()

    # 1,134 on SQLite and PostgreSQL: 1 insert per record (196 States, 103
    # participations, 47 recommendations, 33 statements...) and its many-to-many rows; each
    # recommendation's history and themes (about 13 queries each, simple-history recording
    # the themes); 1 read per kind of record, per meeting; 2 per translated name; 1 write of
    # the search words; the first compliance snapshot; about 20 reads of rows before they are
    # deleted, which Django makes for models with delete receivers (the data versions that
    # the API's Last-Modified reads, core.data_versions)
    with (
        django_assert_max_num_queries(1220),
        CaptureQueriesContext(connection) as queries,
    ):
        call_command("load_wgsom", verbosity=0)

    assert savepoints(queries) <= 10
    assert State.objects.count() == 196
    assert Participation.objects.filter(meeting__ordinal=7).count() == 103
    assert Recommendation.objects.count() == 47
    assert SearchWord.objects.filter(word="smuggling").exists()


@pytest.mark.usefixtures("wgsom")
def test_loading_again_with_nothing_changed_writes_nothing(django_assert_max_num_queries):
    before = Meeting.objects.get(ordinal=7).updated_at
    snapshots = ComplianceSnapshot.objects.count()

    # 98 on SQLite, 99 on PostgreSQL: 1 read of each kind of record loaded in numbers (States,
    # meetings, documents and recommendations with their themes; participations and
    # statements with their agenda items, per meeting); 1 look-up per theme, regional group,
    # organization and agenda item, and of the recommendation a proposal became; 1 read per
    # translated name; the compliance snapshot's check
    with (
        django_assert_max_num_queries(110),
        CaptureQueriesContext(connection) as queries,
    ):
        call_command("load_wgsom", verbosity=0)

    writes = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE"))
    ]
    if connection.vendor == "postgresql":
        # The snapshot's check is PostgreSQL counting the figures into a snapshot, which it
        # takes back when they equal the latest one's: nothing else may be written.
        assert all("compliance_compliancesnapshot" in sql for sql in writes)
        assert any(q["sql"].startswith("ROLLBACK TO SAVEPOINT") for q in queries.captured_queries)
        assert ComplianceSnapshot.objects.count() == snapshots
    else:
        assert writes == []
    assert savepoints(queries) <= 10
    assert Meeting.objects.get(ordinal=7).updated_at == before
