"""A lower app never imports a higher one, even inside a function (docs/design.md, "Layers").

Where a lower app must ask a higher one something ("is this item type in use?"), the higher
app registers the answer at start-up (maillon.core.usage) instead.
"""

import ast
from pathlib import Path

import maillon

PACKAGE = Path(maillon.__file__).parent

# Lowest first; an app may import its own layer and those below it.
LAYERS: list[set[str]] = [
    {"core", "env", "settings", "throttling"},
    {"network"},
    {"audit", "jobs"},
    {"catalogue"},
    {"patrons"},
    {"circulation"},
    {
        "weeding",
        "inventory",
        "lots",
        "deposits",
        "localcollections",
        "corecollection",
        "workshop",
        "purchasing",
    },
    {"rotation"},
    # Bookings snap their dates to shuttle days as the exchange grid does (rotation.grid).
    {"bookings"},
    {"programme"},
    {"sip2", "oai", "offline", "sru"},
    {"stats"},
    {"opac", "api"},
    {"bench", "operations", "cli", "urls", "wsgi"},
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}

# Known upward imports, each with its reason; an entry no longer needed fails the last test.
EXCEPTIONS = {
    # staff_required asks whether the user holds a role; every app's views import it from core,
    # so it stays there (moving it would touch every view module).
    ("core/decorators.py", "network"),
    # The generated catalogue (bench/generate.py, words.py) is shared by the demo and the
    # benchmarks; it belongs in the catalogue once the bench command has moved.
    ("catalogue/demo.py", "bench"),
    ("catalogue/management/commands/generate_catalogue.py", "bench"),
}


def _part(dotted: str) -> str | None:
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "maillon" else None


def _imports(source: str, package: str) -> list[tuple[int, str]]:
    """(line, module) for every import of a maillon module, at any depth of the source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolved against the file's package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
    return [(line, module) for line, module in found if _part(module)]


def _sources() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts]


def test_every_app_has_a_layer():
    apps = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in _sources()}
    assert apps - {"__init__"} <= set(RANK), "add the new app to LAYERS"


def _upward() -> list[tuple[str, int, str]]:
    """(file, line, module) of every import that reaches a higher layer."""
    upward = []
    for path in _sources():
        relative = path.relative_to(PACKAGE)
        app = relative.parts[0].removesuffix(".py")
        if app == "__init__":
            continue
        package = ".".join(("maillon", *relative.parent.parts))
        for line, module in _imports(path.read_text(encoding="utf-8"), package):
            target = _part(module)
            if target in RANK and RANK[target] > RANK[app]:
                upward.append((str(relative), line, module))
    return upward


def test_no_import_from_a_lower_layer_to_a_higher_one():
    found = [
        f"maillon/{f}:{line} imports {m}"
        for f, line, m in _upward()
        if (f, _part(m)) not in EXCEPTIONS
    ]
    assert found == [], "\n".join(found)


def test_every_exception_is_still_needed():
    used = {(f, _part(m)) for f, _line, m in _upward()}
    assert EXCEPTIONS - used == set()


def test_the_checker_sees_imports_inside_functions_and_relative_ones():
    source = (
        "def f():\n    from maillon.circulation.models import Loan\n    from ..patrons import x\n"
    )
    assert _imports(source, "maillon.catalogue") == [
        (2, "maillon.circulation.models"),
        (3, "maillon.patrons"),
    ]
