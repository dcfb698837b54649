"""Resources get a barcode: existing ones get a random one, distinct from each other."""

from django.db import migrations, models

import maillon.bookings.models


def fill(apps, schema_editor):
    Resource = apps.get_model("bookings", "Resource")
    taken: set[str] = set()
    for resource in Resource.objects.order_by("pk"):
        code = maillon.bookings.models.new_barcode()
        while code in taken:
            code = maillon.bookings.models.new_barcode()
        taken.add(code)
        resource.barcode = code
        resource.save(update_fields=["barcode"])


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0009_one_rule_per_scope"),
    ]

    operations = [
        migrations.AddField(
            model_name="resource",
            name="barcode",
            field=models.CharField(max_length=32, null=True, verbose_name="barcode"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="resource",
            name="barcode",
            field=models.CharField(
                default=maillon.bookings.models.new_barcode,
                max_length=32,
                unique=True,
                verbose_name="barcode",
            ),
        ),
    ]
