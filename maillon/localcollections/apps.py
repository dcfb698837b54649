from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocalCollectionsConfig(AppConfig):
    name = "maillon.localcollections"
    label = "localcollections"
    verbose_name = _("Local-specific collections")
