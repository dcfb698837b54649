# Joins three changes written side by side: the records' change date indexed for harvesters,
# the libraries' local collections, and the "on order" status of purchasing.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0012_item_on_order"),
        ("catalogue", "0012_local_collections"),
        ("catalogue", "0012_record_updated_at_index"),
    ]

    operations: list = []
