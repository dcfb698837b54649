from django.urls import path

from . import account_views, agenda_views, hold_views, login_views, suggestion_views, views

app_name = "opac"

urlpatterns = [
    path("", views.home, name="home"),
    path("recherche/", views.search_page, name="search"),
    path("notice/<int:pk>/", views.record_page, name="record"),
    path("notice/<int:pk>/reserver/", hold_views.reserve, name="reserve"),
    path("nouveautes/", views.new_arrivals_page, name="new"),
    path("bibliotheques/", views.library_list, name="libraries"),
    path("bibliotheques/<str:code>/", views.library_page, name="library"),
    path("agenda/", agenda_views.agenda, name="agenda"),
    path("agenda/<int:pk>/", agenda_views.event_page, name="event"),
    path("agenda/inscription/<str:token>/", agenda_views.registration_page, name="registration"),
    path(
        "agenda/inscription/<str:token>/annuler/",
        agenda_views.registration_page,
        name="registration_cancel",
    ),
    path("agenda.ics", agenda_views.ical, name="agenda_ics"),
    path("agenda/programmes/<slug:slug>/", agenda_views.programme_page, name="programme"),
    path(
        "agenda/programmes/<slug:slug>/depliant.pdf",
        agenda_views.programme_leaflet,
        name="programme_leaflet",
    ),
    path("agenda/openagenda.json", agenda_views.openagenda_export, name="agenda_openagenda"),
    path("bibliotheques/<str:code>/agenda.ics", agenda_views.ical, name="library_ics"),
    # The patron's account.
    path("compte/", account_views.account, name="account"),
    path("compte/connexion/", login_views.login, name="login"),
    path("compte/deconnexion/", login_views.logout, name="logout"),
    path("compte/mot-de-passe/", login_views.password_request, name="password_request"),
    path("compte/mot-de-passe/envoye/", login_views.password_sent, name="password_sent"),
    path(
        "compte/mot-de-passe/<str:uidb64>/<str:token>/",
        login_views.password_link,
        name="password_link",
    ),
    path("compte/prolonger/", account_views.renew, name="account_renew"),
    path("compte/reservations/<int:pk>/", account_views.hold_action, name="account_hold"),
    path("compte/historique/", account_views.history, name="account_history"),
    path("compte/coordonnees/", account_views.details, name="account_details"),
    path("compte/choix/", account_views.consents, name="account_consents"),
    path("compte/mes-donnees.json", account_views.export, name="account_export"),
    path("compte/suggestions/", suggestion_views.suggestion_page, name="account_suggestions"),
]
