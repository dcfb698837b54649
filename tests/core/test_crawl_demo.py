"""Each role walks the whole demo from its home pages, following every same-site link, and no
page fails: no server error, no link to a page the role may not open, no broken page, no raw
Python value in the text, and every export opens.

The walk is bounded and the same at each run: links are followed by GET only (never the
logout), in the order the pages show them; a few addresses per shape (numbers and codes in the
path and the query's values ignored: the first records, not all of them; paging and filters do
not multiply), each export once across the roles, and a cap per role.
"""

import datetime as dt
import io
import re
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import openpyxl
from django.test import Client

from maillon.core.exports import XLSX_TYPE
from maillon.operations.demo import DEMO_PASSWORD, build_on_ground

TODAY = dt.date(2026, 11, 25)
PER_SHAPE = 1  # addresses of one shape (e.g. /pro/catalogue/notices/N/) fetched per role
PER_ROLE = 150
# Query parameters that choose what a page is, not which rows it lists.
KEPT_VALUES = {"format", "vue", "panel"}
NEVER = re.compile(r"/deconnexion/|/logout/|^/i18n/|^/static/")
RAW = re.compile(r"\b(?:True|False|None)\b|<QuerySet|object at 0x|Decimal\(|datetime\.date\(")
DENIED = {403, 404}
CODE = re.compile(r"^[A-Z]{2,5}N?$")  # a library's code, a barcode or a lot's (SEC, PARN, LOTN)
# Rendered in 6 to 14 s on a shared machine, and tried by its own tests.
SLOW = re.compile(r"/depliant\.pdf$")
DOTTED = re.compile(r"^[a-z_]+\.[a-zN_.+]+$")  # a statistic's key (active.adult, loans.age.N+)
# The admin's pages of each object beside its form, and its sorting and filtering of lists.
ADMIN_SKIPPED = re.compile(r"^/admin/.*(?:/history/|/delete/|/password/|\?)")
DOWNLOAD = re.compile(r"\.(?:pdf|csv|xlsx|ics|mrc|xml|zip)$")


@dataclass
class Page:
    """What one HTML page shows: its links, its text, and what is wrong with its markup."""

    links: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    LINKS = {("a", "href"), ("iframe", "src"), ("img", "src")}
    HIDDEN = {"script", "style", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.opened: Counter[str] = Counter()
        self.ids: Counter[str] = Counter()
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if self.opened["title"] > 0:  # a browser shows it as text, in the tab
            self.page.problems.append(f"<{tag}> inside <title>")
        self.opened[tag] += 1
        for name, value in attrs:
            if value is None:
                continue
            if (tag, name) in self.LINKS or name == "hx-get":
                self.page.links.append(value)
            if name == "id":
                self.ids[value] += 1
        if tag in self.HIDDEN:
            self.hidden += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in self.HIDDEN:
            self.hidden -= 1

    def handle_endtag(self, tag):
        self.opened[tag] -= 1
        if tag in self.HIDDEN:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.page.text.append(data)

    def result(self) -> Page:
        for tag in ("title", "main"):
            if self.opened[tag]:
                self.page.problems.append(f"<{tag}> opened {self.opened[tag]:+d} times unclosed")
        twice = sorted(name for name, n in self.ids.items() if n > 1)
        if twice:
            self.page.problems.append(f"ids used twice: {', '.join(twice)}")
        return self.page


def read_html(body: str) -> Page:
    reader = _Reader()
    reader.feed(body)
    reader.close()
    page = reader.result()
    text = " ".join(page.text)
    raw = sorted({m.group(0) for m in RAW.finditer(text)})
    if raw:
        context = [text[max(m.start() - 40, 0) : m.end() + 20] for m in RAW.finditer(text)][:2]
        page.problems.append(f"raw Python values in the text: {raw} ({context})")
    return page


def same_site(base: str, href: str) -> str | None:
    """The address (path and query) a link leads to, if it stays on the site and is a page."""
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(urljoin(base, href))
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    if NEVER.search(parts.path):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def shape(address: str) -> tuple[str, str]:
    """(the address without its query's values, the shape it shares with others: numbers and
    library codes in the path and the whole query dropped, but for the values that choose
    what the page is)."""
    parts = urlsplit(address)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = "&".join(sorted({f"{k}={v}" for k, v in pairs if k in KEPT_VALUES}))
    names = "&".join(sorted({k for k, _v in pairs}))
    *folders, name = re.sub(r"[0-9]+", "N", parts.path).split("/")
    folders = [DOTTED.sub("K", CODE.sub("X", folder)) for folder in folders]
    general = "/".join([*folders, CODE.sub("X", name)])
    return f"{parts.path}?{names}&{kept}", f"{general}?{kept}"


def is_download(address: str) -> bool:
    parts = urlsplit(address)
    return bool(DOWNLOAD.search(parts.path)) or "format" in dict(parse_qsl(parts.query))


@dataclass
class Crawl:
    """What the walks found, and the downloads already fetched (each shape once, by the first
    role shown it: the roles walk from the least to the most allowed)."""

    failures: list[str] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    downloads: set[str] = field(default_factory=set)


@dataclass
class Walk:
    role: str
    client: Client
    crawl: Crawl
    staff: bool
    fetched: int = 0

    def fail(self, address: str, linked_from: str, problem: str) -> None:
        self.crawl.failures.append(
            f"{self.role}: {address} ({problem}) — linked from {linked_from}"
        )

    def run(self, starts: list[str]) -> None:
        queue: deque[tuple[str, str]] = deque((start, "(start)") for start in starts)
        seen: set[str] = set()
        shapes: Counter[str] = Counter()
        while queue and self.fetched < PER_ROLE:
            address, linked_from = queue.popleft()
            exact, general = shape(address)
            if exact in seen or shapes[general] >= PER_SHAPE or SLOW.search(address):
                continue
            if is_download(address):
                if general in self.crawl.downloads:
                    continue
                self.crawl.downloads.add(general)
            seen.add(exact)
            shapes[general] += 1
            self.fetched += 1
            links = self.visit(address, linked_from)
            if self.staff and not address.startswith(("/pro/", "/admin/")):
                continue  # the public pages are walked by the patron and the visitor
            for link in links:
                if ADMIN_SKIPPED.search(link):
                    continue
                queue.append((link, address))

    def visit(self, address: str, linked_from: str) -> list[str]:
        response = self.client.get(address)
        status = response.status_code
        if status >= 500:
            self.fail(address, linked_from, f"status {status}")
            return []
        if status in DENIED:
            if linked_from != "(start)":
                self.fail(address, linked_from, f"status {status} on a link the role was shown")
            return []
        if status in (301, 302, 303, 307, 308):
            target = same_site(address, response["Location"])
            return [target] if target else []
        body = b"".join(response.streaming_content) if response.streaming else response.content
        kind = response.get("Content-Type", "").split(";")[0]
        if kind == "text/html":
            page = read_html(body.decode())
            for problem in page.problems:
                self.fail(address, linked_from, problem)
            return [a for href in page.links if (a := same_site(address, href))]
        self.check_download(address, linked_from, kind, body)
        return []

    def check_download(self, address: str, linked_from: str, kind: str, body: bytes) -> None:
        self.crawl.kinds[kind] += 1
        try:
            if kind == XLSX_TYPE:
                openpyxl.load_workbook(io.BytesIO(body), read_only=True).close()
            elif kind == "application/pdf":
                assert body.startswith(b"%PDF"), "not a PDF"
            elif kind == "text/csv":
                assert body.decode("utf-8-sig").strip(), "empty"
        except Exception as error:  # each bad export is listed, the walk goes on
            self.fail(address, linked_from, f"{kind} does not open: {error!r}")


def test_the_page_reader_sees_what_the_walk_refuses():
    problems = read_html(
        '<title>Prêts<section id="a"></section></title><main><p id="a">True</p>'
    ).problems
    assert problems[0] == "<section> inside <title>"
    assert "<main> opened +1 times unclosed" in problems and "ids used twice: a" in problems
    assert any(p.startswith("raw Python values in the text: ['True']") for p in problems)
    assert read_html("<title>Prêts</title><main><p>Vrai</p></main>").problems == []


def browser() -> Client:
    """A French browser; a server error is a status to report, not an exception."""
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="fr")


# From the least to the most allowed (see Crawl).
STAFF = [
    ("volunteer", "benevole"),
    ("small library's librarian", "secondigny"),
    ("head-library librarian", "parthenay"),
    ("md", "md"),
    ("coordination", "coordination"),
    ("admin", "admin"),
]


def test_every_role_walks_the_demo_without_a_failing_page(demo_ground, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    started = time.process_time()
    demo_ground()
    accounts = build_on_ground(TODAY)
    card = next(login for login, description in accounts if "/compte/" in description)

    crawl = Crawl()
    patron = browser()
    answer = patron.post("/compte/connexion/", {"card": card, "password": DEMO_PASSWORD})
    assert answer.status_code == 302
    walks = [
        (Walk("anonymous", browser(), crawl, staff=False), ["/"]),
        (Walk("patron", patron, crawl, staff=False), ["/compte/", "/"]),
    ]
    for role, username in STAFF:
        client = browser()
        assert client.login(username=username, password=DEMO_PASSWORD), username
        starts = ["/pro/", "/admin/"] if username == "admin" else ["/pro/"]
        walks.append((Walk(role, client, crawl, staff=True), starts))

    cpu = time.process_time()
    for walk, starts in walks:
        walk.run(starts)
    # Seen with -s: the walk's size and cost (CPU time: the machine is shared).
    sizes = ", ".join(f"{walk.role} {walk.fetched}" for walk, _s in walks)
    print(
        f"{sizes}; CPU: {cpu - started:.0f} s to build, {time.process_time() - cpu:.0f} s to walk"
    )
    failures = crawl.failures
    assert not failures, f"{len(failures)} bad pages:\n" + "\n".join(failures)
    assert {XLSX_TYPE, "application/pdf", "text/csv"} <= set(crawl.kinds), crawl.kinds
