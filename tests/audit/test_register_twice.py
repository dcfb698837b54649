"""An action code or a detail key means one thing across the apps: declaring it again with
another meaning is refused at start-up (it would relabel another app's history)."""

import pytest
from django.utils.translation import gettext_lazy as _

from maillon.audit import labels
from maillon.audit.labels import TEXT, register


@pytest.fixture
def clean_registry(monkeypatch):
    monkeypatch.setattr(labels, "ACTIONS", dict(labels.ACTIONS))
    monkeypatch.setattr(labels, "DETAILS", dict(labels.DETAILS))


def test_a_detail_key_with_another_meaning_is_refused(clean_registry):
    register({}, details={"test_reason": (_("reason"), TEXT)})
    register({}, details={"test_reason": (_("reason"), TEXT)})  # the same meaning: fine
    with pytest.raises(ValueError, match="test_reason"):
        register({}, details={"test_reason": (_("booking refused because"), TEXT)})
    assert str(labels.DETAILS["test_reason"][0]) == str(_("reason"))


def test_an_action_declared_twice_is_refused(clean_registry):
    first = _("Tested")
    register({"test_action": first})
    with pytest.raises(ValueError, match="test_action"):
        register({"test_action": _("Tested again")})
