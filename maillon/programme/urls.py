from django.urls import path

from maillon.programme import (
    calendar_views,
    meeting_views,
    partner_views,
    programme_views,
    views,
)

app_name = "programme"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("nouvelle/", views.event_edit, name="create"),
    path("calendrier/", calendar_views.network_calendar, name="calendar"),
    path("calendrier/regles/", calendar_views.calendar_rules, name="calendar_rules"),
    path("calendrier/creux/", calendar_views.calendar_gaps, name="calendar_gaps"),
    path("saison/<str:code>/", calendar_views.season, name="season"),
    path("rencontres/", meeting_views.meeting_list, name="meetings"),
    path("rencontres/nouvelle/", meeting_views.meeting_create, name="meeting_create"),
    path("rencontres/coups-de-coeur/", meeting_views.picks, name="picks"),
    path(
        "rencontres/formations/<int:user_id>/",
        meeting_views.training_record,
        name="training_record",
    ),
    path("rencontres/<int:pk>/", meeting_views.meeting_detail, name="meeting"),
    path("rencontres/<int:pk>/reponse/", meeting_views.meeting_answer, name="meeting_answer"),
    path("rencontres/<int:pk>/inviter/", meeting_views.meeting_invite, name="meeting_invite"),
    path(
        "rencontres/<int:pk>/compte-rendu/", meeting_views.meeting_minutes, name="meeting_minutes"
    ),
    path(
        "rencontres/<int:pk>/presences/",
        meeting_views.meeting_attendance,
        name="meeting_attendance",
    ),
    path("rencontres/<int:pk>/livres/", meeting_views.meeting_book, name="meeting_book"),
    path("rencontres/livres/<int:pk>/selection/", meeting_views.pick_to_list, name="pick_to_list"),
    path(
        "rencontres/<int:pk>/compte-rendu/fichier/",
        meeting_views.minutes_file_upload,
        name="minutes_file_upload",
    ),
    path(
        "rencontres/<int:pk>/compte-rendu.fichier",
        meeting_views.minutes_file,
        name="minutes_file",
    ),
    path("partenaires/<int:pk>/", partner_views.partner_detail, name="partner"),
    path(
        "conventions/<int:pk>/document/",
        partner_views.convention_document,
        name="convention_document",
    ),
    path("accueils-de-classe/", partner_views.class_visits, name="class_visits"),
    path("accueils-de-classe/<int:pk>/", partner_views.visit_record, name="visit_record"),
    path("seances/<int:pk>/comptage/", partner_views.headcount, name="headcount"),
    path("chiffres/", partner_views.figures_page, name="figures"),
    path("programmes/", programme_views.programme_list, name="programmes"),
    path("programmes/nouveau/", programme_views.programme_edit, name="programme_create"),
    path("programmes/<slug:slug>/", programme_views.programme_detail, name="programme"),
    path("programmes/<slug:slug>/modifier/", programme_views.programme_edit, name="programme_edit"),
    path("<int:pk>/", views.event_detail, name="event"),
    path("reservation/<int:pk>/", views.booking_event, name="booking_event"),
    path("<int:pk>/modifier/", views.event_edit, name="edit"),
    path("<int:pk>/publier/", views.publish, name="publish"),
    path("<int:pk>/presences/", views.attendance, name="attendance"),
    path("<int:pk>/statut/", views.change_status, name="change_status"),
    path("<int:pk>/nouvelles-dates/", views.reschedule, name="reschedule"),
]
