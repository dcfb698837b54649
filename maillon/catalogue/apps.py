from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "maillon.catalogue"
    label = "catalogue"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        from maillon.catalogue.records import on_library_code_changed
        from maillon.network.services import library_code_changed

        library_code_changed.connect(on_library_code_changed, dispatch_uid="maillon.catalogue")
