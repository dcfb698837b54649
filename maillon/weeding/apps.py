from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WeedingConfig(AppConfig):
    name = "maillon.weeding"
    label = "weeding"
    verbose_name = _("Weeding")

    def ready(self) -> None:
        from maillon.core import usage
        from maillon.weeding import offers

        usage.register("transfer_received", offers.on_transfer_received)
