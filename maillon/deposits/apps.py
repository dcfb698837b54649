from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepositsConfig(AppConfig):
    name = "maillon.deposits"
    label = "deposits"
    verbose_name = _("MD deposits")

    def ready(self) -> None:
        from maillon.deposits import actions, usage  # noqa: F401  (registers labels and panels)

        usage.register()
