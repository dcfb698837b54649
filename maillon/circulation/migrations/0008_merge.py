# Joins the transfer reasons of the claim and the workshop with the loans' statistics and the
# capacity caps, written side by side.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("circulation", "0006_transfer_claim_workshop"),
        ("circulation", "0007_capacity"),
    ]

    operations: list = []
