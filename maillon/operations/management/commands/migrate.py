"""Django's migrate, followed by the cache table that login throttling relies on."""

from django.core.management import call_command
from django.core.management.commands.migrate import Command as DjangoMigrate


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        super().handle(*args, **options)
        call_command("createcachetable", database=options["database"], verbosity=0)
