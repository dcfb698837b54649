from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OaiConfig(AppConfig):
    name = "maillon.oai"
    label = "oai"
    verbose_name = _("OAI-PMH harvesting")
