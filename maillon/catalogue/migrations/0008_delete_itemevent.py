"""The items' history now lives in the audit log (audit 0001 copied it)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0007_search_facets_sort_keys"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(
            name="ItemEvent",
        ),
    ]
