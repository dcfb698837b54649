from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "maillon.bookings"
    label = "bookings"
    verbose_name = _("Animation resources")

    def ready(self) -> None:
        from maillon.bookings import shuttle, today
        from maillon.core import usage

        usage.register("today_counts", today.today_counts)
        usage.register("shuttle_tools", shuttle.shuttle_tools)
