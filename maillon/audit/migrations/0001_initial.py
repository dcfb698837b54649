"""The audit log, taking over the items' history (catalogue.ItemEvent, deleted by 0008)."""

import django.core.serializers.json
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


# ItemEvent kinds whose code changed; the others keep theirs.
RENAMED = {"created": "item_created", "edited": "item_edited"}
CHUNK = 2000


def _details(kind: str, detail: dict) -> dict:
    """The new shape of an event's details (see catalogue/actions.py, circulation/actions.py)."""
    detail = dict(detail)
    if kind == "edited":
        return {"changes": detail}
    if kind == "found" and "status" in detail:
        detail["previous_status"] = detail.pop("status")
    if kind == "home_changed" and detail.pop("reason", None) == "floating":
        detail["floating"] = True
    if kind == "transfer_cancelled":
        detail.pop("reason", None)
    if kind == "renewed":
        detail.pop("by_patron", None)
    return detail


def copy_item_events(apps, schema_editor) -> None:
    ItemEvent = apps.get_model("catalogue", "ItemEvent")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    last = 0
    while True:
        events = list(ItemEvent.objects.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not events:
            return
        AuditEntry.objects.bulk_create(
            AuditEntry(
                at=e.at,
                actor_kind="staff" if e.user_id else "system",
                user_id=e.user_id,
                library_id=e.library_id,
                action=RENAMED.get(e.kind, e.kind),
                object_type="item",
                object_id=e.item_id,
                details=_details(e.kind, e.detail or {}),
            )
            for e in events
        )
        last = events[-1].pk


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('network', '0002_library_is_pickup_point'),
        ('catalogue', '0007_search_facets_sort_keys'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='when')),
                ('actor_kind', models.CharField(choices=[('staff', 'staff member'), ('patron', 'patron'), ('api_token', 'API token'), ('terminal', 'terminal'), ('system', 'system')], default='system', max_length=10, verbose_name='actor kind')),
                ('actor_id', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='actor id')),
                ('action', models.CharField(max_length=40, verbose_name='action')),
                ('object_type', models.CharField(max_length=30, verbose_name='object type')),
                ('object_id', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='object id')),
                ('patron_id', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='patron')),
                ('details', models.JSONField(blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder, verbose_name='details')),
                ('library', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='network.library', verbose_name='library')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'audit entry',
                'verbose_name_plural': 'audit entries',
                'ordering': ['-at', '-pk'],
                'indexes': [models.Index(fields=['object_type', 'object_id', '-at'], name='audit_object'), models.Index(fields=['patron_id', '-at'], name='audit_patron')],
            },
        ),
        migrations.RunPython(copy_item_events, migrations.RunPython.noop),
    ]
