"""The Secretariat group: its members are Secretariat staff.

Its permissions are granted after each migration by accounts.apps (Django creates
permissions only then); this migration makes the role exist from the start.
"""

from django.db import migrations

GROUP_NAME = "Secretariat"


def create_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=GROUP_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        # Reversing leaves the group: it may have members by then.
        migrations.RunPython(create_group, migrations.RunPython.noop),
    ]
