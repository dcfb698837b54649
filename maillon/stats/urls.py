from django.urls import path

from maillon.stats import views

app_name = "stats"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("rapport/", views.annual_index, name="annual_index"),
    path("rapport/<int:year>/", views.annual_overview, name="annual_overview"),
    path("rapport/<int:year>/<str:code>/", views.annual, name="annual"),
    path("rapport/<int:year>/<str:code>/<str:key>/", views.figure_rows, name="figure_rows"),
]
