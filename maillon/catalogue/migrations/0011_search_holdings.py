"""The search index's (library, record) pairs: a filter on libraries holding few copies reads
them instead of testing every match's bit set (see maillon.catalogue.search.engine). Filled
from the items, with the index's own rules (see search.index.holdings_columns): a copy lost,
missing or withdrawn is no longer held; "available" means a copy there is on the shelf."""

from django.db import migrations, models

GONE = ("withdrawn", "lost", "missing")  # catalogue.models.GONE_STATUSES when written


def fill(apps, schema_editor):
    marks = ", ".join(["%s"] * len(GONE))
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO catalogue_searchholding (library_id, record_id, available) "
            "SELECT i.home_id, i.record_id, "
            "MAX(CASE WHEN i.status = %s THEN 1 ELSE 0 END) = 1 "
            "FROM catalogue_item i JOIN catalogue_searchentry e ON e.record_id = i.record_id "
            f"WHERE i.status NOT IN ({marks}) GROUP BY i.home_id, i.record_id",
            ["available", *GONE],
        )
        cursor.execute("ANALYZE catalogue_searchholding")


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0010_audience_not_specified"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchHolding",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "library_id", "record_id", blank=True, editable=False,
                        primary_key=True, serialize=False,
                    ),
                ),
                ("library_id", models.IntegerField()),
                ("record_id", models.IntegerField()),
                ("available", models.BooleanField(default=False)),
            ],
            options={
                "indexes": [
                    models.Index(fields=["record_id"], name="search_holding_record"),
                    models.Index(
                        fields=["library_id", "available", "record_id"],
                        name="search_holding_shelf",
                    ),
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
