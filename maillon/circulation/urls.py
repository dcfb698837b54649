from django.urls import path

from maillon.circulation import desk_holds, views

app_name = "circulation"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("pret/", views.checkout_view, name="checkout"),
    path("prolonger/", views.renew_view, name="renew"),
    path("reservations/placer/", desk_holds.place_view, name="hold_place"),
    path("reservations/annuler/", desk_holds.cancel_view, name="hold_cancel"),
    path("reservations/suspendre/", desk_holds.suspend_view, name="hold_suspend"),
    path("reservations/reprendre/", desk_holds.resume_view, name="hold_resume"),
    path("retours/", views.checkin_page, name="checkin"),
    path("retours/scan/", views.checkin_view, name="checkin_scan"),
    path("fiche/transit/<int:pk>/", views.transfer_slip, name="transfer_slip"),
    path("fiche/reservation/<int:pk>/", views.hold_slip, name="hold_slip"),
    path("jour/", views.day_lists, name="day"),
    path("jour/envoyer/", views.send_view, name="send"),
    path("jour/transit/", desk_holds.transfer_view, name="transfer"),
    path("jour/prelevements.csv", views.pull_list_csv, name="pull_csv"),
]
