from django.contrib import messages
from django.contrib.auth import get_user_model
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillon.core.decorators import staff_required
from maillon.network import services
from maillon.network.accounts import send_password_link
from maillon.network.current import current_library, set_current_library, workplaces
from maillon.network.errors import NetworkError
from maillon.network.forms import (
    ClosureForm,
    LibraryForm,
    OpeningHoursFormSet,
    PartnerForm,
    RoleForm,
    StaffMemberForm,
)
from maillon.network.models import Library, Partner, StaffRole
from maillon.network.permissions import Action, can, libraries_for, require


def refused(form: BaseForm, error: NetworkError) -> None:
    """A service's refusal shown beside its field (or above the form)."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


@staff_required
def library_list(request: HttpRequest) -> HttpResponse:
    libraries = Library.objects.prefetch_related("opening_hours", "closures")
    return render(request, "network/library_list.html", {"libraries": libraries})


@staff_required
def library_detail(request: HttpRequest, code: str) -> HttpResponse:
    library = get_object_or_404(
        Library.objects.prefetch_related("opening_hours", "closures", "partners"), code=code
    )
    require(request.user, Action.VIEW, library)
    staff = StaffRole.objects.filter(library=library).select_related("user")
    return render(
        request,
        "network/library_detail.html",
        {
            "library": library,
            "staff": staff,
            "can_manage": can(request.user, Action.MANAGE, library),
            "sees_partners": can(request.user, Action.VIEW_PRIVATE, library),
            "closure_form": ClosureForm(),
        },
    )


@staff_required
def library_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.ADMINISTER)
    form = LibraryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            library = services.create_library(request.user, **form.cleaned_data)
        except NetworkError as error:
            refused(form, error)
        else:
            messages.success(request, _("Library %(name)s created.") % {"name": library.name})
            return redirect("library_detail", code=library.code)
    return render(request, "network/library_form.html", {"form": form, "library": None})


@staff_required
def library_edit(request: HttpRequest, code: str) -> HttpResponse:
    library = get_object_or_404(Library, code=code)
    require(request.user, Action.MANAGE, library)
    network_fields = can(request.user, Action.ADMINISTER, library)
    form = LibraryForm(request.POST or None, instance=library, network_fields=network_fields)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields}
        try:
            library = services.update_library(
                request.user, Library.objects.get(pk=library.pk), **fields
            )
        except NetworkError as error:
            refused(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("library_detail", code=library.code)
    return render(request, "network/library_form.html", {"form": form, "library": library})


@staff_required
def library_hours(request: HttpRequest, code: str) -> HttpResponse:
    library = get_object_or_404(Library, code=code)
    require(request.user, Action.MANAGE, library)
    formset = OpeningHoursFormSet(request.POST or None, queryset=library.opening_hours.all())
    if request.method == "POST" and formset.is_valid():
        spans = [
            (f.cleaned_data["weekday"], f.cleaned_data["opens"], f.cleaned_data["closes"])
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            services.set_opening_hours(request.user, library, spans)
        except NetworkError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Opening hours saved."))
            return redirect("library_detail", code=library.code)
    return render(request, "network/library_hours.html", {"library": library, "formset": formset})


@staff_required
@require_POST
def closure_add(request: HttpRequest, code: str) -> HttpResponse:
    library = get_object_or_404(Library, code=code)
    require(request.user, Action.MANAGE, library)
    form = ClosureForm(request.POST)
    if form.is_valid():
        try:
            services.add_closure(request.user, library, **form.cleaned_data)
        except NetworkError as error:
            refused(form, error)
        else:
            messages.success(request, _("Closure added."))
            return redirect("library_detail", code=library.code)
    return render(
        request,
        "network/library_detail.html",
        {
            "library": library,
            "can_manage": True,
            "sees_partners": True,
            "closure_form": form,
            "staff": StaffRole.objects.filter(library=library).select_related("user"),
        },
        status=400,
    )


@staff_required
@require_POST
def closure_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    library = get_object_or_404(Library, code=code)
    closure = get_object_or_404(library.closures, pk=pk)
    services.remove_closure(request.user, closure)
    messages.success(request, _("Closure removed."))
    return redirect("library_detail", code=library.code)


@staff_required
def partner_list(request: HttpRequest) -> HttpResponse:
    """The partners, with their contacts, of the libraries whose files the user reads."""
    readable = libraries_for(request.user, Action.VIEW_PRIVATE)
    partners = Partner.objects.filter(library__in=readable).select_related("library")
    library_code = request.GET.get("bibliotheque")
    if library_code:
        library = get_object_or_404(Library, code=library_code)
        require(request.user, Action.VIEW_PRIVATE, library)
        partners = partners.filter(library=library)
    return render(
        request,
        "network/partner_list.html",
        {
            "partners": partners,
            "libraries": readable,
            "managed": set(libraries_for(request.user, Action.MANAGE).values_list("pk", flat=True)),
            "selected": library_code,
            "can_add": libraries_for(request.user, Action.MANAGE).exists(),
        },
    )


@staff_required
def partner_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    partner = get_object_or_404(Partner, pk=pk) if pk else None
    if partner:
        require(request.user, Action.MANAGE, partner.library_id)
    allowed = libraries_for(request.user, Action.MANAGE)
    require(request.user, Action.MANAGE)
    initial = {}
    if partner is None and (here := current_library(request)) and allowed.filter(pk=here.pk):
        initial["library"] = here
    form = PartnerForm(request.POST or None, instance=partner, libraries=allowed, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.save_partner(request.user, form.save(commit=False))
        except NetworkError as error:
            refused(form, error)
        else:
            messages.success(request, _("Partner %(name)s saved.") % {"name": partner.name})
            return redirect("partner_list")
    return render(request, "network/partner_form.html", {"form": form, "partner": partner})


@staff_required
@require_POST
def partner_delete(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_object_or_404(Partner, pk=pk)
    services.delete_partner(request.user, partner)
    messages.success(request, _("Partner %(name)s deleted.") % {"name": partner.name})
    return redirect("partner_list")


@staff_required
def staff_list(request: HttpRequest) -> HttpResponse:
    roles = StaffRole.objects.select_related("user", "library").order_by(
        "user__last_name", "user__first_name", "library__name"
    )
    return render(
        request,
        "network/staff_list.html",
        {
            "roles": roles,
            "can_administer": can(request.user, Action.ADMINISTER),
        },
    )


@staff_required
def staff_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.ADMINISTER)
    form = StaffMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.create_staff_member(request.user, **form.cleaned_data)
        # The new colleague chooses a password from the link in this e-mail.
        send_password_link(
            user,
            request,
            subject_template="registration/welcome_subject.txt",
            body_template="registration/welcome_email.txt",
        )
        messages.success(
            request,
            _("Account created; %(email)s received a link to choose a password.")
            % {"email": user.email},
        )
        return redirect("staff_list")
    return render(request, "network/staff_form.html", {"form": form})


@staff_required
def staff_roles(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(get_user_model(), pk=user_id)
    require(request.user, Action.VIEW)
    form = RoleForm(request.POST or None)
    if request.method == "POST":
        if "revoke" in request.POST:
            staff_role = get_object_or_404(StaffRole, pk=request.POST["revoke"], user=person)
            services.revoke_role(request.user, staff_role)
            messages.success(request, _("Role removed."))
            return redirect("staff_roles", user_id=person.pk)
        if form.is_valid():
            services.grant_role(
                request.user, person, form.cleaned_data["library"], form.cleaned_data["role"]
            )
            messages.success(request, _("Role saved."))
            return redirect("staff_roles", user_id=person.pk)
    return render(
        request,
        "network/staff_roles.html",
        {
            "person": person,
            "roles": person.staff_roles.select_related("library"),
            "form": form,
            "can_administer": can(request.user, Action.ADMINISTER),
        },
    )


@staff_required
@require_POST
def switch_library(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("library")
    for library in workplaces(request.user):
        if str(library.pk) == wanted:
            set_current_library(request, library)
            messages.success(
                request, _("You now work %(at_library)s.") % {"at_library": library.at_name}
            )
            break
    else:
        messages.error(request, _("You hold no role at that library."))
    target = request.POST.get("next") or "home"
    if not target.startswith("/") or target.startswith("//"):
        target = "home"
    return redirect(target)
