"""The kinds of animation resources and the network's default booking rules.

The figures are those the departmental libraries publish (see the research notes on booking the
MD's animation resources, issue 17):
- book at least 15 days ahead: Médiathèque départementale du Jura (mediatheque.jura.fr,
  « Prêt du matériel d'animation »);
- at most 3 months (90 days), at most 10 tools at once of which one exhibition and one story
  mat (tapis/boîte à raconter), 7 days between the previous borrower's end and the next start
  for checking: Médiathèque Côte-d'Or (mediatheque.cotedor.fr, « Emprunter et réserver un
  outil d'animation »);
- a week at least (7 days) and the owner's approval: Maillon's defaults, changeable per kind
  and owner.
"""

from django.db import migrations

KINDS = [
    ("exposition", "Exposition"),
    ("valise", "Valise ou malle thématique"),
    ("kamishibai", "Kamishibaï et butaï"),
    ("raconte-tapis", "Raconte-tapis"),
    ("jeu", "Jeu"),
    ("tablettes", "Lot de tablettes"),
    ("projecteur", "Vidéoprojecteur"),
    ("autre", "Autre matériel"),
]
DEFAULT = {
    "lead_days": 15,
    "min_days": 7,
    "max_days": 90,
    "buffer_days": 7,
    "max_per_library": 10,
    "max_per_library_kind": None,
    "approval_needed": True,
}
# One at a time per library for these kinds (Côte-d'Or).
ONE_AT_A_TIME = ["exposition", "raconte-tapis"]


def seed(apps, schema_editor):
    ResourceKind = apps.get_model("bookings", "ResourceKind")
    BookingRule = apps.get_model("bookings", "BookingRule")
    for code, name in KINDS:
        ResourceKind.objects.get_or_create(code=code, defaults={"name": name})
    if not BookingRule.objects.filter(kind=None, owner=None).exists():
        BookingRule.objects.create(kind=None, owner=None, **DEFAULT)
    for code in ONE_AT_A_TIME:
        kind = ResourceKind.objects.get(code=code)
        if not BookingRule.objects.filter(kind=kind, owner=None).exists():
            BookingRule.objects.create(
                kind=kind, owner=None, **{**DEFAULT, "max_per_library_kind": 1}
            )


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
