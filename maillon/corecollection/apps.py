from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreCollectionConfig(AppConfig):
    name = "maillon.corecollection"
    label = "corecollection"
    verbose_name = _("Core collection")
