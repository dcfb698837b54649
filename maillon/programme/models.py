"""The network's cultural programme: events (animations), their sessions and the rooms they use."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillon.network.models import Library, Partner


class EventKind(models.Model):
    """Story time, exhibition, author visit…: data, so a network adds its own."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kind of event")
        verbose_name_plural = _("kinds of event")

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    """A room inside a library; it hosts one event at a time."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveIntegerField(_("capacity"))

    class Meta:
        ordering = ["library__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["library", "name"], name="room_unique_name"),
        ]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self) -> str:
        return f"{self.name} ({self.library.name})"


class Audience(models.TextChoices):
    ALL = "all", _("everyone")
    BABIES = "babies", _("babies and toddlers (0–3)")
    CHILDREN = "children", _("children")
    TEENS = "teens", _("teenagers")
    ADULTS = "adults", _("adults")
    SENIORS = "seniors", _("seniors")
    FAMILIES = "families", _("families")
    SCHOOLS = "schools", _("school classes")
    PROFESSIONALS = "professionals", _("professionals")


class AttendanceMode(models.IntegerChoices):
    # OpenAgenda's numbers.
    ON_SITE = 1, _("on site")
    ONLINE = 2, _("online")
    MIXED = 3, _("on site and online")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    FULL = "full", _("full")
    POSTPONED = "postponed", _("postponed")
    RESCHEDULED = "rescheduled", _("rescheduled")
    CANCELLED = "cancelled", _("cancelled")


# Statuses in which people may still register (the waiting list when full).
OPEN_STATUSES = (EventStatus.PUBLISHED, EventStatus.FULL, EventStatus.RESCHEDULED)

PUBLIC_STATUSES = (
    EventStatus.PUBLISHED,
    EventStatus.FULL,
    EventStatus.POSTPONED,
    EventStatus.RESCHEDULED,
    EventStatus.CANCELLED,
)


class ProgrammeScope(models.TextChoices):
    NETWORK = "network", _("the network's")
    DEPARTEMENT = "departement", _("the département's")
    NATIONAL = "national", _("national")


class Programme(models.Model):
    """A festival or season gathering events (Mois du film documentaire, Nuits de la lecture…):
    the coordinator sets its dates; libraries join by adding their events to it."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    scope = models.CharField(
        _("run by"), max_length=20, choices=ProgrammeScope.choices, default=ProgrammeScope.NETWORK
    )
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="programme_ends_after",
            ),
        ]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name

    def contains(self, starts_at: dt.datetime, ends_at: dt.datetime) -> bool:
        start, end = timezone.localtime(starts_at).date(), timezone.localtime(ends_at).date()
        return self.starts_on <= start and end <= self.ends_on


class Event(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.ForeignKey(
        EventKind, on_delete=models.PROTECT, related_name="events", verbose_name=_("kind")
    )
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.ALL
    )
    age_min = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="events", verbose_name=_("library")
    )
    other_libraries = models.ManyToManyField(
        Library, blank=True, related_name="shared_events", verbose_name=_("also at")
    )
    attendance_mode = models.PositiveSmallIntegerField(
        _("attendance"), choices=AttendanceMode.choices, default=AttendanceMode.ON_SITE
    )
    online_link = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    registration_required = models.BooleanField(_("registration required"), default=False)
    price_note = models.CharField(
        _("price"), max_length=200, blank=True, help_text=_("Leave empty when it is free.")
    )
    hearing = models.BooleanField(
        _("accessible to people with a hearing impairment"), default=False
    )
    intellectual = models.BooleanField(
        _("accessible to people with an intellectual disability"), default=False
    )
    visual = models.BooleanField(_("accessible to people with a visual impairment"), default=False)
    psychic = models.BooleanField(
        _("accessible to people with a psychic disability"), default=False
    )
    motor = models.BooleanField(_("accessible to people with reduced mobility"), default=False)
    accessibility_notes = models.CharField(_("accessibility notes"), max_length=250, blank=True)
    partners = models.ManyToManyField(
        Partner, blank=True, related_name="events", verbose_name=_("partners")
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("festival or programme"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    # Why it was cancelled or postponed, shown on the public page and in the e-mails.
    status_note = models.CharField(_("reason given to the public"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_free(self) -> bool:
        return not self.price_note

    def accessibility(self) -> list[str]:
        fields = {f.name: f for f in Event._meta.fields}
        return [
            str(fields[flag].verbose_name)
            for flag in ("hearing", "intellectual", "visual", "psychic", "motor")
            if getattr(self, flag)
        ]


class Session(models.Model):
    """One date of an event: a single one, one of several, or one of a recurring series."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.ForeignKey(
        Room,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("room"),
    )

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at"]), models.Index(fields=["room", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after"
            ),
        ]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.event.title} — {self.starts_at:%Y-%m-%d %H:%M}"


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("registered")
    WAITING = "waiting", _("on the waiting list")
    CANCELLED = "cancelled", _("cancelled")


def _token() -> str:
    return secrets.token_urlsafe(24)


class Registration(models.Model):
    """A place (or several, for a family or a group) at an event: for the whole event, or for
    one of its sessions. A patron's, or a visitor's with a name and an e-mail or a phone."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="registrations"
    )
    patron = models.ForeignKey(
        "patrons.Patron", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("came"), null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["event", "status"])]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return f"{self.name} — {self.event.title}"


class CalendarRules(models.Model):
    """How the network calendar judges the programme (one row, set by the coordinator): which
    libraries are close enough for two events to compete, and how long a silence is a gap."""

    clash_km = models.PositiveSmallIntegerField(
        _("libraries this close compete (km)"),
        default=15,
        help_text=_("Two events for the same audience on the same day clash within this distance."),
    )
    gap_months = models.PositiveSmallIntegerField(
        _("months without an event that make a gap"), default=3
    )

    class Meta:
        verbose_name = _("calendar rules")
        verbose_name_plural = _("calendar rules")

    def __str__(self) -> str:
        return f"{self.clash_km} km, {self.gap_months}"

    @classmethod
    def current(cls) -> CalendarRules:
        return cls.objects.order_by("pk").first() or cls()


class MeetingKind(models.TextChoices):
    READING_COMMITTEE = "reading_committee", _("reading committee")
    TRAINING = "training", _("training")
    WORKING_GROUP = "working_group", _("working group")


class Meeting(models.Model):
    """A meeting of the network's librarians (rencontre inter-bibliothécaires): a reading
    committee, a training or a working group, with its invited staff and its minutes."""

    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("held at")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    agenda = models.TextField(_("agenda"), blank=True)
    trainer = models.CharField(_("trainer"), max_length=200, blank=True)
    hours = models.DecimalField(
        _("training hours"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: the length of the meeting."),
    )
    minutes = models.TextField(_("minutes"), blank=True)
    # The minutes as a document (PDF, ODT, DOCX), checked by committee.attach_minutes.
    minutes_file = models.FileField(
        _("minutes (file)"), upload_to="programme/minutes/%Y/", blank=True
    )
    minutes_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after"
            ),
        ]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.title

    @property
    def length_hours(self) -> float:
        """The hours it counts for: those given, else its length."""
        if self.hours is not None:
            return float(self.hours)
        return round((self.ends_at - self.starts_at).total_seconds() / 3600, 2)


class Response(models.TextChoices):
    INVITED = "invited", _("invited, no answer yet")
    COMING = "coming", _("coming")
    DECLINED = "declined", _("not coming")


class Participant(models.Model):
    """A staff member (employee or volunteer) invited to, or registered for, a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_places"
    )
    response = models.CharField(_("answer"), max_length=20, choices=Response.choices)
    invited = models.BooleanField(default=False)
    attended = models.BooleanField(_("came"), null=True, blank=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_place_per_meeting"),
        ]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return f"{self.user} — {self.meeting}"


class Verdict(models.TextChoices):
    PICK = "pick", _("pick (coup de cœur)")
    RECOMMENDED = "recommended", _("recommended")
    MIXED = "mixed", _("mixed")
    NOT_RECOMMENDED = "not_recommended", _("not recommended")


class CommitteeBook(models.Model):
    """A book read for a reading committee and the committee's verdict; picks make the
    network's list of picks (a purchase selection list, once acquisitions exist)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="books")
    title = models.CharField(_("title"), max_length=300)
    author = models.CharField(_("author"), max_length=200, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True)
    record = models.ForeignKey(
        "catalogue.Record", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    presented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("book read")
        verbose_name_plural = _("books read")

    def __str__(self) -> str:
        return self.title


class Convention(models.Model):
    """An agreement with a partner (a school, an EHPAD, a RAM…): its dates and the signed
    document, so the library knows what is in force."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="conventions", verbose_name=_("partner")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    document = models.FileField(_("signed document"), upload_to="conventions/%Y/", blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="convention_ends_after",
            ),
        ]
        verbose_name = _("convention")
        verbose_name_plural = _("conventions")

    def __str__(self) -> str:
        return self.title

    def in_force(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class ClassVisit(models.Model):
    """A class welcomed at the library (accueil de classe): scheduled like an event, never on the
    public agenda. Visits of one class through the school year share a `series` number."""

    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="class_visits", verbose_name=_("library")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="class_visits", verbose_name=_("school")
    )
    class_name = models.CharField(_("class"), max_length=60)
    teacher = models.CharField(_("teacher"), max_length=120)
    pupils = models.PositiveSmallIntegerField(_("pupils"))
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="class_visits"
    )
    series = models.PositiveIntegerField(null=True, blank=True, db_index=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    pupils_came = models.PositiveSmallIntegerField(_("pupils who came"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["library", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="visit_ends_after"
            ),
        ]
        verbose_name = _("class visit")
        verbose_name_plural = _("class visits")

    def __str__(self) -> str:
        return f"{self.class_name} — {self.partner.name}"


class Headcount(models.Model):
    """Who came to one session of an event without registration, by age band (the annual
    survey's bands); each session is counted once."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="headcount")
    age_0_5 = models.PositiveIntegerField(_("0–5 years"), default=0)
    age_6_11 = models.PositiveIntegerField(_("6–11 years"), default=0)
    age_12_17 = models.PositiveIntegerField(_("12–17 years"), default=0)
    adults = models.PositiveIntegerField(_("adults"), default=0)
    seniors = models.PositiveIntegerField(_("seniors"), default=0)

    BANDS = ("age_0_5", "age_6_11", "age_12_17", "adults", "seniors")

    class Meta:
        verbose_name = _("head count")
        verbose_name_plural = _("head counts")

    def __str__(self) -> str:
        return f"{self.session}: {self.total}"

    @property
    def total(self) -> int:
        return sum(getattr(self, band) for band in self.BANDS)

    @classmethod
    def label(cls, band: str) -> str:
        field = cls._meta.get_field(band)
        assert isinstance(field, models.Field)
        return str(field.verbose_name)


class EventResource(models.Model):
    """A booked animation resource (maillon.bookings) serving an event: an exhibition or a kit
    the event shows. A booking serves one event at most; the programme sits above bookings, so
    the link lives here."""

    booking = models.OneToOneField(
        "bookings.Booking",
        on_delete=models.CASCADE,
        related_name="programme_link",
        verbose_name=_("booking"),
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="booked_resources", verbose_name=_("event")
    )
    linked_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("booked resource of an event")
        verbose_name_plural = _("booked resources of events")

    def __str__(self) -> str:
        return f"{self.event} ← {self.booking}"
