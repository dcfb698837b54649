from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WeedingConfig(AppConfig):
    name = "maillon.weeding"
    label = "weeding"
    verbose_name = _("Weeding")
