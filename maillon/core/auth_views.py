"""Staff login with throttling, password links sent after the answer, staff logout that leaves a
patron's login alone; the other account pages are Django's with our templates."""

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.mail import EmailMultiAlternatives
from django.http import HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillon.core.mail import send_after_response
from maillon.core.sessions import end_staff_login
from maillon.throttling import services as throttle


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
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if not (username and self.cleaned_data.get("password")):
            return super().clean()  # nothing to check, nothing to count
        keys = throttle.login_keys("user", username, self.request)
        locked_until = throttle.attempt(keys)
        if locked_until is not None:
            raise forms.ValidationError(throttle.wait_message(locked_until), code="locked")
        cleaned = super().clean()  # a wrong password raises: its attempt stays counted
        throttle.succeeded(keys)
        return cleaned


class DeferredPasswordResetForm(PasswordResetForm):
    """Django's form, keeping the messages in ``outgoing`` instead of sending them."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.outgoing: list[EmailMultiAlternatives] = []

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if html_email_template_name is not None:
            message.attach_alternative(
                render_to_string(html_email_template_name, context), "text/html"
            )
        self.outgoing.append(message)


class PasswordResetView(auth_views.PasswordResetView):
    """The same answer, in the same time, for a known address or not: links are sent once the
    page has answered. Requests are counted per address asked for and per client address
    (apart from logins, which they never lock)."""

    form_class = DeferredPasswordResetForm

    def form_valid(self, form: DeferredPasswordResetForm) -> HttpResponse:
        keys = throttle.link_keys("user", form.cleaned_data["email"], self.request)
        if throttle.attempt(keys) is not None:
            return HttpResponseRedirect(self.get_success_url())  # refused without a word
        response = super().form_valid(form)
        send_after_response(form.outgoing)
        return response


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
