from django.urls import path

from maillon.deposits import views

app_name = "deposits"
urlpatterns = [
    path("", views.deposit_list, name="list"),
    path("pertes.<str:fmt>", views.lost_export, name="lost"),
    path("niveaux/", views.levels, name="levels"),
    path("niveaux/quota/<int:pk>/retirer/", views.remove_quota, name="remove_quota"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/niveau/", views.change_level, name="level"),
    path("<int:pk>/seance/", views.new_session, name="new_session"),
    path("<int:pk>/renvoyer/", views.send_back, name="send_back"),
    path("<int:pk>/demande/", views.ask, name="ask"),
    path("demandes/<int:pk>/repondre/", views.answer, name="answer"),
    path("seances/<int:pk>/", views.session, name="session"),
    path("seances/<int:pk>/cloturer/", views.close, name="close"),
    path("seances/<int:pk>/<str:direction>/", views.scan, name="scan"),
]
