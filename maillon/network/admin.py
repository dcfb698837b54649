from django.contrib import admin

from maillon.network.models import Closure, Library, OpeningHours, Partner, StaffRole


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours


class ClosureInline(admin.TabularInline):
    model = Closure


@admin.register(Library)
class LibraryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "commune"]
    inlines = [OpeningHoursInline, ClosureInline]


admin.site.register([Partner, StaffRole])
