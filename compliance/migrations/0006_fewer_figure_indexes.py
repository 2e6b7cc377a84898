"""Two indexes fewer on the figure table, which every snapshot writes hundreds of thousands of
rows into (224,065 at 250,000 recommendations): the snapshot's own foreign-key index, which
figure_unique_in_snapshot (snapshot, dimension, key) already begins with, and
figure_dimension_share, which only counted the recommendations implemented somewhere, a count
now made once per snapshot and kept (compliance.selectors.rows_implementing_somewhere).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('compliance', '0005_figure_indexes_for_paging'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='compliancefigure',
            name='figure_dimension_share',
        ),
        migrations.AlterField(
            model_name='compliancefigure',
            name='snapshot',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='figures', to='compliance.compliancesnapshot', verbose_name='snapshot'),
        ),
    ]
