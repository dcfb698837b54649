from django.db import migrations

# The usual answer: the head library fills in the full report, a member library the abridged
# one, a reading point the very abridged one. Each network changes it in the admin.
FORMS = {
    "head": "full",
    "member": "abridged",
    "reading_point": "very_abridged",
    "departmental": "full",
}


def seed(apps, schema_editor):
    FormByKind = apps.get_model("stats", "FormByKind")
    for kind, form in FORMS.items():
        FormByKind.objects.get_or_create(library_kind=kind, defaults={"form": form})


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
