"""The usual kinds of events; a network adds or renames its own."""

from django.db import migrations

KINDS = [
    ("story-time", "Heure du conte"),
    ("exhibition", "Exposition"),
    ("author-visit", "Rencontre d'auteur"),
    ("workshop", "Atelier"),
    ("screening", "Projection"),
    ("reading-club", "Club de lecture"),
    ("class-visit", "Accueil de classe"),
    ("concert", "Concert"),
    ("game-session", "Jeux"),
    ("digital-workshop", "Atelier numérique"),
    ("reading-committee", "Comité de lecture"),
    ("training", "Formation"),
]


def seed(apps, schema_editor):
    EventKind = apps.get_model("programme", "EventKind")
    for code, name in KINDS:
        EventKind.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("programme", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
