"""Every change to a patron goes through these functions (staff pages, API, imports, demo).

Rules of access: anyone on the staff reads every patron (one card valid everywhere). A patron's
record is changed by those who may do desk work (CIRCULATE) at the patron's home library; a block
is put from a desk where the actor works, and lifted there or at the home library.
"""

import calendar
import datetime as dt
from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.core import usage
from maillon.core.errors import DomainError, Kind
from maillon.core.validation import first_error
from maillon.network.models import Library, Partner
from maillon.network.permissions import Action, can, require
from maillon.patrons.conf import (
    card_check,
    card_matches_pattern,
    check_digit_is_valid,
    normalize_card,
)
from maillon.patrons.folding import fold
from maillon.patrons.models import (
    BlockKind,
    Patron,
    PatronBlock,
    PatronCategory,
    ReceiptChoice,
    age_on,
)


class PatronError(DomainError):
    """A refused change to a patron's record; `candidates` are the possible duplicates found.
    Of kind INVALID (what was entered is wrong) unless said: a card taken or a probable
    duplicate is a CONFLICT."""

    default_kind = Kind.INVALID

    def __init__(
        self,
        code: str,
        message: str,
        *,
        field: str | None = None,
        candidates: list[Patron] | None = None,
        kind: Kind | None = None,
    ) -> None:
        super().__init__(code, message, field=field, kind=kind)
        self.candidates = candidates or []


# What register_patron and update_patron accept; the rest is computed or has its own service.
EDITABLE_FIELDS = frozenset(
    {
        "card_number",
        "surname",
        "first_name",
        "birth_date",
        "category",
        "email",
        "phone",
        "address",
        "postcode",
        "city",
        "email_notices",
        "newsletters",
        "keep_history",
        "receipt",
        "notes",
        "partner",
        "responsible_person",
    }
)


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day `months` later, or that month's last day (31 January + 1 → 28 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def find_probable_duplicates(
    surname: str, first_name: str, birth_date: dt.date | None, exclude: Patron | None = None
) -> list[Patron]:
    """Patrons with the same names (ignoring accents, case, hyphens) and birth date."""
    if birth_date is None:
        return []
    wanted = fold(f"{surname} {first_name}")
    # Few people share a birth date, so the index on it does the narrowing.
    same_day = Patron.objects.filter(birth_date=birth_date, search_name=wanted)
    if exclude is not None and exclude.pk:
        same_day = same_day.exclude(pk=exclude.pk)
    return list(same_day.select_related("home_library", "category"))


def find_patron_by_card(raw: str) -> Patron | None:
    card = normalize_card(raw)
    if not card:
        return None
    return (
        Patron.objects.select_related("home_library", "category").filter(card_number=card).first()
    )


@transaction.atomic
def register_patron(
    actor,
    library: Library,
    *,
    allow_duplicate: bool = False,
    registered_on: dt.date | None = None,
    **fields: Any,
) -> Patron:
    """Register a patron whose home library is `library`.

    Refuses a probable duplicate (code "probable_duplicate", with `candidates`) unless
    `allow_duplicate` says the desk checked it is someone else.
    """
    require(actor, Action.CIRCULATE, library)
    _check_keys(fields)
    registered_on = registered_on or timezone.localdate()
    patron = Patron(home_library=library, registered_on=registered_on, **fields)
    patron.card_number = normalize_card(patron.card_number)
    _check_card(patron.card_number)
    _check_person(patron, registered_on)
    if Patron.objects.filter(card_number=patron.card_number).exists():
        raise _card_taken(patron.card_number)
    if not allow_duplicate:
        candidates = find_probable_duplicates(patron.surname, patron.first_name, patron.birth_date)
        if candidates:
            raise PatronError(
                "probable_duplicate",
                _(
                    "A patron with the same names and birth date is already registered. "
                    "Check it is someone else before registering."
                ),
                candidates=candidates,
                kind=Kind.CONFLICT,
            )
    patron.expires_on = add_months(registered_on, patron.category.registration_months)
    _validate(patron)
    try:
        # The unique index settles a race the check above cannot see: two desks, one card.
        with transaction.atomic():
            patron.save()
    except IntegrityError as exc:
        if Patron.objects.filter(card_number=patron.card_number).exists():
            raise _card_taken(patron.card_number) from exc
        raise
    return patron


@transaction.atomic
def update_patron(
    actor, patron: Patron, *, home_library: Library | None = None, **fields: Any
) -> Patron:
    """Change a patron's details; moving them to another home library needs both libraries."""
    _check_keys(fields)
    patron = _locked(actor, patron)
    if "card_number" in fields:
        fields["card_number"] = normalize_card(fields["card_number"])
    changed = {name for name, value in fields.items() if getattr(patron, name) != value}
    if home_library is not None and home_library.pk != patron.home_library_id:
        require(actor, Action.CIRCULATE, home_library)
        patron.home_library = home_library
    for name in changed:
        setattr(patron, name, fields[name])
    if "card_number" in changed:
        _check_card(patron.card_number)
        if Patron.objects.filter(card_number=patron.card_number).exclude(pk=patron.pk).exists():
            raise _card_taken(patron.card_number)
    _check_person(patron, timezone.localdate(), changed)
    _validate(patron)
    try:
        with transaction.atomic():
            patron.save()
    except IntegrityError as exc:
        raise _card_taken(patron.card_number) from exc
    return patron


@transaction.atomic
def renew_patron(actor, patron: Patron, *, today: dt.date | None = None) -> Patron:
    """Extend the card by its category's length, from today or from the current expiry if later
    (renewing early loses nothing)."""
    patron = _locked(actor, patron)
    today = today or timezone.localdate()
    start = max(today, patron.expires_on)
    patron.expires_on = add_months(start, patron.category.registration_months)
    patron.save(update_fields=["expires_on", "updated_at"])
    return patron


@transaction.atomic
def block_patron(
    actor, patron: Patron, library: Library, kind: BlockKind | str, note: str = ""
) -> PatronBlock:
    """Block the patron from the desk of `library`, where the actor works."""
    require(actor, Action.CIRCULATE, library)
    if kind not in BlockKind.values:
        raise PatronError("block_kind_unknown", _("Choose a reason for the block."), field="kind")
    patron = Patron.objects.select_for_update().get(pk=patron.pk)
    if kind == BlockKind.OTHER and not note.strip():
        raise PatronError(
            "block_note_required", _("Say in the note why the patron is blocked."), field="note"
        )
    # The lock on the patron makes a double click create one block, not two.
    if patron.blocks.filter(kind=kind, lifted_at__isnull=True).exists():
        raise PatronError(
            "already_blocked", _("This patron is already blocked for this reason."), field="kind"
        )
    block = PatronBlock(
        patron=patron, kind=kind, note=note.strip(), library=library, created_by=actor
    )
    block.full_clean()
    block.save()
    return block


@transaction.atomic
def lift_block(actor, block: PatronBlock) -> PatronBlock:
    Patron.objects.select_for_update().get(pk=block.patron_id)
    block = PatronBlock.objects.select_related("patron").get(pk=block.pk)
    if not (
        can(actor, Action.CIRCULATE, block.library_id)
        or can(actor, Action.CIRCULATE, block.patron.home_library_id)
    ):
        require(actor, Action.CIRCULATE, block.library_id)  # raises with the usual message
    if block.lifted_at is not None:
        raise PatronError("block_already_lifted", _("This block has already been lifted."))
    block.lifted_at = timezone.now()
    block.lifted_by = actor
    block.save(update_fields=["lifted_at", "lifted_by"])
    return block


@transaction.atomic
def set_patron_password(actor, patron: Patron, raw_password: str | None) -> Patron:
    """Set the password of the patron's future public account; None closes the account."""
    patron = _locked(actor, patron)
    if raw_password is None:
        patron.password = make_password(None)
    else:
        try:
            password_validation.validate_password(raw_password, user=patron)  # type: ignore[arg-type]
        except ValidationError as exc:
            raise PatronError("password_weak", " ".join(exc.messages), field="password") from exc
        patron.password = make_password(raw_password)
    patron.save(update_fields=["password", "updated_at"])
    return patron


@transaction.atomic
def set_own_password(patron: Patron, raw_password: str) -> Patron:
    """The patron choosing their password themself (reset link, first password)."""
    patron = Patron.objects.select_for_update().get(pk=patron.pk)
    try:
        password_validation.validate_password(raw_password, user=patron)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise PatronError("password_weak", " ".join(exc.messages), field="password") from exc
    patron.password = make_password(raw_password)
    patron.save(update_fields=["password", "updated_at"])
    return patron


@transaction.atomic
def set_own_consents(
    patron: Patron,
    *,
    email_notices: bool,
    newsletters: bool,
    keep_history: bool,
    receipt: str | None = None,
) -> Patron:
    """The patron's choices from their account. Turning the history off erases nothing at
    once: the daily anonymisation removes the returned loans past the network's delay."""
    patron = Patron.objects.select_for_update().get(pk=patron.pk)
    patron.email_notices = bool(email_notices)
    patron.newsletters = bool(newsletters)
    patron.keep_history = bool(keep_history)
    if receipt in ReceiptChoice.values:
        patron.receipt = receipt
    patron.save(
        update_fields=["email_notices", "newsletters", "keep_history", "receipt", "updated_at"]
    )
    return patron


def _locked(actor, patron: Patron) -> Patron:
    """Lock the patron's row, then decide on what it holds now, not on what the page showed."""
    locked = Patron.objects.select_for_update().select_related("category").get(pk=patron.pk)
    require(actor, Action.CIRCULATE, locked.home_library_id)
    return locked


def _check_keys(fields: dict[str, Any]) -> None:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Unknown patron fields: {', '.join(sorted(unknown))}")


def _check_card(card: str) -> None:
    if not card:
        raise PatronError("card_missing", _("Enter the card number."), field="card_number")
    if not card_matches_pattern(card):
        raise PatronError(
            "card_invalid",
            _(
                "“%(card)s” is not a card number of this network: check the number or scan the "
                "card again."
            )
            % {"card": card},
            field="card_number",
        )
    if not check_digit_is_valid(card):
        raise PatronError(
            "card_check_digit",
            _(
                "The check digit of card “%(card)s” is wrong (%(scheme)s): the number was "
                "probably mistyped."
            )
            % {"card": card, "scheme": card_check()},
            field="card_number",
        )


def _card_taken(card: str) -> PatronError:
    return PatronError(
        "card_taken",
        _("Card “%(card)s” already belongs to another patron.") % {"card": card},
        field="card_number",
        kind=Kind.CONFLICT,
    )


def _check_person(patron: Patron, day: dt.date, changed: set[str] | None = None) -> None:
    """The rules tying category, partner and birth date together.

    `changed` names the fields an update touches (None: a new patron, everything is checked);
    an existing patron keeps a category that has since closed or that they have outgrown.
    """
    if patron.category_id is None:
        raise PatronError("category_missing", _("Choose a category."), field="category")
    category: PatronCategory = patron.category
    partner: Partner | None = patron.partner
    patron.surname = (patron.surname or "").strip()
    patron.first_name = (patron.first_name or "").strip()
    if not patron.surname:
        raise PatronError("surname_missing", _("Enter the surname."), field="surname")
    if not category.is_active and (changed is None or "category" in changed):
        raise PatronError(
            "category_inactive", _("This category is no longer offered."), field="category"
        )
    if category.is_collective:
        if partner is None:
            raise PatronError(
                "partner_required",
                _("A collective borrower is registered for a partner institution: choose it."),
                field="partner",
            )
        return
    if partner is not None:
        raise PatronError(
            "partner_not_collective",
            _(
                "Only a collective borrower is linked to a partner institution; choose a "
                "collective category or remove the partner."
            ),
            field="partner",
        )
    if patron.birth_date is None:
        raise PatronError("birth_date_required", _("Enter the birth date."), field="birth_date")
    if patron.birth_date > day:
        raise PatronError(
            "birth_date_future", _("The birth date is in the future."), field="birth_date"
        )
    age = age_on(patron.birth_date, day)
    age_checked = changed is None or bool({"category", "birth_date"} & changed)
    if age_checked and not category.accepts_age(age):
        raise PatronError(
            "age_outside_category",
            _("At %(age)s, the patron cannot be registered as “%(category)s”.")
            % {"age": age, "category": category.name},
            field="category",
        )


def _validate(patron: Patron) -> None:
    """Field-level checks (e-mail syntax, lengths) as a PatronError the form can place."""
    try:
        patron.full_clean(exclude=["card_number", "password", "search_name"], validate_unique=False)
    except ValidationError as exc:
        field, message = first_error(exc)
        raise PatronError("invalid", message, field=field) from exc


# Patron categories: the network's shared settings, changed by a coordinator only. There is no
# delete (patrons refer to a category with PROTECT): un-ticking "offered" retires one.


@transaction.atomic
def save_category(actor, category: PatronCategory) -> PatronCategory:
    """Create or update a patron category (ADMINISTER). Refusal codes: code_invalid,
    code_taken, category_code_in_use, age_range, registration_length, invalid."""
    require(actor, Action.ADMINISTER)
    category.code = (category.code or "").strip()
    category.name = (category.name or "").strip()
    if category.pk:
        # Decide on the row as it is now, not as the page showed it.
        previous = PatronCategory.objects.select_for_update().get(pk=category.pk)
        if previous.code != category.code and category_code_in_use(previous):
            raise PatronError(
                "category_code_in_use",
                _(
                    "The code %(code)s is already held by patrons or kept in the loan "
                    "statistics: it cannot change. Change the name instead, or create a new "
                    "category and stop offering this one."
                )
                % {"code": previous.code},
                field="code",
            )
    # The CheckConstraints would only say "Constraint … is violated": say it for people first.
    if (
        category.min_age is not None
        and category.max_age is not None
        and category.min_age > category.max_age
    ):
        raise PatronError(
            "age_range", _("The maximum age cannot be lower than the minimum age."), field="max_age"
        )
    if category.registration_months is not None and category.registration_months < 1:
        raise PatronError(
            "registration_length",
            _("A registration lasts at least one month."),
            field="registration_months",
        )
    try:
        category.full_clean(validate_unique=False)
    except ValidationError as exc:
        field, message = first_error(exc)
        raise PatronError(
            "code_invalid" if field == "code" else "invalid", message, field=field
        ) from exc
    # The API and statistics compare codes without regard to case.
    taken = PatronCategory.objects.filter(code__iexact=category.code).exclude(pk=category.pk)
    if taken.exists():
        raise _category_code_taken(category.code)
    try:
        # The unique index settles two coordinators creating the same code at once.
        with transaction.atomic():
            category.save()
    except IntegrityError as exc:
        raise _category_code_taken(category.code) from exc
    return category


def category_code_in_use(category: PatronCategory) -> bool:
    """Does anything know the category by its code? Patrons (the API registers and shows
    them by category code) and loans and holds, whose statistics keep the code after
    anonymisation: a new code would split one category's figures in two."""
    if category.patrons.exists():
        return True
    # History (circulation's, through core.usage) is scanned only when no patron holds the
    # category (rare, and a big table).
    return any(usage.answers("category_code_in_use", category))


def _category_code_taken(code: str) -> PatronError:
    return PatronError(
        "code_taken",
        _("The code %(code)s is already used by another category.") % {"code": code},
        field="code",
    )
