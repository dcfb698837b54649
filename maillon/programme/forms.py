from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillon.network.models import Library, Partner
from maillon.programme.models import Event, Room
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
