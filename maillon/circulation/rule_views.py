"""The loan rules and the network policy: read by every staff member, changed by the coordinator.

The page answers the two questions a network asks of its rules: what does each library lend,
to whom, for how long (the grid), and why does this loan get these conditions (the question
form, the desk's "which rule?" for any case).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillon.audit.display import last_lines
from maillon.catalogue.models import ItemType
from maillon.circulation import configuration
from maillon.circulation.errors import CirculationError
from maillon.circulation.forms import LoanRuleForm, NetworkPolicyForm, RuleQuestionForm
from maillon.circulation.models import LoanRule
from maillon.circulation.rules import RuleBook, explain_rule, policy
from maillon.core.decorators import staff_required
from maillon.core.exports import table_response
from maillon.network.current import current_library
from maillon.network.models import Library
from maillon.network.permissions import Action, can, require
from maillon.patrons.models import PatronCategory


def _sorted_rules(book: RuleBook) -> list[LoanRule]:
    """Most specific first, then by names: the order in which they win."""

    def key(rule: LoanRule) -> tuple:
        names = [
            rule.library.name if rule.library else "",
            rule.patron_category.name if rule.patron_category else "",
            rule.item_type.name if rule.item_type else "",
        ]
        return (-rule.specificity, *[name.casefold() for name in names])

    return sorted(book.rules, key=key)


def _grid(book: RuleBook, library: Library) -> dict:
    """The rule of every (item type × patron category) at `library`: a row per item type (the
    longer list), a column per category offered."""
    categories = list(PatronCategory.objects.filter(is_active=True))
    rows = [
        (
            item_type,
            [(category, book.rule_for(library, category, item_type)) for category in categories],
        )
        for item_type in ItemType.objects.all()
    ]
    return {"grid_library": library, "grid_categories": categories, "grid_rows": rows}


@staff_required
def rules_page(request: HttpRequest) -> HttpResponse:
    book = RuleBook(with_names=True)
    libraries = list(Library.objects.filter(is_active=True))
    here = current_library(request)
    wanted = request.GET.get("grille") or (here.code if here else "")
    grid_library = next(
        (lib for lib in libraries if lib.code == wanted), libraries[0] if libraries else None
    )
    rules = _sorted_rules(book)
    changes = last_lines(rules)
    for rule in rules:
        rule.last_change = changes.get(rule.pk)  # type: ignore[attr-defined]
    network_policy = policy()
    network_policy.last_change = last_lines([network_policy]).get(network_policy.pk)  # type: ignore[attr-defined]
    context = {
        "rules": rules,
        "policy": network_policy,
        "libraries": libraries,
        "can_administer": can(request.user, Action.ADMINISTER),
    }
    if grid_library is not None:
        context.update(_grid(book, grid_library))
    question = RuleQuestionForm(request.GET if "categorie" in request.GET else None)
    context["question"] = question
    if question.is_bound and question.is_valid():
        data = question.cleaned_data
        context["explanation"] = explain_rule(data["bibliotheque"], data["categorie"], data["type"])
    return render(request, "circulation/rules.html", context)


@staff_required
def rules_export(request: HttpRequest, fmt: str = "csv") -> HttpResponseBase:
    """Every rule, for a spreadsheet."""
    header: list[object] = [
        _("Library"),
        _("Patron category"),
        _("Item type"),
        _("Loan days"),
        _("Renewals"),
        _("Maximum loans"),
        _("Holds allowed"),
        _("Days on the hold shelf"),
        _("May travel"),
        _("Note"),
    ]
    yes_no = {True: _("yes"), False: _("no")}
    rows = [
        [
            *rule.scope_labels(),
            rule.loan_days,
            rule.renewals,
            rule.max_loans,
            yes_no[rule.holds_allowed],
            rule.hold_shelf_days,
            yes_no[rule.may_travel],
            rule.note,
        ]
        for rule in _sorted_rules(RuleBook(with_names=True))
    ]
    return table_response(fmt, "regles-de-pret", [header, *rows], title=_("Loan rules"))


@staff_required
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(request.user, Action.ADMINISTER)
    rule = get_object_or_404(LoanRule, pk=pk) if pk else None
    initial = {}
    if rule is None:
        # "Add a rule like this one": the grid's and the question's links fill the scope in.
        for field, param, model in (
            ("library", "bibliotheque", Library),
            ("patron_category", "categorie", PatronCategory),
            ("item_type", "type", ItemType),
        ):
            if code := request.GET.get(param):
                initial[field] = model.objects.filter(code=code).first()
    form = LoanRuleForm(request.POST or None, instance=rule, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = configuration.save_rule(request.user, form.save(commit=False))
        except CirculationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Rule saved: %(scope)s. It applies to loans made from now on.")
                % {"scope": saved},
            )
            return redirect(reverse("circulation:rules") + "#regles")
    return render(
        request,
        "circulation/rule_form.html",
        {"form": form, "rule": rule, "is_default": rule is not None and rule.is_default},
    )


@staff_required
@require_POST
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(LoanRule, pk=pk)
    scope = str(rule)
    try:
        configuration.delete_rule(request.user, rule)
    except CirculationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Rule deleted: %(scope)s.") % {"scope": scope})
    return redirect(reverse("circulation:rules") + "#regles")


@staff_required
def policy_edit(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.ADMINISTER)
    form = NetworkPolicyForm(request.POST or None, instance=policy())
    if request.method == "POST" and form.is_valid():
        try:
            configuration.update_policy(request.user, **form.cleaned_data)
        except CirculationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Network policy saved."))
            return redirect(reverse("circulation:rules") + "#reseau")
    return render(request, "circulation/policy_form.html", {"form": form})
