"""core.usage: a lower app asks "is this in use?" and the apps above it answer."""

from maillon.circulation import usage as circulation_usage
from maillon.core import usage


def test_answers_are_registered_once_and_read_lazily(monkeypatch):
    monkeypatch.setattr(usage, "_answers", {})
    calls = []

    def yes(obj):
        calls.append(obj)
        return True

    usage.register("question", yes)
    usage.register("question", yes)  # ready() may run twice
    usage.register("question", lambda obj: calls.append("second") or True)
    assert any(usage.answers("question", "x")) and calls == ["x"]  # any() stops at the first
    assert list(usage.answers("unknown", "x")) == []


def test_circulation_answers_at_start_up():
    registered = usage._answers
    assert circulation_usage.item_type_uses in registered["item_type_uses"]
    assert circulation_usage.category_code_in_use in registered["category_code_in_use"]
