from django.contrib import admin

from maillon.sip2.models import Terminal


@admin.register(Terminal)
class TerminalAdmin(admin.ModelAdmin):
    list_display = ["login", "library", "can_checkout", "can_checkin", "can_renew", "is_active"]
    list_filter = ["library", "is_active"]
    exclude = ["user"]
