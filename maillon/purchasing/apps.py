from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasingConfig(AppConfig):
    name = "maillon.purchasing"
    label = "purchasing"
    verbose_name = _("Purchasing")

    def ready(self) -> None:
        from maillon.core import usage
        from maillon.purchasing.gaps import gap_action

        usage.register("core_gap_actions", gap_action)
