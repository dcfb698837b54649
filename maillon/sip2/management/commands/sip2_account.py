"""`maillon sip2-account LOGIN --library CODE`: create a terminal account (or give it a new
password) and print the password, once."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from maillon.network.models import Library
from maillon.sip2.accounts import TerminalError, issue_terminal


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
        try:
            _terminal, password = issue_terminal(options["login"], library)
        except TerminalError as error:
            raise CommandError(error.message) from None
        self.stderr.write(_("Keep this password now: it will not be shown again."))
        self.stdout.write(password)
