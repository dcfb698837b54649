from django.urls import path

from maillon.sip2 import views

app_name = "sip2"

urlpatterns = [
    path("", views.terminal_list, name="list"),
    path("nouvel-automate/", views.terminal_create, name="create"),
    path("<int:pk>/", views.terminal_detail, name="detail"),
    path("<int:pk>/activer/", views.terminal_active, name="active"),
    path("<int:pk>/mot-de-passe/", views.terminal_password, name="password"),
    path("<int:pk>/deverrouiller/", views.terminal_unlock, name="unlock"),
]
