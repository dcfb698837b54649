"""The programme in the demo: a season of the network's animations, in the libraries' rooms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from maillon.bookings.models import Booking, BookingStatus
from maillon.network.models import Library, Partner
from maillon.programme import (
    booked,
    changes,
    committee,
    meetings,
    programmes,
    registrations,
    services,
)
from maillon.programme import partners as partners_module
from maillon.programme.models import (
    Audience,
    Event,
    EventKind,
    EventResource,
    Meeting,
    MeetingKind,
    Programme,
    ProgrammeScope,
    Registration,
    Room,
    Verdict,
)
from maillon.purchasing import selection
from maillon.purchasing.demo import LIST_NAME
from maillon.purchasing.models import SelectionList

ROOMS = [
    ("PAR", "Auditorium", 80),
    ("PAR", "Espace jeunesse", 25),
    ("SEC", "Salle d'animation", 30),
    ("MEN", "Salle de réunion", 15),
    ("THE", "Hall d'exposition", 40),
    ("MAZ", "Coin des enfants", 20),
]


def _next(today: dt.date, weekday: int, weeks: int = 0) -> dt.date:
    """The next `weekday` (0 = Monday) after today, `weeks` later."""
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 or 7, weeks=weeks)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def build_programme(today: dt.date) -> dict[str, int]:
    """Once: events already there are left as they are (a re-run keeps the user's work)."""
    if Event.objects.exists():
        return {}
    codes = {code for code, _n, _c in ROOMS} | {"SAC"}
    libraries = Library.objects.in_bulk(list(codes), field_name="code")
    actor = get_user_model().objects.filter(username="coordination").first()
    if actor is None or len(libraries) < len(codes):
        return {}
    rooms = {
        (code, name): Room.objects.get_or_create(
            library=libraries[code], name=name, defaults={"capacity": capacity}
        )[0]
        for code, name, capacity in ROOMS
    }
    kinds = EventKind.objects.in_bulk(field_name="code")
    partners = {p.name: p for p in Partner.objects.all()}

    def event(code, kind, title, spans, room=None, publish=True, partner_names=(), **fields):
        made = services.create_event(
            actor,
            libraries[code],
            kind=kinds[kind],
            title=title,
            partners=[partners[n] for n in partner_names if n in partners],
            **fields,
        )
        services.add_sessions(actor, made, spans, rooms[(code, room)] if room else None)
        if publish:
            services.publish(actor, made)
        return made

    saturday = _next(today, 5)
    wednesday = _next(today, 2)
    story = _at(saturday, 10, 30)
    story_time = event(
        "PAR",
        "story-time",
        "Heure du conte : histoires d'hiver",
        services.weekly(story, story + dt.timedelta(minutes=45), 8),
        room="Espace jeunesse",
        description="Des albums lus à voix haute pour les petites oreilles, "
        "suivis d'une comptine. Les parents restent avec leurs enfants.",
        audience=Audience.CHILDREN,
        age_min=3,
        age_max=6,
        capacity=20,
        registration_required=True,
        motor=True,
        partner_names=["Relais Petite Enfance de Gâtine"],
    )
    festivals = _festivals(actor, today)
    november = dt.date(today.year if today.month >= 11 else today.year - 1, 11, 14)
    documentary = event(
        "PAR",
        "screening",
        "Mois du film documentaire : « Les Glaneurs et la Glaneuse »",
        [(_at(november, 20), _at(november, 22, 15))],
        room="Auditorium",
        programme=festivals["doc"],
        description="Le film d'Agnès Varda (2000), suivi d'une discussion avec "
        "l'association Lire en Gâtine.",
        audience=Audience.ADULTS,
        capacity=80,
        hearing=True,
        motor=True,
        accessibility_notes="Version sous-titrée pour les personnes sourdes et malentendantes.",
        partner_names=["Association Lire en Gâtine"],
    )
    visit = _at(_next(today, 4, 2), 18, 30)
    author = event(
        "SEC",
        "author-visit",
        "Rencontre avec Lucie Marchal, autrice de romans jeunesse",
        [(visit, visit + dt.timedelta(hours=1, minutes=30))],
        room="Salle d'animation",
        description="L'autrice parle de ses romans pour les 9-12 ans, "
        "lecture d'extraits et dédicaces.",
        audience=Audience.FAMILIES,
        age_min=9,
        capacity=30,
        registration_required=True,
        motor=True,
        partner_names=["École Saint-Joseph"],
    )
    exhibition = _next(today, 1)
    event(
        "THE",
        "exhibition",
        "Exposition « Gâtine, paysages de bocage »",
        [(_at(exhibition, 10), _at(exhibition + dt.timedelta(weeks=3, days=4), 17))],
        room="Hall d'exposition",
        description="Photographies des haies et chemins creux de la Gâtine, prêtées "
        "par la médiathèque départementale.",
        audience=Audience.ALL,
        motor=True,
        visual=False,
    )
    games = _at(wednesday, 14)
    event(
        "MAZ",
        "game-session",
        "Après-midi jeux de société",
        services.weekly(games, games + dt.timedelta(hours=3), 4),
        audience=Audience.FAMILIES,
        description="Jeux coopératifs et de plateau pour toute la famille.",
    )
    nights = dt.date(today.year + (1 if today.month > 1 else 0), 1, 23)
    event(
        "PAR",
        "reading-club",
        "Nuits de la lecture : lectures à la lampe de poche",
        [(_at(nights, 19), _at(nights, 21))],
        room="Auditorium",
        programme=festivals["nights"],
        audience=Audience.FAMILIES,
        age_min=6,
        capacity=60,
        registration_required=True,
        price_note="",
    )
    _festival_events(event, festivals, november, nights)
    # The story time is full, two families wait; the author visit fills up.
    now = _at(today, 0)
    families = [
        ("Famille Girard", 2),
        ("Famille Benoît", 3),
        ("Famille Moreau", 2),
        ("Famille Chauvet", 1),
        ("Famille Texier", 2),
        ("Famille Pineau", 3),
        ("Famille Baudry", 2),
        ("Famille Lemaire", 2),
        ("Famille Roy", 3),
        ("Famille Marchand", 1),
        ("Famille Fabre", 2),
        ("Famille Aubry", 2),
    ]
    for name, places in families:
        registrations.register(
            story_time,
            name=name,
            email=f"{name.split()[-1].lower()}@example.org",
            places=places,
            now=now,
        )
    for name in ["Léa Rousseau", "Tom Guérin", "Inès Perrin", "Hugo Bonnet", "Emma Renaud"]:
        registrations.register(
            author, name=name, email=f"{name.split()[0].lower()}@example.org", now=now
        )
    # Saint-Aubin, 8 km from Parthenay, reads to children at the time of its story time: the
    # network calendar shows the clash.
    event(
        "SAC",
        "story-time",
        "Lectures d'albums au jardin",
        [(_at(saturday, 10), _at(saturday, 11))],
        audience=Audience.CHILDREN,
        age_min=3,
        age_max=7,
    )
    _cancelled_workshop(event, today, now)
    _meetings(actor, libraries, today, now)
    _class_visits(actor, libraries, partners, rooms, today)
    if november < today:  # the screening is over: who came, by age
        partners_module.record_headcount(
            actor, documentary.sessions.get(), {"adults": 46, "seniors": 21, "age_12_17": 4}
        )
    return {
        "events": Event.objects.count(),
        "rooms": len(rooms),
        "registrations": Registration.objects.count(),
    }


def _cancelled_workshop(event, today: dt.date, now: dt.datetime) -> None:
    """A writing workshop cancelled after people registered: its page and history show who was
    told by e-mail."""
    day = _at(_next(today, 5, 1), 14)
    workshop = event(
        "SEC",
        "workshop",
        "Atelier d'écriture : carnets de voyage",
        [(day, day + dt.timedelta(hours=2))],
        room="Salle d'animation",
        audience=Audience.ADULTS,
        capacity=12,
        registration_required=True,
        description="Écrire et illustrer un carnet de voyage avec l'autrice Claire Dumas.",
    )
    for name in ["Paul Gauthier", "Lucie Fontaine", "Marc Dupuis"]:
        registrations.register(
            workshop, name=name, email=f"{name.split()[0].lower()}@example.org", now=now
        )
    changes.cancel_event(
        workshop.created_by,
        workshop,
        reason="L'autrice est souffrante ; l'atelier sera reprogrammé au printemps.",
        now=now,
    )


def _festivals(actor, today: dt.date) -> dict[str, Programme]:
    """The national festivals the network joins, and the département's readers' prize, at
    their usual dates around the demo's day."""
    doc_year = today.year if today.month >= 11 else today.year - 1
    nights_year = today.year + (1 if today.month > 1 else 0)
    spring = today.year + (1 if today.month > 3 else 0)
    summer = today.year + (1 if today.month > 7 else 0)
    school = today.year if today.month >= 9 else today.year - 1
    wanted = {
        "doc": (
            "Mois du film documentaire",
            ProgrammeScope.NATIONAL,
            (doc_year, 11, 1),
            (doc_year, 11, 30),
            "Des documentaires projetés et discutés dans les bibliothèques du réseau, "
            "tout le mois de novembre.",
        ),
        "nights": (
            "Nuits de la lecture",
            ProgrammeScope.NATIONAL,
            (nights_year, 1, 21),
            (nights_year, 1, 24),
            "Quatre soirées pour lire autrement : à la lampe de poche, en pyjama, à voix haute.",
        ),
        "poets": (
            "Printemps des poètes",
            ProgrammeScope.NATIONAL,
            (spring, 3, 7),
            (spring, 3, 23),
            "Lectures, scènes ouvertes et ateliers d'écriture autour de la poésie.",
        ),
        "summer": (
            "Partir en livre",
            ProgrammeScope.NATIONAL,
            (summer, 6, 17),
            (summer, 7, 19),
            "La fête du livre pour la jeunesse : lectures en plein air tout l'été.",
        ),
        "prize": (
            "Prix des dévoreurs de livres",
            ProgrammeScope.DEPARTEMENT,
            (school, 10, 1),
            (school + 1, 5, 31),
            "Les classes lisent une sélection de romans et votent pour leur préféré.",
        ),
    }
    return {
        key: programmes.create_programme(
            actor,
            name=name,
            scope=scope,
            starts_on=dt.date(*start),
            ends_on=dt.date(*end),
            description=description,
        )
        for key, (name, scope, start, end, description) in wanted.items()
    }


def _festival_events(
    event, festivals: dict[str, Programme], november: dt.date, nights: dt.date
) -> None:
    """Libraries join the festivals with their own events."""
    doc = november + dt.timedelta(days=7)
    event(
        "MEN",
        "screening",
        "Mois du film documentaire : « Être et avoir »",
        [(_at(doc, 20), _at(doc, 22))],
        room="Salle de réunion",
        audience=Audience.ADULTS,
        capacity=15,
        registration_required=True,
        programme=festivals["doc"],
        description="Le film de Nicolas Philibert sur une classe unique, suivi d'un échange.",
    )
    event(
        "SEC",
        "story-time",
        "Nuits de la lecture : contes en pyjama",
        [(_at(nights - dt.timedelta(days=1), 19), _at(nights - dt.timedelta(days=1), 20, 30))],
        room="Salle d'animation",
        audience=Audience.CHILDREN,
        age_min=4,
        age_max=8,
        capacity=25,
        registration_required=True,
        programme=festivals["nights"],
    )
    event(
        "MAZ",
        "reading-club",
        "Nuits de la lecture : lectures à deux voix",
        [(_at(nights + dt.timedelta(days=1), 18), _at(nights + dt.timedelta(days=1), 20))],
        audience=Audience.ADULTS,
        programme=festivals["nights"],
    )
    poets = festivals["poets"].starts_on + dt.timedelta(days=6)
    event(
        "THE",
        "reading-club",
        "Printemps des poètes : soirée scène ouverte",
        [(_at(poets, 19), _at(poets, 21))],
        room="Hall d'exposition",
        audience=Audience.ADULTS,
        programme=festivals["poets"],
        description="Venez lire vos poèmes préférés ou les vôtres ; un musicien accompagne.",
    )


COMMITTEE_TITLE = "Comité de lecture : romans de la rentrée d'hiver"
MINUTES = """Présents : voir la liste. Chacun a présenté deux romans de la rentrée d'hiver.

Coups de cœur retenus pour la liste d'acquisitions du réseau : « Le Cœur des haies » et
« La Dernière Tournée ». « Les Jours bleus » sera acheté en un exemplaire pour Parthenay.

Prochain comité : dans deux mois à Secondigny, sur les premiers romans."""

BOOKS = [
    ("Le Cœur des haies", "Anne Morel", "pick", "Une écriture du bocage, juste et sensible."),
    ("La Dernière Tournée", "Paul Vidal", "pick", "Un facteur rural, beaucoup d'humour."),
    ("Les Jours bleus", "Sarah Klein", "recommended", "Pour les lecteurs de sagas familiales."),
    ("Nuit de verre", "Marc Olivier", "not_recommended", "Intrigue prévisible."),
]


def _meetings(actor, libraries, today: dt.date, now: dt.datetime) -> None:
    """A reading committee held with its minutes and picks, a training that volunteers
    attended (their training record), and a working group to come with its invitations."""
    users = {u.username: u for u in get_user_model().objects.all()}

    def people(*names: str) -> list:
        return [users[n] for n in names if n in users]

    held = _at(today - dt.timedelta(days=20), 14)
    reading = meetings.create_meeting(
        actor,
        libraries["MEN"],
        kind=MeetingKind.READING_COMMITTEE,
        title=COMMITTEE_TITLE,
        starts_at=held,
        ends_at=held + dt.timedelta(hours=2, minutes=30),
        agenda="Chacun présente deux romans lus ; les coups de cœur rejoignent la liste "
        "d'acquisitions du réseau.",
    )
    readers = people("parthenay", "secondigny", "menigoute", "mazieres")
    meetings.invite(actor, reading, readers)
    meetings.record_attendance(actor, reading, {u.pk for u in readers[:3]})
    for title, author, verdict, notes in BOOKS:
        meetings.add_book(actor, reading, title=title, author=author, verdict=verdict, notes=notes)
    meetings.write_minutes(actor, reading, MINUTES)
    trained = _at(today - dt.timedelta(days=12), 9, 30)
    training = meetings.create_meeting(
        actor,
        libraries["PAR"],
        kind=MeetingKind.TRAINING,
        title="Formation : lire à voix haute aux tout-petits",
        starts_at=trained,
        ends_at=trained + dt.timedelta(hours=7),
        trainer="Marie Lenoir, conteuse et formatrice",
        hours=Decimal("6"),
        agenda="Choisir les albums, poser sa voix, tenir un groupe d'enfants et de parents.",
    )
    volunteers = people("benevole", "thenezay", "vasles", "mazieres")
    meetings.invite(actor, training, volunteers)
    meetings.record_attendance(
        actor, training, {u.pk for u in volunteers if u.username != "vasles"}
    )
    group = _at(today + dt.timedelta(days=9), 14)
    working = meetings.create_meeting(
        actor,
        libraries["SEC"],
        kind=MeetingKind.WORKING_GROUP,
        title="Groupe de travail : charte d'accueil des classes",
        starts_at=group,
        ends_at=group + dt.timedelta(hours=2),
        agenda="1. Bilan des accueils du trimestre\n2. Une charte commune aux écoles\n"
        "3. Calendrier des inscriptions",
    )
    meetings.invite(actor, working, people("coordination", "parthenay", "secondigny", "benevole"))
    meetings.answer(users["secondigny"], working, True, now=now)
    meetings.answer(users["parthenay"], working, True, now=now)


def _class_visits(actor, libraries, partners, rooms, today: dt.date) -> None:
    """Mazières welcomes two classes of its public school every three weeks through the school
    year, under a convention; Secondigny welcomes a class once."""
    school = partners.get("École publique de Mazières")
    if school is not None:
        partners_module.add_convention(
            actor,
            school,
            title="Convention d'accueil des classes",
            starts_on=dt.date(today.year if today.month >= 9 else today.year - 1, 9, 1),
            ends_on=dt.date(today.year + (1 if today.month >= 9 else 0), 7, 4),
            notes="Accueil de chaque classe toutes les trois semaines, prêt de 30 livres.",
        )
        school_end = dt.date(today.year + (1 if today.month >= 9 else 0), 7, 4)
        for n, (class_name, pupils, theme) in enumerate(
            [("CP", 22, "Les albums de la forêt"), ("CE1", 24, "Contes du monde")]
        ):
            first = _at(_next(today, 1, n) - dt.timedelta(weeks=6), 9, 30)
            partners_module.schedule_class_visits(
                actor,
                libraries["MAZ"],
                school,
                class_name=class_name,
                teacher="Mme Moreau",
                pupils=pupils,
                theme=theme,
                starts_at=first,
                ends_at=first + dt.timedelta(hours=1),
                room=rooms[("MAZ", "Coin des enfants")],
                every_weeks=3,
                until=school_end,
            )
    other = partners.get("École Saint-Joseph")
    if other is not None:
        visit = _at(_next(today, 3, 1), 10)
        partners_module.schedule_class_visits(
            actor,
            libraries["SEC"],
            other,
            class_name="CM2",
            teacher="M. Pineau",
            pupils=27,
            theme="Rencontre avec Lucie Marchal : préparer les questions",
            starts_at=visit,
            ends_at=visit + dt.timedelta(hours=1, minutes=30),
        )


def link_booked_resources(today: dt.date) -> int:
    """After the bookings' demo: the first booking to come whose library has an event near its
    dates serves it (an exhibition for a festival, a kit for a story time). Once."""
    actor = get_user_model().objects.filter(username="coordination").first()
    if actor is None or EventResource.objects.exists():
        return 0
    coming = Booking.objects.filter(
        status__in=[BookingStatus.APPROVED, BookingStatus.DELIVERED], end__gte=today
    ).select_related("resource", "library")
    for booking in coming.order_by("start", "pk"):
        event = booked.choices(booking).first()
        if event is not None:
            booked.link(actor, booking, event)
            return 1
    return 0


def propose_picks(today: dt.date) -> int:
    """What the committee's minutes announce: its picks go onto the network's open selection
    list, through the committee's service (committee.propose_pick, which calls purchasing's),
    proposed by the librarian of Ménigoute where it met. Run after the purchasing demo made
    the list (purchasing sits below the programme); a pick already there is left as it is.
    Returns how many picks were proposed now."""
    reading = Meeting.objects.filter(
        kind=MeetingKind.READING_COMMITTEE, title=COMMITTEE_TITLE
    ).first()
    chosen = SelectionList.objects.filter(name=LIST_NAME).order_by("pk").first()
    if reading is None or chosen is None or not selection.is_open(chosen, today):
        return 0
    users = get_user_model().objects
    actor = (
        users.filter(username="menigoute").first() or users.filter(username="coordination").first()
    )
    if actor is None:
        return 0
    books = list(reading.books.filter(verdict=Verdict.PICK).order_by("pk"))
    holding = committee.lists_holding(books)
    made = 0
    for book in books:
        if any(found.pk == chosen.pk for found in holding.get(book.pk, [])):
            continue
        committee.propose_pick(actor, book, chosen, today=today)
        made += 1
    return made
