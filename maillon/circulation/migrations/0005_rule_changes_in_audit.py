"""Who last changed a rule or the policy is read from the audit log: the last change known is
copied there, then the columns go."""

from django.db import migrations


def copy_last_changes(apps, schema_editor) -> None:
    AuditEntry = apps.get_model("audit", "AuditEntry")
    for model, action in (("LoanRule", "rule_changed"), ("NetworkPolicy", "policy_changed")):
        rows = apps.get_model("circulation", model).objects.filter(updated_at__isnull=False)
        AuditEntry.objects.bulk_create(
            AuditEntry(
                at=row.updated_at,
                actor_kind="staff" if row.updated_by_id else "system",
                user_id=row.updated_by_id,
                action=action,
                object_type=model.lower(),
                object_id=row.pk,
            )
            for row in rows
        )


class Migration(migrations.Migration):

    dependencies = [
        ('circulation', '0004_rule_changes'),
        ('audit', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(copy_last_changes, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='loanrule',
            name='updated_at',
        ),
        migrations.RemoveField(
            model_name='loanrule',
            name='updated_by',
        ),
        migrations.RemoveField(
            model_name='networkpolicy',
            name='updated_at',
        ),
        migrations.RemoveField(
            model_name='networkpolicy',
            name='updated_by',
        ),
    ]
