from django.urls import path

from maillon.patrons import views

app_name = "patrons"

urlpatterns = [
    path("", views.search, name="search"),
    path("nouveau/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/renouveler/", views.renew, name="renew"),
    path("<int:pk>/bloquer/", views.block, name="block"),
    path("<int:pk>/blocages/<int:block_pk>/lever/", views.lift, name="lift"),
    path("<int:pk>/demandes/<int:request_pk>/", views.decide_change, name="decide_change"),
    path("export/<str:code>/", views.export, name="export"),
    path("export/<str:code>/xlsx/", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("categories/", views.category_list, name="category_list"),
    path("categories/nouvelle/", views.category_edit, name="category_create"),
    path("categories/<int:pk>/", views.category_edit, name="category_edit"),
]
