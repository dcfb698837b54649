from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CirculationConfig(AppConfig):
    name = "maillon.circulation"
    label = "circulation"
    verbose_name = _("Circulation")

    def ready(self) -> None:
        from maillon.circulation import usage

        usage.register()
