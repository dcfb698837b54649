from django.urls import path

from maillon.purchasing import views

app_name = "purchasing"
urlpatterns = [
    path("", views.home, name="home"),
    path("budgets/", views.budgets, name="budgets"),
    path("budgets/fonds/<int:pk>/", views.fund_edit, name="fund"),
    path("fournisseurs/", views.suppliers, name="suppliers"),
    path("fournisseurs/nouveau/", views.supplier_edit, name="supplier_create"),
    path("fournisseurs/<int:pk>/", views.supplier_edit, name="supplier"),
    path("fournisseurs/<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path(
        "fournisseurs/<int:pk>/contacts/<int:contact_pk>/supprimer/",
        views.contact_remove,
        name="contact_remove",
    ),
]
