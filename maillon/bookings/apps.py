from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "maillon.bookings"
    label = "bookings"
    verbose_name = _("Animation resources")

    def ready(self) -> None:
        from maillon.bookings import today
        from maillon.core import usage

        usage.register("today_counts", today.today_counts)
