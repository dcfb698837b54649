"""Circulation plans' audit action codes and detail keys, with their labels (see maillon.audit)."""

from django.utils.translation import gettext_lazy as _

from maillon.audit.labels import LIBRARY, TEXT, register

register(
    {
        "rotation_plan_saved": _("Circulation plan saved"),
        "rotation_grid_generated": _("Exchange grid generated"),
        "rotation_cells_swapped": _("Two cells of the grid swapped"),
        "rotation_plan_published": _("Exchange grid published"),
        "rotation_exchange_run": _("Exchange date run"),
        "shuttle_sheet_set": _("Shuttle stops and limits set"),
        "rota_created": _("Rota created"),
        "rota_item_added": _("Item put on a rota"),
        "rota_item_removed": _("Item taken off a rota"),
    },
    details={
        "plan_name": (_("name"), TEXT),
        "grid_exchanges": (_("exchanges"), TEXT),
        "exchange_number": (_("exchange"), TEXT),
        "rules_broken": (_("rules broken"), TEXT),
        "swap_a": (_("library"), LIBRARY),
        "swap_b": (_("with"), LIBRARY),
        "lots_sent": (_("lots sent"), TEXT),
        "stop_order": (_("stop order"), TEXT),
        "run_limit": (_("most per run"), TEXT),
        "rota": (_("rota"), TEXT),
    },
)
