"""Keep load_wgsom able to update States loaded before it owned `protocol_status_note`.

load_wgsom tells a staff edit from its own writing by a checksum of the fields it owns
(core/reference_data.py). It now owns one more field, so every State loaded before would look
edited by staff and never be brought up to date. For each State whose values still match the
checksum of the fields the loader owned then (it was not edited), the checksum is stamped again
over those fields plus the new one, as the loader would have written it; an edited State keeps
its checksum and stays kept.
"""

import hashlib
import json

from django.db import migrations

# The fields load_wgsom wrote before 0003, and the one it has written since.
FIELDS_BEFORE = (
    "iso3",
    "iso2",
    "name",
    "other_names",
    "kind",
    "regional_group",
    "regional_group_note",
    "protocol_status",
    "protocol_signature_date",
    "protocol_consent_date",
    "protocol_consent_kind",
    "protocol_status_source",
)
NEW_FIELD = "protocol_status_note"


def _checksum(values):
    # A frozen copy of core.reference_data._checksum, so this migration never changes.
    payload = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _values(state, names):
    return {name: getattr(state, state._meta.get_field(name).attname) for name in names}


def restamp(apps, schema_editor):
    State = apps.get_model("states", "State")
    for state in State.objects.exclude(loaded_checksum="").iterator():
        before = _values(state, FIELDS_BEFORE)
        if _checksum(before) != state.loaded_checksum:
            continue  # edited by staff since it was loaded: kept as it is
        after = {**before, NEW_FIELD: getattr(state, NEW_FIELD)}
        State.objects.filter(pk=state.pk).update(loaded_checksum=_checksum(after))


class Migration(migrations.Migration):
    dependencies = [("states", "0003_protocol_status_note_and_depositary_count")]

    operations = [migrations.RunPython(restamp, migrations.RunPython.noop, elidable=False)]
