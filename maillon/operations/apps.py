from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running Maillon: the demo, serving, migrating and the background worker."""

    name = "maillon.operations"
    label = "operations"
    verbose_name = _("Operations")
