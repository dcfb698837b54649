"""The media bought and their VAT rates, with the legal cap on book discounts (data, not code:
a change of law is a change of rows)."""

from decimal import Decimal

from django.db import migrations

MEDIA = [
    (
        "LIVRE",
        "Livres",
        "5.50",
        "9.00",
        "Loi n° 81-766 du 10 août 1981 (loi Lang), art. 3, modifiée par la loi n° 2003-517 "
        "du 18 juin 2003 : remise de 9 % au plus aux bibliothèques",
        True,
    ),
    ("AV", "Vidéo, musique, jeux", "20.00", None, "", False),
    ("PRESSE", "Presse", "2.10", None, "", False),
    ("FOURN", "Fournitures", "20.00", None, "", False),
]


def seed(apps, schema_editor):
    Medium = apps.get_model("purchasing", "Medium")
    for code, name, vat, cap, source, lending in MEDIA:
        Medium.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "vat_rate": Decimal(vat),
                "discount_cap": Decimal(cap) if cap else None,
                "cap_source": source,
                "lending_right": lending,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("purchasing", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
