"""Default library levels and quotas, editable as data. Sourced: DVDs only for levels 1–3 and
at most 80, at most 150 CDs (Lozère's MD, biblio.lozere.fr/decouvrir/multimedia); five levels
B1–B5 (ABD typology, 2002); about 770 books per network library (BBF 1992-01). The totals and
the audience split are examples to adjust."""

from django.db import migrations

# code, name, rank, months, total (warns beyond), dvd, cd, youth (warns beyond)
LEVELS = [
    ("B1", "Niveau 1", 1, 12, 2000, 80, 150, None),
    ("B2", "Niveau 2", 2, 12, 1500, 80, 150, None),
    ("B3", "Niveau 3", 3, 12, 1000, 80, 150, 600),
    ("B4", "Niveau 4 (point d'accès au livre)", 4, 6, 600, 0, 150, 400),
    ("B5", "Niveau 5 (dépôt simple)", 5, 6, 300, 0, 30, 200),
]
NOTE = "Valeurs par défaut : DVD et CD d'après la MD de la Lozère ; totaux à ajuster."


def seed(apps, schema_editor):
    Level = apps.get_model("deposits", "DepositLevel")
    Allowance = apps.get_model("deposits", "DepositAllowance")
    ItemType = apps.get_model("catalogue", "ItemType")
    types = {t.code: t for t in ItemType.objects.filter(code__in=["DVD", "CD"])}
    for code, name, rank, months, total, dvd, cd, youth in LEVELS:
        level, created = Level.objects.get_or_create(
            code=code, defaults={"name": name, "rank": rank, "period_months": months, "notes": NOTE}
        )
        if not created:
            continue
        Allowance.objects.create(level=level, max_items=total, strict=False)
        for type_code, most in (("DVD", dvd), ("CD", cd)):
            if type_code in types:
                Allowance.objects.create(level=level, item_type=types[type_code], max_items=most)
        if youth is not None:
            Allowance.objects.create(level=level, audience="youth", max_items=youth, strict=False)


class Migration(migrations.Migration):
    dependencies = [("deposits", "0001_initial"), ("catalogue", "0002_default_types")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
