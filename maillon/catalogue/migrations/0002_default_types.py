from django.db import migrations

ITEM_TYPES = [
    ("LIVRE", "Livre"),
    ("LIVJ", "Livre jeunesse"),
    ("BD", "Bande dessinée"),
    ("PER", "Périodique"),
    ("DVD", "DVD"),
    ("CD", "CD"),
    ("LIVLU", "Livre lu"),
    ("JEU", "Jeu"),
    ("KIT", "Malle / kit"),
    ("PART", "Partition"),
    ("NOUV", "Nouveauté"),
]
COLLECTIONS = [
    ("BASE", "Fonds de base", "base", ""),
    ("LOCAL", "Fonds local", "local", "Histoire et patrimoine de la Gâtine"),
    ("PATRI", "Fonds patrimonial", "heritage", ""),
    ("DEPOT", "Dépôt de la médiathèque départementale", "deposit", ""),
]


def seed(apps, schema_editor):
    ItemType = apps.get_model("catalogue", "ItemType")
    Collection = apps.get_model("catalogue", "Collection")
    for code, name in ITEM_TYPES:
        ItemType.objects.get_or_create(code=code, defaults={"name": name})
    for code, name, kind, theme in COLLECTIONS:
        Collection.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "theme": theme}
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
