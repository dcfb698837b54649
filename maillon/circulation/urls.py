from django.urls import path

from maillon.circulation import desk_holds, rule_views, views

app_name = "circulation"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("pret/", views.checkout_view, name="checkout"),
    path("pret/reprendre/", views.relend_view, name="relend"),
    path("prolonger/", views.renew_view, name="renew"),
    path("ticket/", views.receipt_view, name="receipt"),
    path("ticket/envoyer/", views.receipt_send_view, name="receipt_send"),
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
    path("jour/prelevements.csv", views.pull_list_export, name="pull_csv"),
    path("jour/prelevements.xlsx", views.pull_list_export, {"fmt": "xlsx"}, name="pull_xlsx"),
    path("regles/", rule_views.rules_page, name="rules"),
    path("regles/regles.csv", rule_views.rules_export, name="rules_csv"),
    path("regles/regles.xlsx", rule_views.rules_export, {"fmt": "xlsx"}, name="rules_xlsx"),
    path("regles/nouvelle/", rule_views.rule_edit, name="rule_create"),
    path("regles/<int:pk>/", rule_views.rule_edit, name="rule_edit"),
    path("regles/<int:pk>/supprimer/", rule_views.rule_delete, name="rule_delete"),
    path("regles/reseau/", rule_views.policy_edit, name="policy_edit"),
]
