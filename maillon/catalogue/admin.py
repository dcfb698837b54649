from django.contrib import admin

from maillon.catalogue.models import Collection, Item, ItemType, Record, SourceCode
from maillon.core.admin import ReadOnlyAdmin


@admin.register(Record)
class RecordAdmin(ReadOnlyAdmin):
    list_display = ["title", "year", "isbn", "doc_type"]
    search_fields = ["title", "isbn"]
    exclude = ["marc"]


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ["barcode", "record", "home", "current", "status"]
    search_fields = ["barcode"]
    raw_id_fields = ["record"]
    list_filter = ["status", "home"]


# Changed in the staff pages: /pro/catalogue/types/ and /pro/catalogue/correspondances/.
admin.site.register([ItemType, Collection, SourceCode], ReadOnlyAdmin)
