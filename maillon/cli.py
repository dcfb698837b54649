"""The `maillon` command: Django's management commands under one name, with plain errors."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "maillon"
    if len(argv) > 1:
        # Operators type `maillon import-marc`; Django's commands are named import_marc.
        argv[1] = argv[1].replace("-", "_") if not argv[1].startswith("-") else argv[1]
        if argv[1] == "demo":
            os.environ.setdefault("MAILLON_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillon.settings")

    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:
        sys.exit(f"maillon: configuration : {exc}")
    except OperationalError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        sys.exit(
            "maillon: la base de données est injoignable "
            f"({first_line}). Vérifiez MAILLON_DATABASE_URL "
            "(par défaut un fichier SQLite dans var/, ou postgres://utilisateur@hôte:5432/base)."
        )
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
