"""Staff pages of the shared selection lists (thin: every change is a selection.* call)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillon.catalogue.models import Record
from maillon.catalogue.search import SearchQuery, search
from maillon.core.decorators import staff_required
from maillon.core.params import number
from maillon.network.current import current_library
from maillon.network.models import Library
from maillon.network.permissions import Action, can, require
from maillon.purchasing import selection, titles
from maillon.purchasing.forms import ByHandForm, IsbnForm, SelectionListForm, TitleTerms
from maillon.purchasing.models import (
    Commitment,
    Fund,
    SelectionList,
    SelectionTitle,
    Supplier,
    TitleSource,
)
from maillon.purchasing.services import PurchasingError
from maillon.purchasing.templatetags.purchasing import euros


@staff_required
def lists(request: HttpRequest) -> HttpResponse:
    form = SelectionListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = selection.create_list(
                request.user,
                form.cleaned_data["name"],
                form.cleaned_data["closes_on"],
                description=form.cleaned_data["description"],
            )
        except PurchasingError as error:
            form.add_error(error.field, error.message)
        else:
            return redirect("purchasing:selection", pk=created.pk)
    today = timezone.localdate()
    found = list(SelectionList.objects.all())
    for s in found:
        s.open = selection.is_open(s, today)  # type: ignore[attr-defined]
    return render(
        request,
        "purchasing/selection_lists.html",
        {"lists": found, "form": form if can(request.user, Action.ADMINISTER) else None},
    )


def _selection(pk: int) -> SelectionList:
    return get_object_or_404(SelectionList, pk=pk)


def _redirect(selection_pk: int, anchor: str = "") -> HttpResponse:
    url = reverse("purchasing:selection", args=[selection_pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


@staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = _selection(pk)
    library = current_library(request)
    q = request.GET.get("q", "").strip()
    hits = search(SearchQuery(q=q, per_page=10, facets=False)).hits if q else []
    found = selection.rows(chosen)
    is_open = selection.is_open(chosen)
    committing = is_open and selection.may_commit(request.user, library)
    years = {timezone.localdate().year, chosen.closes_on.year}
    funds = (
        list(Fund.objects.filter(library=library, year__in=years).order_by("-year", "name"))
        if committing and library
        else []
    )
    retry = {
        "title": request.GET.get("engagement", ""),
        "quantity": request.GET.get("quantite", ""),
        "fund": request.GET.get("fonds", ""),
    }
    coordinator = can(request.user, Action.ADMINISTER)
    csrf = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )
    return render(
        request,
        "purchasing/selection_detail.html",
        {
            "selection": chosen,
            "open": is_open,
            "rows": [
                _row_html(line, capping=coordinator and is_open, committing=committing, csrf=csrf)
                for line in _lines(
                    chosen,
                    found,
                    library,
                    funds,
                    retry,
                    withdrawing=coordinator and is_open,
                    csrf=csrf,
                )
            ],
            "library": library,
            "committing": committing,
            "funds": funds,
            "q": q,
            "hits": hits,
            "proposing": is_open and can(request.user, Action.MANAGE),
            "coordinator": coordinator,
            "terms": TitleTerms(),
            "isbn_form": IsbnForm(),
            "hand_form": ByHandForm() if request.GET.get("a_la_main") else None,
            "suppliers": Supplier.objects.filter(active=True)
            if can(request.user, Action.MANAGE)
            else [],
            "retry": retry,
        },
    )


@dataclass
class _Line:
    """A row of the list with what its cells show worked out once: 500 titles with their forms
    are a large page, and template lookups, URL reversing and number formatting per cell were
    most of its time."""

    row: selection.Row
    key: str
    record_url: str
    commit_url: str
    cap_url: str
    where: str
    mine: Commitment | None
    mine_withdraw_url: str
    quantity: str
    retry: bool
    options: SafeString
    commitments: SafeString


def _lines(
    chosen: SelectionList,
    found: list[selection.Row],
    library: Library | None,
    funds: list[Fund],
    retry: dict[str, str],
    *,
    withdrawing: bool,
    csrf: SafeString,
) -> list[_Line]:
    codes = dict(Library.objects.values_list("pk", "code"))

    def committed(row: selection.Row) -> SafeString:
        """ "AAA × 2, BBB × 1", each with its withdraw button for the coordinator."""
        if not row.commitments:
            return SafeString("—")
        return SafeString(
            ", ".join(
                format_html(
                    '{} × {} <form method="post" action="{}" class="inline">{}'
                    '<button type="submit" class="link" aria-label="{}">×</button></form>',
                    c.library.code,
                    c.quantity,
                    urls["withdraw"].format(c.pk),
                    csrf,
                    _("Withdraw the commitment of %(library)s") % {"library": c.library.name},
                )
                if withdrawing and not c.line_id
                else format_html("{} × {}", c.library.code, c.quantity)
                for c in row.commitments
            )
        )

    urls = {
        name: reverse(f"purchasing:{name}", args=[chosen.pk, 0]).replace("/0/", "/{}/")
        for name in ("commit", "cap", "withdraw")
    }
    record_url = reverse("catalogue:record", args=[0]).replace("/0/", "/{}/")
    options: dict[str, SafeString] = {}

    def fund_options(selected: str) -> SafeString:
        if selected not in options:
            options[selected] = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((f.pk, " selected" if str(f.pk) == selected else "", f.name) for f in funds),
            )
        return options[selected]

    lines: list[_Line] = []
    for row in found:
        key = str(row.title.pk)
        mine = row.of(library.pk if library else None)
        again = retry["title"] == key
        selected = retry["fund"] if again else str(mine.fund_id) if mine else ""
        lines.append(
            _Line(
                row=row,
                key=key,
                record_url=record_url.format(row.title.record_id),
                commit_url=urls["commit"].format(key),
                cap_url=urls["cap"].format(key),
                where=", ".join(
                    f"{codes[lib]} {n}"
                    for lib, n in sorted(row.network.held.items(), key=lambda x: codes[x[0]])
                ),
                mine=mine,
                mine_withdraw_url=urls["withdraw"].format(mine.pk) if mine else "",
                quantity=retry["quantity"] if again else str(mine.quantity) if mine else "",
                retry=again,
                options=fund_options(selected) if funds else SafeString(""),
                commitments=committed(row),
            )
        )
    return lines


def _terms(request: HttpRequest) -> dict:
    form = TitleTerms(request.POST)
    if not form.is_valid():
        raise PurchasingError(
            "terms_invalid",
            _("Check the price (e.g. 19,90) and the cap (a whole number of copies)."),
        )
    return {
        "public_price": form.cleaned_data["public_price"],
        "cap": form.cleaned_data["cap"],
        "note": form.cleaned_data["note"],
    }


@staff_required
@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    """A record of the union catalogue, found by the search box of the page."""
    chosen = _selection(pk)
    record = get_object_or_404(Record, pk=request.POST.get("record"))
    try:
        title = selection.propose(request.user, chosen, record, **_terms(request))
    except PurchasingError as error:
        messages.error(request, error.message)
        return _redirect(pk)
    messages.success(request, _("“%(title)s” proposed.") % {"title": record.title})
    return _redirect(pk, f"t{title.pk}")


@staff_required
def propose_isbn(request: HttpRequest, pk: int) -> HttpResponse:
    """By ISBN: the catalogue's record, else the BnF's; unknown to both, a form by hand."""
    chosen = _selection(pk)
    form = IsbnForm(request.POST or None)
    hand = None
    if request.method == "POST" and form.is_valid():
        require(request.user, Action.MANAGE)
        data = form.cleaned_data
        try:
            library = current_library(request)
            if library is None:
                raise PurchasingError("no_library", _("Choose the library you work at first."))
            record, from_bnf = titles.by_isbn(request.user, library, data["isbn"])
            title = selection.propose(
                request.user,
                chosen,
                record,
                public_price=data["public_price"],
                cap=data["cap"],
                note=data["note"],
                source=TitleSource.BNF if from_bnf else TitleSource.ISBN,
            )
        except PurchasingError as error:
            form.add_error("isbn" if error.field == "isbn" else None, error.message)
            if error.code in ("isbn_unknown", "bnf_unreachable"):
                hand = ByHandForm(initial=data)
        else:
            messages.success(request, _("“%(title)s” proposed.") % {"title": record.title})
            return _redirect(pk, f"t{title.pk}")
    return render(
        request,
        "purchasing/selection_add.html",
        {"selection": chosen, "isbn_form": form, "hand_form": hand},
    )


@staff_required
def propose_by_hand(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = _selection(pk)
    form = ByHandForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = titles.by_hand(
                request.user,
                title=data["title"],
                author=data["author"],
                isbn=data["isbn"],
                publisher=data["publisher"],
                year=data["year"],
            )
            title = selection.propose(
                request.user,
                chosen,
                record,
                public_price=data["public_price"],
                cap=data["cap"],
                note=data["note"],
                source=TitleSource.ISBN if data["isbn"] else TitleSource.CATALOGUE,
            )
        except PurchasingError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("“%(title)s” proposed.") % {"title": record.title})
            return _redirect(pk, f"t{title.pk}")
    return render(
        request,
        "purchasing/selection_add.html",
        {"selection": chosen, "isbn_form": IsbnForm(), "hand_form": form},
    )


@staff_required
@require_POST
def commit(request: HttpRequest, pk: int, title_pk: int) -> HttpResponse:
    title = get_object_or_404(
        SelectionTitle.objects.select_related("record"), pk=title_pk, selection_id=pk
    )
    library = current_library(request)
    if library is None:
        messages.error(request, _("Choose the library you work at first."))
        return _redirect(pk)
    fund = Fund.objects.filter(pk=number(request.POST, "fund")).first()
    try:
        if fund is None:
            raise PurchasingError(
                "fund_missing", _("Choose the fund the copies are bought from."), field="fund"
            )
        selection.commit(
            request.user,
            title,
            library,
            fund,
            request.POST.get("quantity", ""),
            overspent_reason=request.POST.get("overspent_reason", ""),
        )
    except PurchasingError as error:
        messages.error(request, f"{title.record.title} : {error.message}")
        url = reverse("purchasing:selection", args=[pk])
        query = (
            "?"
            + urlencode(
                {
                    "engagement": title.pk,
                    "quantite": request.POST.get("quantity", ""),
                    "fonds": fund.pk if fund else "",
                }
            )
            if error.code == "fund_overspent"
            else ""
        )
        return redirect(f"{url}{query}#t{title.pk}")
    messages.success(
        request, _("Commitment saved for “%(title)s”.") % {"title": title.record.title}
    )
    return _redirect(pk, f"t{title.pk}")


@staff_required
@require_POST
def withdraw(request: HttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment, pk=commitment_pk, title__selection_id=pk)
    try:
        selection.withdraw(request.user, commitment)
    except PurchasingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Commitment withdrawn."))
    return _redirect(pk, f"t{commitment.title_id}")


@staff_required
@require_POST
def cap(request: HttpRequest, pk: int, title_pk: int) -> HttpResponse:
    title = get_object_or_404(SelectionTitle, pk=title_pk, selection_id=pk)
    raw = request.POST.get("cap", "").strip()
    try:
        value = int(Decimal(raw)) if raw else None
    except InvalidOperation:
        messages.error(request, _("A cap is one copy or more (empty: no cap)."))
        return _redirect(pk, f"t{title.pk}")
    try:
        selection.set_cap(request.user, title, value)
    except PurchasingError as error:
        messages.error(request, error.message)
    return _redirect(pk, f"t{title.pk}")


@staff_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    selection.close_list(request.user, _selection(pk))
    messages.success(request, _("List closed: it takes no more commitments."))
    return _redirect(pk)


@staff_required
def coverage(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = _selection(pk)
    return render(
        request,
        "purchasing/coverage.html",
        {"selection": chosen, "coverage": selection.coverage(chosen)},
    )


def _row_html(line: _Line, *, capping: bool, committing: bool, csrf: SafeString) -> SafeString:
    """One title's row, written here rather than by the template: a list of 500 titles with
    their forms took the template most of the page's time."""
    row, record = line.row, line.row.title.record
    title = format_html('<a href="{}">{}</a>', line.record_url, record.title)
    if record.main_author:
        title += format_html(" — {}", record.main_author)
    for small in (record.isbn, row.title.note):
        if small:
            title += format_html("<br><small>{}</small>", small)
    held = str(row.network.held_total)
    if line.where:
        held += format_html(" <small>({})</small>", line.where)
    committed = line.commitments
    if row.title.cap:
        committed += format_html(
            "<br><small>{}</small>",
            _("cap %(cap)s, %(left)s left") % {"cap": row.title.cap, "left": row.left},
        )
    if capping:
        committed += format_html(
            '<form method="post" action="{}" class="inline">{}<label class="visually-hidden" '
            'for="cap{}">{}</label><input id="cap{}" name="cap" size="3" inputmode="numeric" '
            'value="{}"><button type="submit">{}</button></form>',
            line.cap_url,
            csrf,
            line.key,
            _("Copies for the network at most"),
            line.key,
            row.title.cap or "",
            _("Cap"),
        )
    cells = format_html(
        '<td>{}</td><td class="num">{}</td><td>{}</td><td class="num">{}</td>'
        '<td class="num">{}</td><td class="num">{}</td><td>{}</td>',
        title,
        euros(row.title.public_price),
        held,
        row.network.on_order_total,
        row.network.holds,
        row.network.loans,
        committed,
    )
    if committing:
        reason = (
            format_html(
                '<label for="r{}">{}</label><input id="r{}" name="overspent_reason" required>',
                line.key,
                _("Reason for overspending"),
                line.key,
            )
            if line.retry
            else ""
        )
        withdraw = (
            format_html(
                '<form method="post" action="{}" class="inline">{}<button type="submit" '
                'class="link">{}</button></form>',
                line.mine_withdraw_url,
                csrf,
                _("Withdraw"),
            )
            if line.mine
            else ""
        )
        cells += format_html(
            '<td><form method="post" action="{}" class="inline">{}<label class="visually-hidden"'
            ' for="q{}">{}</label><input id="q{}" name="quantity" size="3" inputmode="numeric" '
            'value="{}"><label class="visually-hidden" for="f{}">{}</label><select id="f{}" '
            'name="fund">{}</select>{}<button type="submit">{}</button></form>{}</td>',
            line.commit_url,
            csrf,
            line.key,
            _("Copies"),
            line.key,
            line.quantity,
            line.key,
            _("Fund"),
            line.key,
            line.options,
            reason,
            _("Commit"),
            withdraw,
        )
    return format_html('<tr id="t{}">{}</tr>', line.key, cells)
