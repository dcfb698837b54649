from django.urls import path

from maillon.bookings import calendars, rule_views, views

app_name = "bookings"
urlpatterns = [
    path("", views.resource_list, name="list"),
    path("nouveau/", views.resource_new, name="new"),
    path("mes-reservations/", views.mine, name="mine"),
    path("demandes/", views.to_decide, name="decide"),
    path("scanner/", views.scan_page, name="scan"),
    path("documents/", views.documents_page, name="documents"),
    path("disponibles/", calendars.available, name="available"),
    path("calendrier/", calendars.owners_year, name="year"),
    path("calendrier/bibliotheque/", calendars.library_year, name="library_year"),
    path("regles/", rule_views.rules_page, name="rules"),
    path("regles/nouvelle/", rule_views.rule_edit, name="rule_new"),
    path("regles/<int:pk>/", rule_views.rule_edit, name="rule_edit"),
    path("regles/<int:pk>/supprimer/", rule_views.rule_delete, name="rule_delete"),
    path("saisons/nouvelle/", rule_views.limit_edit, name="limit_new"),
    path("saisons/<int:pk>/", rule_views.limit_edit, name="limit_edit"),
    path("saisons/<int:pk>/supprimer/", rule_views.limit_delete, name="limit_delete"),
    path("ical/<str:token>.ics", calendars.ical, name="ical"),
    path("documents/<int:pk>/", views.document_file, name="document_file"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/photos/", views.photo_add, name="photo_add"),
    path("<int:pk>/etiquettes/", views.resource_labels, name="labels"),
    path("photos/<int:pk>/", views.photo_file, name="photo"),
    path("photos/<int:pk>/vignette/<int:size>/", views.photo_thumbnail, name="photo_thumb"),
    path("photos/<int:pk>/supprimer/", views.photo_delete, name="photo_delete"),
    path("<int:pk>/modifier/", views.resource_edit, name="edit"),
    path("reservation/<int:pk>/", views.booking_page, name="booking"),
    path("sous-pret/<int:pk>/retirer/", views.subloan_withdraw, name="subloan_withdraw"),
    path("reservation/<int:pk>/<str:step>/", views.step, name="step"),
    path("<int:pk>/attendre/", views.wait, name="wait"),
    path("attente/<int:pk>/retirer/", views.unwait, name="unwait"),
]
