from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SruConfig(AppConfig):
    name = "maillon.sru"
    label = "sru"
    verbose_name = _("SRU search")
