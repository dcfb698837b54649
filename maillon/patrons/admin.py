from django.contrib import admin

from maillon.core.admin import ReadOnlyAdmin
from maillon.patrons.models import PatronCategory


# Changed in the staff pages (/pro/usagers/categories/).
@admin.register(PatronCategory)
class PatronCategoryAdmin(ReadOnlyAdmin):
    list_display = [
        "code",
        "name",
        "kind",
        "min_age",
        "max_age",
        "registration_months",
        "is_active",
    ]
    list_filter = ["kind", "is_active"]
