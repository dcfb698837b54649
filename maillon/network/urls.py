from django.urls import path

from maillon.network import views

urlpatterns = [
    path("bibliotheques/", views.library_list, name="library_list"),
    path("bibliotheques/nouvelle/", views.library_create, name="library_create"),
    path("bibliotheques/<str:code>/", views.library_detail, name="library_detail"),
    path("bibliotheques/<str:code>/modifier/", views.library_edit, name="library_edit"),
    path("bibliotheques/<str:code>/horaires/", views.library_hours, name="library_hours"),
    path("bibliotheques/<str:code>/fermetures/", views.closure_add, name="closure_add"),
    path(
        "bibliotheques/<str:code>/fermetures/<int:pk>/supprimer/",
        views.closure_remove,
        name="closure_remove",
    ),
    path("partenaires/", views.partner_list, name="partner_list"),
    path("partenaires/nouveau/", views.partner_edit, name="partner_create"),
    path("partenaires/<int:pk>/", views.partner_edit, name="partner_edit"),
    path("partenaires/<int:pk>/supprimer/", views.partner_delete, name="partner_delete"),
    path("personnel/", views.staff_list, name="staff_list"),
    path("personnel/nouveau/", views.staff_create, name="staff_create"),
    path("personnel/<int:user_id>/", views.staff_roles, name="staff_roles"),
    path("changer-de-bibliotheque/", views.switch_library, name="switch_library"),
]
