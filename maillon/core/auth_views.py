"""Staff login with throttling, staff logout that leaves a patron's login alone; the other
account pages are Django's with our templates."""

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillon.core import throttle
from maillon.core.sessions import end_staff_login


class ThrottledAuthenticationForm(AuthenticationForm):
    username = forms.CharField(
        label=gettext_lazy("Username"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy(
            "Wrong username or password. Both fields are case-sensitive."
        ),
        "locked": gettext_lazy(
            "Too many failed attempts. Wait a quarter of an hour or reset your password."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = throttle.client_address(self.request)
        if throttle.is_locked(username, address):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.record_failure(username, address)
            raise
        throttle.reset(username)
        return cleaned


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Staff login")
        return context


class LogoutView(auth_views.LogoutView):
    """Django's logout (POST only, ``user_logged_out``, redirect to ``LOGOUT_REDIRECT_URL`` or
    ``next``), ending only the staff login: a patron logged in on the public catalogue in the
    same browser stays logged in (see ``maillon.core.sessions``)."""

    def post(self, request, *args, **kwargs):
        # Django's LogoutView.post, with end_staff_login instead of auth.logout's flush.
        end_staff_login(request)
        redirect_to = self.get_success_url()
        if redirect_to != request.get_full_path():
            return HttpResponseRedirect(redirect_to)
        return super().get(request, *args, **kwargs)
