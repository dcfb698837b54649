from django.urls import path

from maillon.lots import views

app_name = "lots"
urlpatterns = [
    path("", views.lot_list, name="list"),
    path("recevoir/", views.receive, name="receive"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/scan/", views.scan, name="scan"),
    path("<str:code>/selection/", views.add_selection, name="selection"),
    path("<str:code>/retirer/<int:item_pk>/", views.remove, name="remove"),
    path("<str:code>/envoyer/", views.send, name="send"),
    path("<str:code>/etiquette.pdf", views.print_lot, name="print"),
]
