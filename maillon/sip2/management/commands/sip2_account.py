"""`maillon sip2-account LOGIN --library CODE`: create a terminal account (or give it a new
password) and print the password, once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from maillon.network.models import Library, Role, StaffRole
from maillon.sip2.models import Terminal


class Command(BaseCommand):
    help = _("Create a SIP2 terminal account, or give it a new password; prints the password.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("login")
        parser.add_argument("--library", required=True)

    def handle(self, *args, **options) -> None:
        library = Library.objects.filter(code=options["library"]).first()
        if library is None:
            raise CommandError(
                _("No library has the code %(code)s.") % {"code": options["library"]}
            )
        with transaction.atomic():
            terminal = Terminal.objects.filter(login=options["login"]).first()
            if terminal is None:
                user = get_user_model().objects.create_user(
                    username=f"sip2:{options['login']}"[:150], first_name="SIP2"
                )
                user.set_unusable_password()
                user.save()
                terminal = Terminal(login=options["login"], library=library, user=user)
            terminal.library = library
            StaffRole.objects.filter(user=terminal.user).delete()
            StaffRole.objects.create(user=terminal.user, library=library, role=Role.VOLUNTEER)
            password = terminal.set_password()
            terminal.save()
        self.stderr.write(_("Keep this password now: it will not be shown again."))
        self.stdout.write(password)
