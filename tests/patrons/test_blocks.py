"""Blocks: put from a desk, visible everywhere, lifted once, kept as a record."""

import pytest
from django.core.exceptions import PermissionDenied

from maillon.network.models import Role
from maillon.patrons import services
from maillon.patrons.models import BlockKind, PatronBlock
from maillon.patrons.services import PatronError


def test_block_and_lift(coordinator, network, make_patron):
    patron = make_patron()
    assert not patron.is_blocked
    block = services.block_patron(
        coordinator, patron, network["a"], BlockKind.OVERDUE, "  3 documents  "
    )
    assert patron.is_blocked and list(patron.active_blocks) == [block]
    assert (block.note, block.created_by, block.library) == (
        "3 documents",
        coordinator,
        network["a"],
    )
    services.lift_block(coordinator, block)
    block.refresh_from_db()
    assert block.lifted_at is not None and block.lifted_by == coordinator
    assert not patron.is_blocked
    assert patron.blocks.count() == 1  # the history stays


def test_same_reason_twice_is_refused_but_another_reason_adds_up(coordinator, network, make_patron):
    patron = make_patron()
    services.block_patron(coordinator, patron, network["a"], BlockKind.UNPAID)
    with pytest.raises(PatronError) as caught:
        services.block_patron(coordinator, patron, network["a"], BlockKind.UNPAID)
    assert caught.value.code == "already_blocked"
    services.block_patron(coordinator, patron, network["a"], BlockKind.LOST)
    assert patron.active_blocks.count() == 2


def test_other_reason_needs_a_note_and_kind_must_be_known(coordinator, network, make_patron):
    patron = make_patron()
    for kind, note, code in (
        (BlockKind.OTHER, " ", "block_note_required"),
        ("rudeness", "x", "block_kind_unknown"),
    ):
        with pytest.raises(PatronError) as caught:
            services.block_patron(coordinator, patron, network["a"], kind, note)
        assert caught.value.code == code
    assert not PatronBlock.objects.exists()


def test_lifting_twice_is_refused(coordinator, network, make_patron):
    block = services.block_patron(coordinator, make_patron(), network["a"], BlockKind.OVERDUE)
    services.lift_block(coordinator, block)
    with pytest.raises(PatronError) as caught:
        services.lift_block(coordinator, block)
    assert caught.value.code == "block_already_lifted"


def test_a_desk_blocks_a_patron_of_another_library(staff, network, make_patron):
    """One card everywhere: the volunteer at "a" protects their desk from a "b" patron."""
    patron = make_patron(library=network["b"])
    volunteer = staff[Role.VOLUNTEER]
    block = services.block_patron(volunteer, patron, network["a"], BlockKind.BEHAVIOUR, "cris")
    assert block.library == network["a"]
    with pytest.raises(PermissionDenied):
        services.block_patron(volunteer, patron, network["b"], BlockKind.OVERDUE)
    # A colleague at the same desk may lift it.
    services.lift_block(staff[Role.LIBRARIAN], block)
    assert not patron.is_blocked


def test_home_library_lifts_a_block_put_elsewhere(network, make_staff, make_patron, coordinator):
    patron = make_patron(library=network["b"])
    block = services.block_patron(coordinator, patron, network["a"], BlockKind.OVERDUE)
    home = make_staff("homelib", (network["b"], Role.LIBRARIAN))
    stranger = make_staff("stranger", (network["md"], Role.MD_STAFF))
    with pytest.raises(PermissionDenied):
        services.lift_block(stranger, block)
    services.lift_block(home, block)
    block.refresh_from_db()
    assert block.lifted_by == home


def test_block_form_over_http(client, staff, network, make_patron):
    patron = make_patron(library=network["b"])
    client.force_login(staff[Role.VOLUNTEER])
    url = f"/pro/usagers/{patron.pk}/bloquer/"
    response = client.post(url, {"kind": "other", "note": ""})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    response = client.post(url, {"kind": "lost", "note": "Album perdu"})
    assert response.status_code == 302
    page = client.get(f"/pro/usagers/{patron.pk}/").content.decode()
    assert "Album perdu" in page and "badge bad" in page
    block = patron.blocks.get()
    assert f"/blocages/{block.pk}/lever/" in page  # the desk that put it may lift it
    response = client.post(f"/pro/usagers/{patron.pk}/blocages/{block.pk}/lever/")
    assert response.status_code == 302
    assert not patron.is_blocked
