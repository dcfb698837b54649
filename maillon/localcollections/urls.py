from django.urls import path

from maillon.localcollections import views

app_name = "localcollections"
urlpatterns = [
    path("", views.collection_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/ajouter/", views.add, name="add"),
    path("<int:pk>/retirer/<int:item_pk>/", views.remove, name="remove"),
]
