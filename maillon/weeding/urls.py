from django.urls import path

from maillon.weeding import views

app_name = "weeding"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("criteres/", views.criteria, name="criteria"),
    path("criteres/nouveau/", views.criterion_edit, name="criterion_create"),
    path("criteres/<int:pk>/", views.criterion_edit, name="criterion_edit"),
    path("offerts/", views.offered, name="offered"),
    path("offerts/<int:pk>/demander/", views.claim, name="claim"),
    path("deliberation/<str:code>/", views.deliberation, name="deliberation"),
    path("<int:pk>/", views.campaign_detail, name="campaign"),
    path("<int:pk>/scan/", views.scan, name="scan"),
    path("<int:pk>/decision/<int:candidate_pk>/", views.decide, name="decide"),
    path("<int:pk>/confirmer/", views.confirm, name="confirm"),
    path("<int:pk>/proces-verbal.<str:fmt>", views.pv_document, name="pv"),
]
