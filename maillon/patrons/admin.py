from django.contrib import admin

from maillon.patrons.models import PatronCategory


# Categories are configuration; patrons themselves change only through services.py.
@admin.register(PatronCategory)
class PatronCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "min_age", "max_age", "registration_months",
                    "is_active"]
    list_filter = ["kind", "is_active"]
