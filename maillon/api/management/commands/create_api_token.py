"""`maillon create-api-token USERNAME`: issue a token and print its key, once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from maillon.api.models import ApiToken
from maillon.network.permissions import is_staff_member


class Command(BaseCommand):
    help = _("Create an API token acting as a staff account; the key is shown only once.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help=_("What will use the token."))

    def handle(self, *args, **options) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(
                _("No account has the username %(name)s.") % {"name": options["username"]}
            )
        if not user.is_active or not is_staff_member(user):
            raise CommandError(
                _("%(name)s has no staff role: the token could do nothing.")
                % {"name": user.username}
            )
        _token, key = ApiToken.issue(user, options["name"])
        self.stderr.write(
            _("Token created for %(name)s. Keep this key now: it will not be shown again.")
            % {"name": user.username}
        )
        self.stdout.write(key)
