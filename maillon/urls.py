from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from maillon.core import auth_views as maillon_auth
from maillon.network.home_views import home

handler403 = "maillon.core.views.permission_denied"
handler404 = "maillon.opac.views.page_not_found"

account_patterns = [
    path("connexion/", maillon_auth.LoginView.as_view(), name="login"),
    path("deconnexion/", maillon_auth.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "mot-de-passe/fait/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "mot-de-passe-oublie/",
        maillon_auth.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "mot-de-passe-oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "nouveau-mot-de-passe/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "nouveau-mot-de-passe/fait/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

staff_patterns = [
    path("", home, name="home"),
    path("compte/", include(account_patterns)),
    path("reseau/", include("maillon.network.urls")),
    path("catalogue/", include("maillon.catalogue.urls")),
    path("usagers/", include("maillon.patrons.urls")),
    path("circulation/", include("maillon.circulation.urls")),
    path("pret-secouru/", include("maillon.offline.urls")),
    path("automates-sip2/", include("maillon.sip2.urls")),
    path("travaux/", include("maillon.jobs.urls")),
    path("desherbage/", include("maillon.weeding.urls")),
    path("recolement/", include("maillon.inventory.urls")),
    path("animations/", include("maillon.programme.urls")),
    path("lots/", include("maillon.lots.urls")),
    path("depots/", include("maillon.deposits.urls")),
    path("fonds-locaux/", include("maillon.localcollections.urls")),
    path("fonds-de-base/", include("maillon.corecollection.urls")),
    path("atelier/", include("maillon.workshop.urls")),
    path("outils-animation/", include("maillon.bookings.urls")),
    path("plans-de-circulation/", include("maillon.rotation.urls")),
    path("achats/", include("maillon.purchasing.urls")),
    path("statistiques/", include("maillon.stats.urls")),
]

urlpatterns = [
    path("", include("maillon.opac.urls")),
    path("pro/", include(staff_patterns)),
    path("api/v1/", include("maillon.api.urls")),
    path("oai", include("maillon.oai.urls")),
    path("sru", include("maillon.sru.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin's logout is a staff logout too: ours, so a patron's login survives it. It
    # redirects to LOGOUT_REDIRECT_URL like the admin's own (which never renders its page then).
    path("admin/logout/", maillon_auth.LogoutView.as_view()),
    path("admin/", admin.site.urls),
]
