from django.urls import path

from maillon.catalogue import editor_views, views

app_name = "catalogue"
urlpatterns = [
    path("", views.search_page, name="search"),
    path("notices/nouvelle/", views.record_edit, name="record_create"),
    path("notices/<int:pk>/", views.record_detail, name="record"),
    path("notices/<int:pk>/modifier/", views.record_edit, name="record_edit"),
    path("notices/<int:pk>/marc/", editor_views.marc_editor, name="marc_editor"),
    path("notices/<int:record_pk>/exemplaires/nouveau/", views.item_edit, name="item_create"),
    path("notices/<int:record_pk>/exemplaires/<int:pk>/", views.item_edit, name="item_edit"),
    path("exemplaires/<str:barcode>/", views.item_detail, name="item"),
    path("exemplaires/<str:barcode>/actions/", views.item_action, name="item_action"),
    path("fusions/<int:pk>/annuler/", views.merge_undo, name="merge_undo"),
    path("bnf/", views.copy_search, name="copy_search"),
    path("bnf/importer/", views.copy_import, name="copy_import"),
    path("correspondances/", views.source_codes, name="source_codes"),
    path("types/", views.type_settings, name="types"),
    path("types/nouveau/", views.item_type_edit, name="item_type_create"),
    path("types/<int:pk>/", views.item_type_edit, name="item_type_edit"),
    path("types/<int:pk>/supprimer/", views.item_type_delete, name="item_type_delete"),
    path("fonds/nouveau/", views.collection_edit, name="collection_create"),
    path("fonds/<int:pk>/", views.collection_edit, name="collection_edit"),
    path("fonds/<int:pk>/supprimer/", views.collection_delete, name="collection_delete"),
    path("imports/", views.import_upload, name="import"),
    path("export/", views.export_download, name="export"),
    path("imports/<int:pk>/", views.import_report, name="import_report"),
    path("imports/<int:pk>/<str:kind>/", views.import_rejects, name="import_rejects"),
]
