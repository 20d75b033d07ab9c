"""Hostile input into every POST form the crawler meets (and the appendix autosave): never a
5xx, refusals in Vietnamese, and nothing stored that the portal would refuse or cannot export.

Each case runs in a savepoint rolled back afterwards, so a submit, an approval or a reopened
period never changes what the next case sees.
"""

import json
import re
import time
import unicodedata
from urllib.parse import quote, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.models import Report

from .conftest import CRAWL_USERS, crawl_as, login
from .crawler import SKIP_PREFIXES, Form

pytestmark = [pytest.mark.crawl, pytest.mark.django_db]

HOSTILE = [
    "123456789012345",
    "-999999999999999",
    "1e308",
    "12,3456789%",
    "0,0000001",
    "31/02/2026",
    "x" * 30_000,  # a note pasted whole: refused by lib.limits, never a stalled PDF
    "Dòng một\x0bdòng hai\x01\x1b[31m",
    "a\x00b",
    '<script>alert(1)</script>=HYPERLINK("http://evil.invalid","Bấm")',
]
# Sent by autosave too: numbers and characters the database or the exports cannot take.
AUTOSAVE = [0, 1, 6, 7, 8]
INVALID_UTF8 = "%FF%FE%C3%28"
# Django's English defaults: a refusal must speak Vietnamese.
ENGLISH = re.compile(
    r"This field is required|Enter a (valid|whole)|Select a valid choice|Ensure this value"
    r"|Null characters are not allowed|Forbidden|Bad Request|Not Found|Method Not Allowed"
)
VIETNAMESE = re.compile(
    r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", re.I
)
# What XML (xlsx, docx) cannot carry. Invalid UTF-8 arrives as U+FFFD, which it can.
BAD_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Exports rendered after a stored change, per form: they take a second each.
EXPORT_CHECKS = 3
# Not fuzzed: Django's own admin (trusted, not our code) and leaving the session.
SKIP_ACTIONS = ("/quan-tri/", *SKIP_PREFIXES)
TEXT_TYPES = {"text", "textarea", "number", "date", "email", "search", "tel", "url", "hidden"}
KEEP = {"csrfmiddlewaretoken", "part_version"}
REPORT_PK = re.compile(r"^/bao-cao/(\d+)/")


def _pattern(form: Form) -> tuple:
    """Forms are fuzzed once per kind: the same action with other ids and the same fields."""
    path = re.sub(r"/muc/[\w-]+/", "/muc/X/", re.sub(r"\d+", "N", urlsplit(form.action).path))
    names = tuple(sorted({re.sub(r"\d+", "N", f["name"]) for f in form.fields}))
    return path, names, form.attrs.get("enctype", "")


def snapshot(pk: int | None) -> dict:
    """What a report holds: header, state, sections, values, table rows, explanations,
    comments."""
    report = Report.objects.filter(pk=pk).first() if pk else None
    if report is None:
        return {}
    header = Report.objects.filter(pk=pk).values().get()
    for volatile in ("updated_at", "part_versions"):
        header.pop(volatile)

    def rows(queryset, *fields):
        return sorted(queryset.values_list(*fields), key=repr)

    return {
        "report": header,
        "sections": rows(report.sections, "outline__code", "content"),
        "values": rows(
            report.values, "indicator__code", "number", "text", "date", "not_applicable", "note"
        ),
        "rows": rows(report.table_rows, "appendix__code", "is_total", "position", "cells"),
        "explanations": rows(report.explanations, "key", "text"),
        "comments": rows(report.comments, "target", "target_code", "text"),
    }


def _texts(value):
    """Every string in a snapshot, however nested."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _texts(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _texts(v)


def _body(data: dict[str, list[str]], raw: dict[str, str] | None = None) -> str:
    pairs = [f"{quote(k)}={quote(v)}" for k, vs in data.items() for v in vs]
    pairs += [f"{quote(k)}={v}" for k, v in (raw or {}).items()]
    return "&".join(pairs)


class Fuzzer:
    def __init__(self, client: Client, username: str):
        self.client = client
        self.username = username
        self.problems: list[str] = []
        self.requests = 0
        self.export_checks = 0

    def post(self, form: Form, data: dict, *, raw=None, autosave=False, label=""):
        """One hostile submission in a savepoint: checks the answer and what was stored."""
        path = urlsplit(form.action).path
        match = REPORT_PK.match(path)
        pk = int(match.group(1)) if match else None
        where = f"{self.username} POST {path} [{label}]"
        with transaction.atomic():
            before = snapshot(pk)
            headers = {"HTTP_X_AUTOSAVE": "1"} if autosave else {}
            if form.attrs.get("enctype") == "multipart/form-data" and raw is None:
                files = {k: v[0] if len(v) == 1 else v for k, v in data.items()}
                response = self.client.post(path, files, **headers)
            else:
                response = self.client.post(
                    path,
                    _body(data, raw),
                    content_type="application/x-www-form-urlencoded",
                    **headers,
                )
            self.requests += 1
            self.check_answer(response, where)
            after = snapshot(pk)
            if after != before:
                self.check_stored(pk, after, where)
            transaction.set_rollback(True)
        return response

    def check_answer(self, response, where):
        status = response.status_code
        if status >= 500:
            info = getattr(response, "exc_info", None)
            error = f"{type(info[1]).__name__}: {str(info[1])[:160]}" if info else ""
            self.problems.append(f"{where}: {status} {error}")
            return
        if status < 400 or response.streaming:
            return
        body = response.content.decode(errors="replace")
        if response["Content-Type"].startswith("application/json"):
            body = json.dumps(response.json(), ensure_ascii=False)
        if ENGLISH.search(body):
            self.problems.append(f"{where}: {status} in English: {ENGLISH.search(body)[0]!r}")
        elif not VIETNAMESE.search(body):
            self.problems.append(f"{where}: {status} without a Vietnamese message")

    def check_stored(self, pk, after, where):
        """A change that went in must be one the portal can show and export."""
        for text in _texts(after):
            if BAD_TEXT.search(text):
                bad = BAD_TEXT.search(text)[0]
                self.problems.append(f"{where}: stored {unicodedata.name(bad, repr(bad))}")
                break
        for url in (
            f"/bao-cao/{pk}/",
            f"/bao-cao/{pk}/excel/tai-ve/",
            f"/bao-cao/{pk}/tai-ve.docx",
        ):
            response = self.client.get(url)
            self.requests += 1
            if response.status_code >= 500:
                info = getattr(response, "exc_info", None)
                error = f"{type(info[1]).__name__}: {str(info[1])[:160]}" if info else ""
                self.problems.append(f"{where}: then GET {url} -> {response.status_code} {error}")

    def fuzz(self, form: Form):
        base = form.data()
        fields = [
            f for f in form.fields if f["name"] not in KEEP and f["type"] in TEXT_TYPES | {"select"}
        ]
        autosave = "data-autosave" in form.attrs
        for value in HOSTILE:
            data = {**base, **{f["name"]: [value] for f in fields}}
            self.post(form, data, label=f"all fields = {value[:20]!r}")
        if fields:
            raw = {f["name"]: INVALID_UTF8 for f in fields}
            self.post(form, {k: v for k, v in base.items() if k not in raw}, raw=raw, label="utf8")
        self.post(form, {}, label="missing fields")
        wrong = {f["name"]: ["999999", "abc"] for f in form.fields if f["type"] == "select"}
        wrong.update({f["name"]: ["on", "x" * 300] for f in form.fields if f["type"] == "checkbox"})
        if wrong:
            self.post(form, {**base, **wrong}, label="wrong choices")
        if "part_version" in base:
            for version in ("-1", "abc", "9" * 30):
                self.post(form, {**base, "part_version": [version]}, label=f"version {version}")
            self.stale(form, base, fields)
        if autosave:
            for value in (HOSTILE[i] for i in AUTOSAVE):
                data = {**base, **{f["name"]: [value] for f in fields}}
                self.post(form, data, autosave=True, label=f"autosave {value[:20]!r}")
        if fields:
            self.hypothesis(form, base, fields)

    def stale(self, form, base, fields):
        """Saved by a colleague after this page was loaded: refused, nothing overwritten."""
        path = urlsplit(form.action).path
        with transaction.atomic():
            self.client.post(path, _body(base), content_type="application/x-www-form-urlencoded")
            changed = {**base, **{f["name"]: ["Bản cũ"] for f in fields if f["type"] != "hidden"}}
            match = REPORT_PK.match(path)
            before = snapshot(int(match.group(1)) if match else None)
            response = self.client.post(
                path, _body(changed), content_type="application/x-www-form-urlencoded"
            )
            self.requests += 2
            after = snapshot(int(match.group(1)) if match else None)
            if response.status_code < 400 or response.status_code >= 500:
                self.problems.append(
                    f"{self.username} POST {path} [stale version]: "
                    f"{response.status_code}, expected a refusal"
                )
            elif after != before:
                self.problems.append(f"{self.username} POST {path} [stale version]: overwritten")
            transaction.set_rollback(True)

    def hypothesis(self, form, base, fields):
        names = [f["name"] for f in fields]
        values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40), st.integers().map(str))

        @settings(
            max_examples=3,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(st.fixed_dictionaries(dict.fromkeys(names, values)))
        def case(typed):
            self.post(form, {**base, **{k: [v] for k, v in typed.items()}}, label="hypothesis")

        case()


def test_hostile_input_is_refused_in_vietnamese_and_never_stored_broken(demo):
    started = time.monotonic()
    forms: dict[tuple, tuple[str, Form]] = {}
    for username in CRAWL_USERS:
        if username.startswith("gialai"):  # the same forms as Cần Thơ's
            continue
        for form in crawl_as(username).forms:
            if not urlsplit(form.action).path.startswith(SKIP_ACTIONS):
                forms.setdefault(_pattern(form), (username, form))
    crawled = time.monotonic() - started
    problems, requests = [], 0
    for username, form in forms.values():
        fuzzer = Fuzzer(login(username), username)
        fuzzer.fuzz(form)
        problems += fuzzer.problems
        requests += fuzzer.requests
    print(
        f"fuzzed {len(forms)} forms with {requests} requests in "
        f"{time.monotonic() - started:.1f}s (crawl {crawled:.1f}s)"
    )
    assert len(forms) > 10
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


# The login and password-reset forms, signed out, with django-axes on as in production.
SIGNED_OUT_FORMS = {
    "/dang-nhap/": ("username", "password"),
    "/quen-mat-khau/": ("email",),
}
USERNAMES = ["u" * 255, "u" * 256, "ư" * 256, "u" * 100_000, "a\x00b", "quantri\x0b", " " * 300]


def test_signed_out_forms_refuse_hostile_input_and_any_username_length(demo, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 1000  # the refusal itself, not the lockout, is fuzzed here
    settings.AXES_ADDRESS_FAILURE_LIMIT = 1000
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 1000
    client = Client(raise_request_exception=False)
    fuzzer = Fuzzer(client, "(signed out)")
    for path, names in SIGNED_OUT_FORMS.items():
        for value in [*USERNAMES, *HOSTILE]:
            with transaction.atomic():
                response = client.post(path, dict.fromkeys(names, value))
                fuzzer.requests += 1
                fuzzer.check_answer(response, f"POST {path} [{value[:20]!r}]")
                if response.status_code == 200:
                    page = response.content.decode()
                    if not VIETNAMESE.search(page) or ENGLISH.search(page):
                        fuzzer.problems.append(
                            f"POST {path} [{value[:20]!r}]: no Vietnamese refusal"
                        )
                transaction.set_rollback(True)
        raw = "&".join(f"{name}={INVALID_UTF8}" for name in names)
        response = client.post(path, raw, content_type="application/x-www-form-urlencoded")
        fuzzer.check_answer(response, f"POST {path} [utf8]")
    assert not fuzzer.problems, "\n".join(fuzzer.problems)
    assert fuzzer.requests >= 2 * len(USERNAMES)
