from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OaiConfig(AppConfig):
    name = "maillon.oai"
    label = "oai"
    verbose_name = _("OAI-PMH harvesting")

    def ready(self) -> None:
        from maillon.catalogue.records import holdings_changed
        from maillon.network.services import library_code_changed
        from maillon.oai.sets import on_holdings_changed, on_library_code_changed

        holdings_changed.connect(on_holdings_changed, dispatch_uid="maillon.oai.sets")
        library_code_changed.connect(on_library_code_changed, dispatch_uid="maillon.oai.sets")
