"""The figure table loses its (dimension, key, snapshot) index: a row's trend is now read
snapshot by snapshot through figure_unique_in_snapshot (compliance.selectors.figure_history),
and that index, whose entries for a new snapshot are scattered across it, cost every
snapshot 1.4 s of writing at 250,000 recommendations.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('compliance', '0006_fewer_figure_indexes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='compliancefigure',
            name='compliance__dimensi_527f52_idx',
        ),
    ]
