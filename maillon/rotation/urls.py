from django.urls import path

from maillon.rotation import rota_views, views

app_name = "rotation"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("nouveau/", views.plan_form, name="new"),
    path("capacites/", views.capacities, name="capacities"),
    path("propositions/", views.proposal_list, name="proposals"),
    path("propositions/envoyer/", views.proposal_send, name="proposal_send"),
    path("propositions/lot/", views.proposal_lot, name="proposal_lot"),
    path("rotations/", rota_views.rota_list, name="rotas"),
    path("rotations/<int:pk>/", rota_views.rota_detail, name="rota"),
    path("navette/", views.shuttle_runs, name="runs"),
    path("navette/<str:day>/", views.run_sheet, name="run"),
    path("navette/<str:day>/feuille.pdf", views.run_sheet_pdf, name="run_pdf"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/modifier/", views.plan_form, name="edit"),
    path("<int:pk>/generer/", views.generate, name="generate"),
    path("<int:pk>/echanger/", views.swap, name="swap"),
    path("<int:pk>/publier/", views.publish, name="publish"),
    path("<int:pk>/echange/<int:number>/envoyer/", views.run, name="run"),
    path("<int:pk>/echange/<int:number>/", views.exchange_board, name="board"),
    path("<int:pk>/grille.pdf", views.print_grid, name="print"),
    path("<int:pk>/grille-<str:code>.pdf", views.print_grid, name="print_library"),
    path("<int:pk>/grille.<str:fmt>", views.export, name="export"),
]
