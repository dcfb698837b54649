"""The default weeding table the coordinator starts from (and edits).

Sources (see ../shared/research/collections.md, section 2): CREW 2012 (Texas State Library,
J. Larson) for 004; the IOUPI school tables of ac-versailles and ac-lyon for generalities,
encyclopaedias, atlases and guides, mathematics, and "3 years without a loan" for non-fiction.
Rows marked sourced=False are defaults no public source confirmed for that class: they follow
CREW's most frequent formulas (10/3, 5/3, X/3) and are there to be reviewed.
"""

from django.db import migrations

CREW = "CREW 2012 (Texas State Library)"
IOUPI_V = "IOUPI, ac-versailles"
IOUPI_L = "IOUPI, ac-lyon : « 3 ans sans prêt » pour les documentaires"
DEFAULT = "Formule CREW la plus fréquente ; à valider"

# label, dewey from, to, audience, doc type, X, Y, source, sourced
ROWS = [
    ("Généralités", "000", "003", "", "", 5, 3, IOUPI_V, True),
    ("Informatique", "004", "006", "", "", 3, None, CREW, True),
    ("Encyclopédies et dictionnaires", "030", "039", "", "", 10, 3, IOUPI_V, True),
    ("Généralités (autres)", "007", "099", "", "", 10, 3, DEFAULT, False),
    ("Philosophie, psychologie", "100", "199", "", "", 10, 3, DEFAULT, False),
    ("Religions", "200", "299", "", "", 10, 3, DEFAULT, False),
    ("Sciences sociales", "300", "329", "", "", 5, 3, DEFAULT, False),
    ("Économie", "330", "339", "", "", 5, 3, "IOUPI, ac-lyon : 2 ans (scolaire) ; 5 retenu", False),
    ("Droit", "340", "349", "", "", 5, 3, DEFAULT, False),
    ("Société, éducation, coutumes", "350", "399", "", "", 10, 3, DEFAULT, False),
    ("Langues", "400", "499", "", "", 10, 3, DEFAULT, False),
    ("Sciences", "500", "509", "", "", 5, 3, DEFAULT, False),
    ("Mathématiques", "510", "519", "", "", 10, 3, "IOUPI, ac-lyon : 10 ans", True),
    ("Sciences de la nature", "520", "599", "", "", 10, 3, DEFAULT, False),
    ("Techniques", "600", "609", "", "", 5, 3, DEFAULT, False),
    ("Médecine, santé", "610", "619", "", "", 5, 3, DEFAULT, False),
    ("Techniques (autres)", "620", "639", "", "", 10, 3, DEFAULT, False),
    ("Vie pratique, cuisine", "640", "649", "", "", 10, 3, DEFAULT, False),
    ("Gestion, industrie", "650", "699", "", "", 5, 3, DEFAULT, False),
    ("Arts, loisirs, sports", "700", "799", "", "", 10, 3, DEFAULT, False),
    ("Littérature (études, poésie, théâtre)", "800", "899", "", "", None, 3, DEFAULT, False),
    ("Histoire (généralités)", "900", "909", "", "", None, 3, DEFAULT, False),
    ("Géographie, atlas, guides", "910", "919", "", "", 5, 3, IOUPI_V, True),
    ("Biographies", "920", "929", "", "", None, 3, DEFAULT, False),
    ("Histoire", "930", "999", "", "", 15, 3, DEFAULT, False),
    ("Romans et fictions", "", "", "", "text", None, 3, IOUPI_L, False),
    ("Fictions jeunesse et albums", "", "", "youth", "text", None, 3, DEFAULT, False),
    ("Films", "", "", "", "video", None, 3, DEFAULT, False),
    ("Musique", "", "", "", "music", None, 3, DEFAULT, False),
    ("Périodiques", "", "", "", "periodical", 2, None, DEFAULT, False),
]

REFUSALS = [
    ("video", "donated", "Les films ne sont pas donnés : leurs droits de prêt ne se transmettent pas."),
    ("video", "sold", "Les films ne sont pas vendus : leurs droits de prêt ne se transmettent pas."),
]


def seed(apps, schema_editor):
    Criterion = apps.get_model("weeding", "Criterion")
    Refusal = apps.get_model("weeding", "DestinationRefusal")
    if not Criterion.objects.filter(library__isnull=True).exists():
        Criterion.objects.bulk_create(
            Criterion(
                label=label,
                dewey_from=start,
                dewey_to=end,
                audience=audience,
                doc_type=doc_type,
                years_since_publication=x,
                years_without_loan=y,
                source=source,
                sourced=sourced,
            )
            for label, start, end, audience, doc_type, x, y, source, sourced in ROWS
        )
    for doc_type, destination, why in REFUSALS:
        Refusal.objects.get_or_create(doc_type=doc_type, destination=destination, defaults={"why": why})


class Migration(migrations.Migration):
    dependencies = [("weeding", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
