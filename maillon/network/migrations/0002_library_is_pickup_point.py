from django.db import migrations, models


def set_by_kind(apps, schema_editor) -> None:
    """Until now the departmental library was the one place that took no holds for pickup."""
    Library = apps.get_model("network", "Library")
    Library.objects.filter(kind="departmental").update(is_pickup_point=False)


class Migration(migrations.Migration):

    dependencies = [
        ("network", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="library",
            name="is_pickup_point",
            field=models.BooleanField(
                default=True,
                help_text="Patrons may choose this library to pick up their reservations.",
                verbose_name="pickup point",
            ),
        ),
        migrations.RunPython(set_by_kind, migrations.RunPython.noop),
    ]
