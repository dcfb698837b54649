from django.urls import path

from maillon.inventory import views

app_name = "inventory"
urlpatterns = [
    path("", views.inventory_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/scan/", views.scan, name="scan"),
    path("<int:pk>/fichier/", views.upload, name="upload"),
    path("<int:pk>/corriger/<int:item_pk>/", views.fix, name="fix"),
    path("<int:pk>/cloturer/", views.close, name="close"),
]
