from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "maillon.programme"
    label = "programme"
    verbose_name = _("Cultural programme")

    def ready(self) -> None:
        from maillon.programme import usage

        usage.register()
