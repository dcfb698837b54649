from django.contrib import admin

from maillon.audit.models import AuditEntry
from maillon.core.admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "object_type", "object_id", "actor_kind", "user", "library"]
    list_filter = ["action", "actor_kind", "object_type"]
    date_hierarchy = "at"
