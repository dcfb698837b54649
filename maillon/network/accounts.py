"""E-mail a staff member a link to choose their password."""

from django.contrib.auth.tokens import default_token_generator
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import send_mail
from django.template import loader
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def send_password_link(user, request, *, subject_template: str, body_template: str) -> None:
    site = get_current_site(request)
    context = {
        "username": user.get_username(),
        "domain": site.domain,
        "protocol": "https" if request.is_secure() else "http",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "user": user,
    }
    subject = "".join(loader.render_to_string(subject_template, context).splitlines())
    body = loader.render_to_string(body_template, context)
    send_mail(subject, body, None, [user.email])
