from django.db import migrations


def seed(apps, schema_editor):
    LoanRule = apps.get_model("circulation", "LoanRule")
    NetworkPolicy = apps.get_model("circulation", "NetworkPolicy")
    if not LoanRule.objects.filter(library=None, patron_category=None, item_type=None).exists():
        LoanRule.objects.create(loan_days=21, renewals=2, max_loans=None, holds_allowed=True,
                                hold_shelf_days=10, may_travel=True,
                                note="Règle par défaut du réseau")
    NetworkPolicy.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("circulation", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
