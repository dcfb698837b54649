from django.urls import path

from maillon.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/etat/", views.job_state, name="state"),
    path("<int:pk>/relancer/", views.job_retry, name="retry"),
    path("<int:pk>/fichier/", views.job_file, name="file"),
]
