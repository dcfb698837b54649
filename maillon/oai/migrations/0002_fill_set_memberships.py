"""Each record's OAI-PMH sets, from its copies (maillon.oai.sets.rebuild): from now on the
catalogue's services keep them, and a harvest of a set lists those that leave it."""

from django.db import migrations


def fill(apps, schema_editor):
    from maillon.oai.sets import Models, rebuild

    rebuild(
        Models(
            Record=apps.get_model("catalogue", "Record"),
            Item=apps.get_model("catalogue", "Item"),
            SetMembership=apps.get_model("oai", "SetMembership"),
        )
    )


class Migration(migrations.Migration):
    dependencies = [("oai", "0001_initial")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
