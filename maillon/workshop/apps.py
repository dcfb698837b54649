from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopConfig(AppConfig):
    name = "maillon.workshop"
    label = "workshop"
    verbose_name = _("Workshop")

    def ready(self) -> None:
        from maillon.core import usage
        from maillon.workshop import services

        usage.register("transfer_received", services.on_transfer_received)
