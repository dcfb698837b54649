from django.contrib import admin

from maillon.catalogue.models import Collection, Item, ItemType, Record, SourceCode


@admin.register(Record)
class RecordAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "isbn", "doc_type"]
    search_fields = ["title", "isbn"]
    exclude = ["marc"]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["barcode", "record", "home", "current", "status"]
    search_fields = ["barcode"]
    raw_id_fields = ["record"]
    list_filter = ["status", "home"]


admin.site.register([ItemType, Collection, SourceCode])
