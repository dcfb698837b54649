from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillon.network.models import Library, Partner
from maillon.programme import dates
from maillon.programme.models import Event, Room, Session
from maillon.programme.services import EVENT_FIELDS


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["library", *EVENT_FIELDS, "other_libraries", "partners"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "other_libraries": forms.CheckboxSelectMultiple,
            "partners": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, libraries=None, **kwargs):
        super().__init__(*args, **kwargs)
        if libraries is not None:
            self.fields["library"].queryset = libraries
        if self.instance.pk:
            del self.fields["library"]  # an event stays with the library that made it
        self.fields["other_libraries"].queryset = Library.objects.filter(is_active=True)
        self.fields["partners"].queryset = Partner.objects.select_related("library")

    def _post_clean(self) -> None:
        # The services check the event; the form only reads the fields.
        pass


class SessionForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}))
    weeks = forms.IntegerField(
        label=_("Every week, times"),
        min_value=1,
        max_value=52,
        initial=1,
        help_text=_("1 for a single session; more for a recurring series."),
    )
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none(), required=False)

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        libraries = [event.library_id, *event.other_libraries.values_list("pk", flat=True)]
        room = self.fields["room"]
        assert isinstance(room, forms.ModelChoiceField)
        room.queryset = Room.objects.filter(library__in=libraries).select_related("library")

    def spans(self) -> list[tuple[dt.datetime, dt.datetime]]:
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        start = dt.datetime.combine(data["day"], data["starts"], tzinfo=zone)
        end = dt.datetime.combine(data["day"], data["ends"], tzinfo=zone)
        return [
            (start + dt.timedelta(weeks=n), end + dt.timedelta(weeks=n))
            for n in range(data["weeks"])
        ]


class RescheduleForm(forms.Form):
    """A new day and hours for each date of the event, filled with the current ones."""

    reason = forms.CharField(label=_("Reason given to the public"), max_length=300, required=False)

    def __init__(self, *args, sessions: list[Session], **kwargs):
        super().__init__(*args, **kwargs)
        self.sessions = sessions
        for session in sessions:
            start = timezone.localtime(session.starts_at)
            end = timezone.localtime(session.ends_at)
            was = dates.span(session.starts_at, session.ends_at)
            self.fields[f"day_{session.pk}"] = forms.DateField(
                label=_("New day for: %(was)s") % {"was": was},
                initial=start.date(),
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            self.fields[f"starts_{session.pk}"] = forms.TimeField(
                label=_("From"),
                initial=start.time(),
                widget=forms.TimeInput(attrs={"type": "time"}),
            )
            # An exhibition over weeks ends on another day: its end keeps its length.
            self.fields[f"ends_{session.pk}"] = forms.TimeField(
                label=_("To"), initial=end.time(), widget=forms.TimeInput(attrs={"type": "time"})
            )
        self.order_fields([*(f for f in self.fields if f != "reason"), "reason"])

    def moves(self) -> dict[int, tuple[dt.datetime, dt.datetime]]:
        """Session id → new start and end, for the dates that change."""
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        moved = {}
        for session in self.sessions:
            start = dt.datetime.combine(
                data[f"day_{session.pk}"], data[f"starts_{session.pk}"], zone
            )
            days = (
                timezone.localtime(session.ends_at).date()
                - timezone.localtime(session.starts_at).date()
            ).days
            end_day = data[f"day_{session.pk}"] + dt.timedelta(days=days)
            end = dt.datetime.combine(end_day, data[f"ends_{session.pk}"], zone)
            if (start, end) != (session.starts_at, session.ends_at):
                moved[session.pk] = (start, end)
        return moved
