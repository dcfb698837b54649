from django.urls import path

from maillon.bookings import calendars, views

app_name = "bookings"
urlpatterns = [
    path("", views.resource_list, name="list"),
    path("nouveau/", views.resource_new, name="new"),
    path("mes-reservations/", views.mine, name="mine"),
    path("demandes/", views.to_decide, name="decide"),
    path("documents/", views.documents_page, name="documents"),
    path("disponibles/", calendars.available, name="available"),
    path("calendrier/", calendars.owners_year, name="year"),
    path("calendrier/bibliotheque/", calendars.library_year, name="library_year"),
    path("ical/<str:token>.ics", calendars.ical, name="ical"),
    path("documents/<int:pk>/", views.document_file, name="document_file"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/modifier/", views.resource_edit, name="edit"),
    path("reservation/<int:pk>/<str:step>/", views.step, name="step"),
    path("<int:pk>/attendre/", views.wait, name="wait"),
    path("attente/<int:pk>/retirer/", views.unwait, name="unwait"),
]
