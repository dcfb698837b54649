"""The network: libraries, their hours and shuttle days, partners and staff roles."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

WEEKDAYS = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
]

code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9_-]{1,19}$",
    _("Use 2 to 20 capital letters, digits, dashes or underscores."),
)


class LibraryKind(models.TextChoices):
    HEAD = "head", _("head library")
    MEMBER = "member", _("member library")
    READING_POINT = "reading_point", _("reading point")
    DEPARTMENTAL = "departmental", _("departmental library")


class NameGrammar(models.TextChoices):
    """How French says the library's name in a sentence ("à la Médiathèque…", "au Point…")."""

    FEMININE = "f", _("feminine: la Médiathèque de…")
    MASCULINE = "m", _("masculine: le Point lecture de…")
    ELIDED = "l", _("before a vowel: l’Espace culturel…")
    PLURAL = "p", _("plural: les Bibliothèques de…")
    PROPER = "n", _("no article: Mediapolis…")


FRENCH_AT = {"f": "à la ", "m": "au ", "l": "à l’", "p": "aux ", "n": "à "}
FRENCH_OF = {"f": "de la ", "m": "du ", "l": "de l’", "p": "des ", "n": "de "}
MASCULINE_WORDS = {"point", "relais", "centre", "bibliobus", "dépôt", "depot", "pôle", "pole"}
VOWELS = set("aeiouyhàâäéèêëîïôöùûü")


def guess_grammar(name: str) -> str:
    """The likely answer for a name nobody described: "Espace…" elides, "Point…" is masculine,
    most library words (bibliothèque, médiathèque, ludothèque) are feminine."""
    first = (name.split() or [""])[0].lower()
    if first.endswith("s") and first[:-1] in {"bibliothèque", "médiathèque"}:
        return NameGrammar.PLURAL
    if first and first[0] in VOWELS:
        return NameGrammar.ELIDED
    return NameGrammar.MASCULINE if first in MASCULINE_WORDS else NameGrammar.FEMININE


def _french() -> bool:
    return (translation.get_language() or "fr").startswith("fr")


class Library(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    grammar = models.CharField(
        _("how the name is said"),
        max_length=1,
        choices=NameGrammar,
        blank=True,
        help_text=_("For sentences such as “à la Médiathèque…”; empty: guessed from the name."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LibraryKind.choices)
    commune = models.CharField(_("commune"), max_length=120)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # ISO weekday numbers (1 = Monday) on which the shuttle calls at this library.
    shuttle_days = models.JSONField(_("shuttle days"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # The network decides where patrons may collect holds; see __init__ for the default.
    is_pickup_point = models.BooleanField(
        _("pickup point"),
        default=True,
        help_text=_("Patrons may choose this library to pick up their reservations."),
    )

    class Meta:
        verbose_name = _("library")
        verbose_name_plural = _("libraries")
        ordering = ["name"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A new library not told otherwise takes holds unless it is the departmental library,
        # which serves libraries rather than readers. Rows loaded from the database come with
        # positional values and keep what is stored.
        if not args and "is_pickup_point" not in kwargs:
            self.is_pickup_point = self.kind != LibraryKind.DEPARTMENTAL

    def __str__(self) -> str:
        return self.name

    @property
    def name_grammar(self) -> str:
        return self.grammar or guess_grammar(self.name)

    @property
    def at_name(self) -> str:
        """ "à la Médiathèque de Parthenay", "au Point lecture de…"; in English "at …"."""
        if _french():
            return FRENCH_AT[self.name_grammar] + self.name
        return f"at {self.name}"

    @property
    def to_name(self) -> str:
        """Where something goes: "à la Médiathèque…"; in English "to …"."""
        if _french():
            return FRENCH_AT[self.name_grammar] + self.name
        return f"to {self.name}"

    @property
    def of_name(self) -> str:
        """ "de la Médiathèque…", "du Point lecture…"; in English "of …"."""
        if _french():
            return FRENCH_OF[self.name_grammar] + self.name
        return f"of {self.name}"

    def clean(self) -> None:
        if any(day not in range(1, 8) for day in self.shuttle_days or []):
            raise ValidationError({"shuttle_days": _("Weekdays go from 1 (Monday) to 7.")})
        self.shuttle_days = sorted(set(self.shuttle_days or []))

    @property
    def is_network_wide(self) -> bool:
        return self.kind in (LibraryKind.HEAD, LibraryKind.DEPARTMENTAL)

    def shuttle_day_names(self) -> list[str]:
        names = dict(WEEKDAYS)
        return [str(names[day]) for day in self.shuttle_days if day in names]

    def is_shuttle_day(self, day: dt.date) -> bool:
        return day.isoweekday() in (self.shuttle_days or [])

    def next_shuttle_day(self, after: dt.date) -> dt.date | None:
        """First shuttle day strictly after `after`, skipping closures."""
        if not self.shuttle_days:
            return None
        day = after
        for _i in range(366):
            day += dt.timedelta(days=1)
            if self.is_shuttle_day(day) and not self.is_closed_on(day):
                return day
        return None

    def hours_on(self, day: dt.date) -> list["OpeningHours"]:
        if self.is_closed_on(day):
            return []
        return [h for h in self.opening_hours.all() if h.weekday == day.isoweekday()]

    def is_closed_on(self, day: dt.date) -> bool:
        return any(c.start <= day <= c.end for c in self.closures.all())

    def is_open_on(self, day: dt.date) -> bool:
        return bool(self.hours_on(day))


class OpeningHours(models.Model):
    """One opening span on a weekday; a day may have several (morning and afternoon)."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=WEEKDAYS)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")),
                name="opening_hours_opens_before_closes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens and self.closes and self.opens >= self.closes:
            raise ValidationError(_("The closing time must come after the opening time."))


class Closure(models.Model):
    """An exceptional closure: holidays, inventory, works."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="closures")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lte=models.F("end")), name="closure_start_before_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start}–{self.end} {self.reason}"

    def clean(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise ValidationError(_("The closure must end on or after its first day."))


class PartnerKind(models.TextChoices):
    SCHOOL = "school", _("school")
    RETIREMENT_HOME = "retirement_home", _("retirement home (EHPAD)")
    CHILDCARE = "childcare", _("childminders' network (RAM/RPE)")
    PMI = "pmi", _("mother and child protection (PMI)")
    ASSOCIATION = "association", _("association")
    OTHER = "other", _("other")


class Partner(models.Model):
    library = models.ForeignKey(
        Library, on_delete=models.CASCADE, related_name="partners", verbose_name=_("library")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("network coordinator")
    MD_STAFF = "md_staff", _("departmental library staff")
    LIBRARIAN = "librarian", _("librarian")
    VOLUNTEER = "volunteer", _("volunteer")


class StaffRole(models.Model):
    """A person's role at one library; a person may hold roles at several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles"
    )
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "library"], name="one_role_per_library"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.library.code})"
