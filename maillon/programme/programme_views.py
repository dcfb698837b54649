"""Staff pages of festivals and programmes: the list, the coordinator's form, and one
programme with every library's events (the public page and the leaflet are the catalogue's)."""

from __future__ import annotations

from collections import defaultdict

from django import forms
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from maillon.core.decorators import staff_required
from maillon.network.models import Library, LibraryKind
from maillon.network.permissions import Action, can, libraries_for, require
from maillon.programme import access, programmes
from maillon.programme.models import Event, Programme
from maillon.programme.services import ProgrammeError


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = list(programmes.FIELDS)
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def _post_clean(self) -> None:
        pass  # the service checks the programme


@staff_required
def programme_list(request: HttpRequest) -> HttpResponse:
    listed = Programme.objects.annotate(
        n_events=Count("events", distinct=True),
        n_libraries=Count("events__library", distinct=True),
    )
    return render(
        request,
        "programme/programme_list.html",
        {"programmes": listed, "can_create": can(request.user, Action.ADMINISTER)},
    )


@staff_required
def programme_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    require(request.user, Action.ADMINISTER)
    programme = get_object_or_404(Programme, slug=slug) if slug else None
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in programmes.FIELDS}
        try:
            if programme:
                saved = programmes.update_programme(request.user, programme, **fields)
            else:
                saved = programmes.create_programme(request.user, **fields)
        except ProgrammeError as error:
            form.add_error(error.field, error.message)
        else:
            return redirect("programme:programme", slug=saved.slug)
    return render(request, "programme/programme_form.html", {"form": form, "programme": programme})


@staff_required
def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Who joined with what, and which libraries have not joined yet."""
    programme = get_object_or_404(Programme, slug=slug)
    viewable = access.viewable(request.user)
    events = (
        Event.objects.filter(programme=programme, library__in=viewable)
        .select_related("library", "kind")
        .prefetch_related("sessions")
        .order_by("library__name", "title")
    )
    by_library: dict[Library, list[Event]] = defaultdict(list)
    for event in events:
        by_library[event.library].append(event)
    absent = (
        Library.objects.filter(is_active=True)
        .exclude(kind=LibraryKind.DEPARTMENTAL)
        .exclude(pk__in=[lib.pk for lib in by_library])
    )
    return render(
        request,
        "programme/programme_detail.html",
        {
            "programme": programme,
            "by_library": sorted(by_library.items(), key=lambda pair: pair[0].name),
            "absent": absent,
            "can_edit": can(request.user, Action.ADMINISTER),
            "can_join": libraries_for(request.user, Action.MANAGE).exists(),
        },
    )
