from django.urls import path

from maillon.workshop import views

app_name = "workshop"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("envoyer/", views.send, name="send"),
    path("series/", views.create_batch, name="create_batch"),
    path("series/<int:pk>/", views.batch, name="batch"),
    path("series/<int:pk>/scan/", views.add, name="add"),
    path("series/<int:pk>/travail/<int:order_pk>/", views.work, name="work"),
    path("series/<int:pk>/cloturer/", views.close, name="close"),
    path("series/<int:pk>/envoyer/", views.send_batch, name="send_batch"),
    path("series/<int:pk>/etiquettes.pdf", views.labels, name="labels"),
    path("remplacements/", views.replacements, name="replacements"),
]
