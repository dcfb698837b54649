from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RotationConfig(AppConfig):
    name = "maillon.rotation"
    label = "rotation"
    verbose_name = _("Circulation plans")

    def ready(self) -> None:
        from maillon.rotation import actions, usage  # noqa: F401  (registers labels and panels)

        usage.register()
