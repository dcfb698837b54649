import datetime as dt

from django.utils import timezone

TODAY = timezone.localdate()


def years_ago(years: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=int(365.25 * years) + 1)
