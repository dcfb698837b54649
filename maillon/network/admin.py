from django.contrib import admin

from maillon.core.admin import ReadOnlyAdmin, ReadOnlyInline
from maillon.network.models import Closure, Library, OpeningHours, Partner, StaffRole


# Changed in the staff pages (/pro/reseau/…).
class OpeningHoursInline(ReadOnlyInline):
    model = OpeningHours


class ClosureInline(ReadOnlyInline):
    model = Closure


@admin.register(Library)
class LibraryAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "commune"]
    inlines = [OpeningHoursInline, ClosureInline]


admin.site.register([Partner, StaffRole], ReadOnlyAdmin)
