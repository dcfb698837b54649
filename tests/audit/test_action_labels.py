"""Every action code the services write has a French and an English label: the history pages
never show a raw code. A new code without its label fails here (and ``record`` refuses it)."""

import ast
from pathlib import Path

import pytest
from django.utils import translation

import maillon
from maillon.audit.labels import ACTIONS, DETAILS
from maillon.audit.services import record

# The calls that name an action code, and the position of that code among their arguments.
CODE_ARGUMENT = {
    "record": 0,
    "record_action": 0,
    "audit": 0,
    "check_action": 0,
    "log": 1,
    "_change": 2,
}


def _strings(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    return []


def codes_in_sources() -> dict[str, str]:
    """Every literal action code passed to the audit log in the package: code → where."""
    found = {}
    root = Path(maillon.__file__).parent
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            position = CODE_ARGUMENT.get(name or "")
            if position is None or len(node.args) <= position:
                continue
            for code in _strings(node.args[position]):
                found[code] = f"{path.relative_to(root)}:{node.lineno}"
    return found


def test_the_scan_finds_the_codes_of_every_app():
    codes = codes_in_sources()
    assert {
        "checkout",
        "renewed",
        "withdrawn",
        "item_created",
        "rule_changed",
        "hold_placed",
    } <= set(codes)


def test_every_code_used_has_a_label():
    missing = {code: where for code, where in codes_in_sources().items() if code not in ACTIONS}
    assert not missing, (
        f"action codes without a label (declare them in an actions module): {missing}"
    )


@pytest.mark.parametrize("code", sorted(ACTIONS))
def test_every_label_is_translated(code):
    with translation.override("en"):
        english = str(ACTIONS[code])
    with translation.override("fr"):
        french = str(ACTIONS[code])
    assert english and french and french != english, (code, french)


# Words the two languages share.
SAME_IN_FRENCH = {"note", "notes", "destination"}


def test_every_detail_label_is_translated():
    untranslated = []
    for key, (label, _format) in DETAILS.items():
        with translation.override("en"):
            english = str(label)
        with translation.override("fr"):
            french = str(label)
        if french == english and english not in SAME_IN_FRENCH:
            untranslated.append(key)
    assert not untranslated


def test_record_refuses_a_code_without_label(db):
    with pytest.raises(LookupError):
        record("something_new")
