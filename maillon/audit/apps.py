from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "maillon.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        # Each app names its action codes in its own ``actions`` module (see labels.py).
        autodiscover_modules("actions")
