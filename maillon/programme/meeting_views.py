"""Staff pages of the librarians' meetings: the list, a meeting (answer, invite, minutes,
attendance, books read), the network's picks and a person's training record."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from maillon.core.decorators import staff_required
from maillon.core.exports import Row, table_response
from maillon.network.current import current_library
from maillon.network.models import Library, Role, StaffRole
from maillon.network.permissions import Action, can, libraries_for, require, roles_of
from maillon.programme import committee, meetings
from maillon.programme.models import CommitteeBook, Meeting, MeetingKind, Verdict
from maillon.programme.services import ProgrammeError
from maillon.purchasing.models import SelectionList


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    library = forms.ModelChoiceField(label=gettext_lazy("Held at"), queryset=Library.objects.none())
    day = forms.DateField(label=gettext_lazy("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(
        label=gettext_lazy("From"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    ends = forms.TimeField(label=gettext_lazy("To"), widget=forms.TimeInput(attrs={"type": "time"}))
    agenda = forms.CharField(
        label=gettext_lazy("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    trainer = forms.CharField(
        label=gettext_lazy("Trainer (for a training)"), max_length=200, required=False
    )
    hours = forms.DecimalField(
        label=gettext_lazy("Training hours"),
        required=False,
        max_digits=5,
        decimal_places=2,
        help_text=gettext_lazy("Empty: the length of the meeting."),
    )

    def __init__(self, *args, libraries, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["library"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = libraries

    def span(self) -> tuple[dt.datetime, dt.datetime]:
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        return (
            dt.datetime.combine(data["day"], data["starts"], tzinfo=zone),
            dt.datetime.combine(data["day"], data["ends"], tzinfo=zone),
        )


@staff_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    kind = request.GET.get("type", "")
    listed = Meeting.objects.select_related("library")
    if kind in MeetingKind.values:
        listed = listed.filter(kind=kind)
    return render(
        request,
        "programme/meeting_list.html",
        {
            "upcoming": listed.filter(ends_at__gte=now).order_by("starts_at"),
            "past": listed.filter(ends_at__lt=now).order_by("-starts_at")[:50],
            "mine": meetings.upcoming_for(request.user, now),
            "kinds": MeetingKind.choices,
            "kind": kind,
            "can_create": libraries_for(request.user, Action.MANAGE).exists(),
        },
    )


@staff_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    libraries = libraries_for(request.user, Action.MANAGE)
    form = MeetingForm(
        request.POST or None,
        libraries=libraries,
        initial={"library": current_library(request), "kind": request.GET.get("type", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts_at, ends_at = form.span()
        try:
            meeting = meetings.create_meeting(
                request.user,
                data["library"],
                kind=data["kind"],
                title=data["title"],
                starts_at=starts_at,
                ends_at=ends_at,
                agenda=data["agenda"],
                trainer=data["trainer"],
                hours=data["hours"],
            )
        except ProgrammeError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("programme:meeting", pk=meeting.pk)
    return render(request, "programme/meeting_form.html", {"form": form})


def _staff_by_library() -> list[tuple[str, list]]:
    """Staff to invite, grouped by library, volunteers included."""
    roles = (
        StaffRole.objects.filter(user__in=meetings.staff_users())
        .select_related("user", "library")
        .order_by("library__name", "user__last_name", "user__first_name")
    )
    groups: dict[str, list] = {}
    for role in roles:
        groups.setdefault(role.library.name, []).append(role)
    return list(groups.items())


@staff_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("library", "minutes_by"), pk=pk)
    manage = can(request.user, Action.MANAGE, meeting.library)
    participants = list(meeting.participants.select_related("user"))
    mine = next((p for p in participants if p.user_id == request.user.pk), None)
    books = list(meeting.books.select_related("presented_by", "record"))
    committee.mark_lists(books)
    return render(
        request,
        "programme/meeting_detail.html",
        {
            "meeting": meeting,
            "manage": manage,
            "participants": participants,
            "mine": mine,
            "over": meeting.ends_at <= timezone.now(),
            "staff": _staff_by_library() if manage else [],
            "invited_ids": {p.user_id for p in participants},
            "records_readable": _training_records_readable(
                request.user, [p.user_id for p in participants]
            ),
            "books": books,
            "open_lists": committee.open_lists() if can(request.user, Action.MANAGE) else [],
            "verdicts": Verdict.choices,
            "can_add_book": meeting.kind == MeetingKind.READING_COMMITTEE
            and (manage or mine is not None),
        },
    )


def _done(request: HttpRequest, meeting: Meeting, call, success: str) -> HttpResponse:
    try:
        call()
    except ProgrammeError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("programme:meeting", pk=meeting.pk)


@staff_required
@require_POST
def meeting_answer(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    coming = request.POST.get("coming") == "1"
    return _done(
        request,
        meeting,
        lambda: meetings.answer(request.user, meeting, coming),
        _("You are registered.") if coming else _("Your answer is saved: not coming."),
    )


@staff_required
@require_POST
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    ids = [int(v) for v in request.POST.getlist("users") if v.isdigit()]
    users = list(get_user_model().objects.filter(pk__in=ids))
    if not users:
        messages.error(request, _("Choose the people to invite."))
        return redirect("programme:meeting", pk=meeting.pk)

    def call() -> None:
        count = meetings.invite(request.user, meeting, users, request.build_absolute_uri("/"))
        messages.info(
            request,
            ngettext("%(count)d new invitation sent.", "%(count)d new invitations sent.", count)
            % {"count": count},
        )

    return _done(request, meeting, call, _("Invitations saved."))


@staff_required
@require_POST
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    text = request.POST.get("minutes", "")
    return _done(
        request,
        meeting,
        lambda: meetings.write_minutes(request.user, meeting, text),
        _("The minutes are saved."),
    )


@staff_required
@require_POST
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
    return _done(
        request,
        meeting,
        lambda: meetings.record_attendance(request.user, meeting, present),
        _("Attendance recorded."),
    )


@staff_required
@require_POST
def meeting_book(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    post = request.POST
    return _done(
        request,
        meeting,
        lambda: meetings.add_book(
            request.user,
            meeting,
            title=post.get("title", ""),
            author=post.get("author", ""),
            isbn=post.get("isbn", ""),
            verdict=post.get("verdict", ""),
            notes=post.get("notes", ""),
        ),
        _("The book is added."),
    )


@staff_required
def picks(request: HttpRequest) -> HttpResponseBase:
    """The network's picks from every reading committee; CSV or xlsx for the purchases."""
    books = meetings.picks()
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        rows: list[Row] = [
            [_("Title"), _("Author"), _("ISBN"), _("Committee"), _("Date"), _("Presented by")],
            *(
                [
                    b.title,
                    b.author,
                    b.isbn,
                    b.meeting.title,
                    timezone.localtime(b.meeting.starts_at).date(),
                    b.presented_by.get_full_name() if b.presented_by else "",
                ]
                for b in books
            ),
        ]
        return table_response(fmt, "coups-de-coeur", rows, title=_("Picks"))
    shown = list(books)
    committee.mark_lists(shown)
    return render(
        request,
        "programme/picks.html",
        {
            "books": shown,
            "open_lists": committee.open_lists() if can(request.user, Action.MANAGE) else [],
        },
    )


def _training_records_readable(reader, people: list[int]) -> set[int]:
    """Whose training records ``reader`` may open among ``people``: their own, those of the
    staff of a library they manage, and everyone's for a coordinator."""
    if can(reader, Action.ADMINISTER):
        return set(people)
    readable = {reader.pk} & set(people)
    for person, library in StaffRole.objects.filter(user_id__in=people).values_list(
        "user_id", "library_id"
    ):
        if can(reader, Action.MANAGE, library):
            readable.add(person)
    return readable


@staff_required
def training_record(request: HttpRequest, user_id: int) -> HttpResponse:
    """A staff member's (often a volunteer's) trainings and hours: theirs, their library's
    librarians' and the coordinator's to read."""
    person = get_object_or_404(get_user_model(), pk=user_id)
    if not _training_records_readable(request.user, [person.pk]):
        require(request.user, Action.ADMINISTER)
    trainings = meetings.trainings_of(person)
    return render(
        request,
        "programme/training_record.html",
        {
            "person": person,
            "trainings": trainings,
            "total": sum(m.length_hours for m in trainings),
            "volunteer": Role.VOLUNTEER in roles_of(person).values(),
        },
    )


@staff_required
@require_POST
def pick_to_list(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: the pick onto the chosen selection list, then back where the click was."""
    book = get_object_or_404(CommitteeBook.objects.select_related("meeting"), pk=pk)
    chosen = get_object_or_404(SelectionList, pk=request.POST.get("list"))
    try:
        committee.propose_pick(request.user, book, chosen)
    except ProgrammeError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("“%(title)s” proposed on the list “%(list)s”.")
            % {"title": book.title, "list": chosen.name},
        )
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("programme:meeting", pk=book.meeting_id)


@staff_required
@require_POST
def minutes_file_upload(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    file = request.FILES.get("minutes_file")
    if file is None:
        messages.error(request, _("Choose the file of the minutes."))
        return redirect("programme:meeting", pk=meeting.pk)
    return _done(
        request,
        meeting,
        lambda: committee.attach_minutes(request.user, meeting, file),
        _("The minutes are attached."),
    )


@staff_required
def minutes_file(request: HttpRequest, pk: int) -> FileResponse:
    """The attached minutes, for the network's staff (as the minutes written in place)."""
    meeting = get_object_or_404(Meeting, pk=pk)
    if not meeting.minutes_file:
        raise Http404
    name = meeting.minutes_file.name.rsplit("/", 1)[-1]
    return FileResponse(meeting.minutes_file.open("rb"), as_attachment=True, filename=name)
