"""The MARC editor's page: the whole record as text, checked, explained, saved."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from maillon.catalogue import services
from maillon.catalogue.marc import editor
from maillon.catalogue.marc.flavour import as_flavour
from maillon.catalogue.models import Record
from maillon.catalogue.records import marc_record
from maillon.core.decorators import staff_required
from maillon.network.permissions import Action, require


@staff_required
def marc_editor(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the record's lines. POST "check": the same page with its problems and the fixed
    fields explained, nothing saved. POST "save": saved when nothing is wrong."""
    require(request.user, Action.MANAGE)
    record = get_object_or_404(Record, pk=pk, merged_into=None)
    flavour = as_flavour(record.flavour or "unimarc")
    text = editor.to_text(marc_record(record))
    problems: list[editor.Problem] = []
    marc = marc_record(record)
    if request.method == "POST":
        text = request.POST.get("marc", "")
        marc, problems = editor.from_text(text, flavour)
        problems += editor.check(marc, flavour)
        if request.POST.get("action") == "save" and not problems:
            try:
                services.save_marc(request.user, record, marc)
            except services.CatalogueError as error:
                problems.append(editor.Problem(0, error.message))
            else:
                messages.success(request, _("Record saved."))
                return redirect("catalogue:record", pk=record.pk)
        elif not problems:
            messages.info(request, _("No problem found: the record can be saved."))
    return render(
        request,
        "catalogue/marc_editor.html",
        {
            "record": record,
            "flavour": flavour,
            "text": text,
            "rows": max(12, text.count("\n") + 3),
            "problems": problems,
            "explained": editor.explain(marc, flavour),
            "tag_names": editor.tag_names(marc, flavour),
        },
        status=422 if problems and request.method == "POST" else 200,
    )
