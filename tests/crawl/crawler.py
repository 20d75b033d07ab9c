"""A same-site crawler over Django's test client: follows every link a user is shown, checks each
page a user would notice breaking, and collects the POST forms it meets (for the fuzzer and for
later accessibility runs).

Only stdlib: html.parser for the pages, urllib.parse for the links.
"""

import os
import re
import sys
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.test import Client

MAX_PAGES = 3000
VERBOSE = bool(os.environ.get("CRAWL_VERBOSE"))  # each page, its time and status on stderr
# Never followed: leaving the session, static files.
SKIP_PREFIXES = ("/dang-xuat/", "/quan-tri/logout/", "/static/", "/media/")
DOWNLOADS = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Downloads without an extension in their path.
DOWNLOAD_PATHS = {
    re.compile(r"/excel/tai-ve/$"): DOWNLOADS[".xlsx"],
    re.compile(r"^/mau/phien-ban/\d+/tai-excel/$"): DOWNLOADS[".xlsx"],
    re.compile(r"^/chi-so-cchc/bo-chi-so/\d+/ket-qua/pdf/$"): DOWNLOADS[".pdf"],
    re.compile(r"^/chi-so-cchc/bo-chi-so/\d+/(ket-qua/)?excel/$"): DOWNLOADS[".xlsx"],
    # Evidence: the demo holds none; tests/parindex downloads every accepted type.
    re.compile(r"^/chi-so-cchc/minh-chung/\d+/$"): DOWNLOADS[".pdf"],
}
# Values a template printed from a Python None / float NaN / a JS object, as whole words; "nan"
# is also the start of "nan giải" (hard to solve), which is Vietnamese.
LEAKED_VALUE = re.compile(r"\[object Object\]|\bundefined\b|\bNone\b|\bNaN\b|\bnan\b(?! giải)")
DJANGO_ERROR = re.compile(r"Traceback \(most recent call last\)|Server Error \(500\)|<h1>500")


def normalise(url: str) -> str:
    """Path plus sorted query: the key under which a page is crawled once."""
    parts = urlsplit(url)
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return parts.path + (f"?{query}" if query else "")


@dataclass
class Form:
    """A form as the page shows it: method, action and each field's name, type and value."""

    page: str
    method: str
    action: str
    fields: list[dict] = field(default_factory=list)
    attrs: dict = field(default_factory=dict)

    def data(self) -> dict[str, list[str]]:
        """What a browser would send unchanged (checked boxes, selected options)."""
        data: dict[str, list[str]] = {}
        for f in self.fields:
            if f["type"] in ("checkbox", "radio") and not f.get("checked"):
                continue
            if f["type"] in ("submit", "button", "file", "reset", "image"):
                continue
            data.setdefault(f["name"], []).append(f.get("value", ""))
        return data


class _Page(HTMLParser):
    """Links, forms and visible text of one HTML page."""

    def __init__(self, url):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.texts: list[str] = []
        self.values: list[str] = []
        self._form: Form | None = None
        self._skip = 0  # inside <script>/<style>
        self._select: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag in ("script", "style", "template"):
            self._skip += 1
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(
                page=self.url,
                method=(a.get("method") or "get").lower(),
                action=urljoin(self.url, a.get("action") or self.url),
                attrs=a,
            )
            self.forms.append(self._form)
        elif tag in ("input", "button") and self._form is not None and a.get("name"):
            kind = a.get("type", "text" if tag == "input" else "submit").lower()
            self._form.fields.append(
                {
                    "name": a["name"],
                    "type": kind,
                    "value": a.get("value", ""),
                    "checked": "checked" in a,
                }
            )
            if tag == "input" and kind not in ("hidden", "submit"):
                self.values.append(a.get("value", ""))
        elif tag == "select" and self._form is not None and a.get("name"):
            self._select = {"name": a["name"], "type": "select", "value": None, "options": []}
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select["options"].append(value)
            if self._select["value"] is None or "selected" in a:
                self._select["value"] = value
        elif tag == "textarea" and self._form is not None and a.get("name"):
            self._textarea = {"name": a["name"], "type": "textarea", "value": ""}
            self._form.fields.append(self._textarea)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._skip = max(0, self._skip - 1)
        elif tag == "form":
            self._form = None
        elif tag == "select":
            if self._select is not None and self._select["value"] is None:
                self._select["value"] = ""
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data.removeprefix("\n")
        if not self._skip:
            self.texts.append(data)


@dataclass
class Downloads:
    """Which downloads a crawl fetches: each path once over all users, and at most `limits`
    distinct ones of a type (a PDF takes seconds to render)."""

    limits: dict[str, int] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    fetched: dict[str, int] = field(default_factory=dict)

    def take(self, path: str, content_type: str) -> bool:
        count = self.fetched.get(content_type, 0)
        if path in self.seen or count >= self.limits.get(content_type, MAX_PAGES):
            return False
        self.seen.add(path)
        self.fetched[content_type] = count + 1
        return True


@dataclass
class Problem:
    user: str
    url: str
    status: int
    what: str
    found_on: str = ""

    def __str__(self):
        where = f" (link on {self.found_on})" if self.found_on else ""
        return f"{self.user}: {self.url} -> {self.status}: {self.what}{where}"


@dataclass
class CrawlResult:
    user: str
    pages: dict[str, int] = field(default_factory=dict)  # url -> status
    forms: list[Form] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def page_problems(html: str) -> list[str]:
    """What a user would see broken in a rendered page: an error page, leaked None/NaN."""
    found = []
    if DJANGO_ERROR.search(html):
        found.append("Django error page")
    page = _Page("")
    page.feed(html)
    for text in page.texts + [v for v in page.values if v.strip() in ("None", "nan", "NaN")]:
        match = LEAKED_VALUE.search(text)
        if match:
            found.append(f"shows {match.group(0)!r} in {text.strip()[:80]!r}")
    return found


def _exception(response) -> str:
    info = getattr(response, "exc_info", None)
    if info and info[1] is not None:
        return f"{type(info[1]).__name__}: {str(info[1])[:200]}"
    return ""


def _expected_download(path: str) -> str | None:
    for suffix, content_type in DOWNLOADS.items():
        if path.endswith(suffix):
            return content_type
    return next((t for pattern, t in DOWNLOAD_PATHS.items() if pattern.search(path)), None)


def _get_form_targets(form: Form, *, each_option: bool) -> list[str]:
    """A GET form (a filter) as sent unchanged, and with each option of each of its selects."""
    base = form.data()
    variants = [base]
    for f in form.fields:
        if f["type"] == "select" and each_option:
            variants += [{**base, f["name"]: [option]} for option in f["options"]]
    action = form.action.split("?")[0]
    queries = [urlencode([(k, v) for k, vs in data.items() for v in vs]) for data in variants]
    return [f"{action}?{query}" if query else action for query in queries]


def _same_site(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("", "http", "https") and parts.netloc in ("", "testserver")


def crawl(
    client: Client,
    user: str,
    *,
    start: str = "/",
    max_pages: int = MAX_PAGES,
    skip=lambda url: False,
    downloads: "Downloads | None" = None,
    families: dict[re.Pattern, int] | None = None,
) -> CrawlResult:
    """Breadth-first over every same-site link (and GET form) from `start`. With `downloads`,
    a download already checked for another user, or over its type's budget, is not fetched:
    its permission is the report page's, which every user's crawl opens. `families` bounds
    pages alike: at most n URLs whose match of the pattern is the same (e.g. the history of
    each indicator of a report)."""
    result = CrawlResult(user)
    family_sizes: dict[str, int] = {}
    queue: list[tuple[str, str]] = [(start, "")]
    seen = {normalise(start)}
    while queue and len(result.pages) < max_pages:
        url, found_on = queue.pop(0)
        path = urlsplit(url).path
        content_type = _expected_download(path)
        if content_type and downloads is not None and not downloads.take(path, content_type):
            continue
        started = time.monotonic()
        response = client.get(url)
        if VERBOSE:
            print(
                f"{time.monotonic() - started:6.2f} {response.status_code} {url}", file=sys.stderr
            )
        result.pages[url] = response.status_code
        status = response.status_code

        def problem(what, url=url, status=status, found_on=found_on):
            result.problems.append(Problem(user, url, status, what, found_on))

        if status >= 500:
            problem(_exception(response) or "server error")
            continue
        if status in (301, 302, 303, 307, 308):
            target = urljoin(url, response["Location"])
            if urlsplit(target).path.startswith("/dang-nhap/"):
                problem(f"redirects to the login page ({target})")
            elif _same_site(target) and normalise(target) not in seen:
                seen.add(normalise(target))
                queue.append((target, url))
            continue
        if status == 202 and content_type:
            # A draft's PDF or Word file renders in the background: 202 with a page that waits.
            if not response["Content-Type"].startswith("text/html"):
                problem("a download being rendered answers 202 without its waiting page")
            continue
        if status != 200:
            problem(f"a link this user is shown answers {status}")
            continue
        if content_type:
            got = response["Content-Type"].split(";")[0]
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if got != content_type:
                problem(f"download is {got}, expected {content_type}")
            elif not body:
                problem("empty download")
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        for what in page_problems(html):
            problem(what)
        page = _Page(url)
        page.feed(html)
        targets = [urljoin(url, href) for href in page.links]
        for form in page.forms:
            if form.method == "post":
                result.forms.append(form)
            elif form.method == "get":
                # Options are tried from the unfiltered page only: combinations would explode.
                targets += _get_form_targets(form, each_option="?" not in url)
        for target in targets:
            target = target.split("#")[0]
            if not target or not _same_site(target):
                continue
            key = normalise(target)
            if key in seen or key.startswith(SKIP_PREFIXES) or skip(key):
                continue
            seen.add(key)
            family = next(
                (f"{p.pattern}:{m[0]}" for p in families or {} if (m := p.search(key))), None
            )
            if family is not None:
                family_sizes[family] = family_sizes.get(family, 0) + 1
                limit = next(n for p, n in families.items() if family.startswith(p.pattern))
                if family_sizes[family] > limit:
                    continue
            queue.append((key, url))
    return result
