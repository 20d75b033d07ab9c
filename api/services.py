"""Writes of the API app: registering clients, issuing and revoking tokens, logging calls, and
a client's writes into reports, which go through the report services the entry page uses."""

import hashlib
import ipaddress
import re
import secrets
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from indicators.values import ValueParseError
from org.models import Role, Unit, UnitKind, User
from org.permissions import OPERATOR, require_admin
from reports.models import Report
from reports.selectors import column_sums, report_appendices, stored_values
from reports.services import EditConflict, report_save_table, report_save_values

from .access import delegate
from .models import Call, Client, Token
from .values import from_json

TOKEN_START = "cchc_"


# --- clients and tokens ----------------------------------------------------------------------


def reach_problems(*, national: bool, provinces, units, writes: bool) -> list[str]:
    """Why a client's reach is not acceptable (the admin form shows the same messages)."""
    problems = []
    provinces, units = list(provinces), list(units)
    if national:
        if writes:
            problems.append("Hệ thống toàn quốc chỉ được đọc, không được ghi số liệu.")
        return problems
    if not provinces and not units:
        problems.append("Chọn ít nhất một tỉnh (hoặc đơn vị), hoặc đánh dấu toàn quốc.")
    if any(p.kind != UnitKind.PROVINCE for p in provinces):
        problems.append("Ô “tỉnh” chỉ nhận tỉnh, thành phố.")
    if provinces:
        covered = {u.pk for p in provinces for u in Unit.objects.filter(province__in=p.lineage())}
        covered |= {u.pk for p in provinces for u in p.lineage()}
        outside = [u.name for u in units if u.pk not in covered]
        if outside:
            problems.append(f"Đơn vị không thuộc tỉnh đã chọn: {', '.join(outside)}.")
    return problems


def _username(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    base = "api-" + (slugify(ascii_name.encode("ascii", "ignore").decode()) or "he-thong")
    base = base[:140]
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


@transaction.atomic
def client_create(
    *,
    name: str,
    purpose: str,
    expires_at,
    by,
    national: bool = False,
    provinces=(),
    units=(),
    reads_submitted: bool = False,
    writes: bool = False,
    rate_per_minute: int | None = None,
) -> Client:
    """Register a client system with the account its writes are recorded under (a
    Role.SYSTEM user named as the client, who cannot log in)."""
    require_admin(by)
    problems = reach_problems(national=national, provinces=provinces, units=units, writes=writes)
    if problems:
        raise ValidationError(problems)
    user = User(username=_username(name), role=Role.SYSTEM, first_name=name, is_active=False)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    client = Client(
        name=name,
        purpose=purpose,
        national=national,
        reads_submitted=reads_submitted,
        writes=writes,
        expires_at=expires_at,
        rate_per_minute=rate_per_minute,
        user=user,
        created_by=None if by is OPERATOR else by,
    )
    client.full_clean()
    client.save()
    client.provinces.set(provinces)
    client.units.set(units)
    return client


@transaction.atomic
def client_update(*, client: Client, by, provinces, units, **fields) -> Client:
    """Change what a client may reach and do; its history account keeps its name."""
    require_admin(by)
    for name, value in fields.items():
        setattr(client, name, value)
    problems = reach_problems(
        national=client.national, provinces=provinces, units=units, writes=client.writes
    )
    if problems:
        raise ValidationError(problems)
    client.full_clean()
    client.save()
    client.provinces.set(provinces)
    client.units.set(units)
    if client.user.first_name != client.name:
        client.user.first_name = client.name
        client.user.save(update_fields=["first_name"])
    return client


def _digest(raw: str) -> str:
    # A token is 256 random bits: a plain hash cannot be reversed by guessing, unlike a password.
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_issue(*, client: Client, by) -> tuple[Token, str]:
    """A new token for the client: (its record, the token itself, to show once)."""
    require_admin(by)
    if Client.objects.select_for_update().get(pk=client.pk).revoked_at is not None:
        raise ValidationError("Hệ thống này đã bị thu hồi quyền kết nối.")
    raw = TOKEN_START + secrets.token_urlsafe(32)
    token = Token.objects.create(
        client=client,
        prefix=raw[: Token.PREFIX_LENGTH],
        digest=_digest(raw),
        created_by=None if by is OPERATOR else by,
    )
    return token, raw


def token_revoke(*, token: Token, by) -> None:
    require_admin(by)
    Token.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def client_revoke(*, client: Client, by) -> None:
    """Stop the client: every token refused from now on; its log and history stay."""
    require_admin(by)
    now = timezone.now()
    Client.objects.filter(pk=client.pk, revoked_at__isnull=True).update(revoked_at=now)
    client.tokens.filter(revoked_at__isnull=True).update(revoked_at=now)
    client.refresh_from_db(fields=["revoked_at"])


def token_for(raw: str) -> Token | None:
    """The usable token `raw` is, with its client and the client's account; None for a token
    unknown, revoked, expired or of a revoked client."""
    if not raw.startswith(TOKEN_START):
        return None
    return (
        Token.objects.select_related("client__user")
        .filter(
            digest=_digest(raw),
            revoked_at__isnull=True,
            client__revoked_at__isnull=True,
            client__expires_at__gt=timezone.now(),
        )
        .first()
    )


def token_used(token: Token) -> None:
    """Note when the token was last used, at most once a minute (one write per call otherwise)."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        Token.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def call_record(
    *,
    client: Client | None,
    token_prefix: str,
    method: str,
    path: str,
    status: int,
    ip_address: str | None,
    report_id: int | None = None,
    detail: str = "",
    duration_ms: int = 0,
) -> Call:
    try:
        address = str(ipaddress.ip_address(ip_address)) if ip_address else None
    except ValueError:  # a forwarded header nginx did not write
        address = None
    return Call.objects.create(
        client=client,
        token_prefix=token_prefix[: Token.PREFIX_LENGTH],
        method=method[:10],
        path=path[:300],
        status=status,
        ip_address=address,
        report_id=report_id,
        detail=detail[:300],
        duration_ms=max(0, duration_ms),
    )


# --- writes into reports ---------------------------------------------------------------------


class ValuesRefused(Exception):
    """Values that cannot be stored, each with its Vietnamese reason; nothing was written."""

    def __init__(self, errors: list[dict]):
        super().__init__(f"{len(errors)} giá trị không ghi được")
        self.errors = errors


class PreconditionMissing(Exception):
    """If-Match lacks the version of a part the write touches."""


_TEMPLATE_KEY = re.compile(r"^m(\d+)$")


def parts_etag(report: Report, codes) -> str:
    """The entity tag of some parts of a report: its template version, then each appendix's
    part version: "m12;pl1=3;bang=0". A write sends it back in If-Match; each part it touches
    must still be at the version given (per-part locking, as on the entry page)."""
    versions = report.part_versions
    parts = ";".join(f"{code}={versions.get(f'appendix:{code}', 0)}" for code in sorted(codes))
    return f'"m{report.template_version_id}' + (f";{parts}" if parts else "") + '"'


def parse_if_match(header: str) -> dict[str, int] | None:
    """{"m": template version, appendix code: version} from If-Match; None when it is absent
    or not one of our tags."""
    text = header.strip()
    if text.startswith("W/"):
        text = text[2:]
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        return None
    parsed = {}
    for item in text[1:-1].split(";"):
        template = _TEMPLATE_KEY.match(item)
        code, sep, version = item.partition("=")
        if template:
            parsed["m"] = int(template.group(1))
        elif sep and version.isdigit() and code:
            parsed[code] = int(version)
        else:
            return None
    return parsed if "m" in parsed else None


def _expected(report: Report, versions: dict, appendix) -> int:
    if appendix.code not in versions:
        raise PreconditionMissing(
            f"If-Match thiếu phiên bản của {appendix.name or appendix.code} "
            f"(mã “{appendix.code}”); đọc lại số liệu để lấy ETag mới."
        )
    if versions["m"] != report.template_version_id:
        raise EditConflict("Báo cáo đã chuyển sang phiên bản mẫu khác; đọc lại rồi ghi lại.")
    return versions[appendix.code]


def _indicator_rows(report: Report) -> dict:
    return {
        row.code: (appendix, row)
        for appendix in report_appendices(report)
        if not appendix.is_table
        for row in appendix.indicators.all()
        if row.code
    }


@transaction.atomic
def report_values_write(
    *, report: Report, by: Client, values: dict, notes: dict, versions: dict
) -> int:
    """Put values (indicator code -> typed JSON) and notes (code -> text) into a report, all
    or nothing: every value is read as the entry page reads it (ValuesRefused lists each one
    refused, with its reason), then each appendix is saved by reports.services under the
    version If-Match gave (EditConflict when someone saved it since). A code given only in
    `notes` keeps its value, one given only in `values` keeps its note. Returns how many
    values changed."""
    rows = _indicator_rows(report)
    errors, parsed = [], {}
    for code, raw in values.items():
        found = rows.get(code)
        if found is None:
            errors.append(_refused(code, raw, f"Mẫu của báo cáo không có chỉ tiêu mã “{code}”."))
        elif found[1].is_heading:
            errors.append(_refused(code, raw, "Dòng tiêu đề không nhận số liệu."))
        else:
            try:
                parsed[code] = from_json(found[1].value_type, raw, found[1].choices)
            except ValueParseError as exc:
                errors.append(_refused(code, raw, exc.message))
    for code, note in notes.items():
        if code not in rows or rows[code][1].is_heading:
            if code not in values:
                errors.append(
                    _refused(code, note, f"Mẫu của báo cáo không có chỉ tiêu mã “{code}”.")
                )
        elif note is not None and not isinstance(note, str):
            errors.append(_refused(code, note, "Ghi chú phải là chuỗi văn bản.", field="note"))
    if errors:
        raise ValuesRefused(errors)
    stored = stored_values(report)["indicators"]
    by_appendix: dict = {}
    for code in {*parsed, *notes}:
        appendix, _row = rows[code]
        value, note = stored.get(code, (None, ""))
        if code in parsed:
            value = parsed[code]
        if code in notes:
            note = notes[code] or ""
        by_appendix.setdefault(appendix, {})[code] = (value, note)
    # Every precondition before any save, though a refusal would roll the saves back anyway.
    expected = {appendix: _expected(report, versions, appendix) for appendix in by_appendix}
    writer = delegate(by)
    changed = 0
    for appendix, payload in sorted(by_appendix.items(), key=lambda item: item[0].position):
        changed += report_save_values(
            report=report, by=writer, appendix=appendix, values=payload, expected=expected[appendix]
        )
    return changed


def _refused(code, raw, message: str, **extra) -> dict:
    return {"code": code, "value": raw, "message": message, **extra}


@transaction.atomic
def report_table_write(*, report: Report, by: Client, appendix, rows: list, versions: dict) -> None:
    """Replace a table's rows, all or nothing, as the entry page saves a table: each cell read
    by its column's type (ValuesRefused lists each refused cell), blank rows dropped, the total
    row summed, the part's version checked (EditConflict)."""
    columns = {c.code: c for c in appendix.columns.all()}
    errors, parsed = [], []
    limit = settings.XLSX_MAX_ROWS
    if len(rows) > limit:
        raise ValuesRefused(
            [{"row": None, "message": f"Bảng có {len(rows)} dòng, vượt giới hạn {limit} dòng."}]
        )
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            errors.append(
                {"row": number, "message": "Mỗi dòng là một đối tượng {mã cột: giá trị}."}
            )
            continue
        cells = {}
        for code, raw in row.items():
            column = columns.get(code)
            if column is None:
                errors.append(
                    {
                        "row": number,
                        "column": code,
                        "value": raw,
                        "message": f"Bảng không có cột mã “{code}”.",
                    }
                )
                continue
            try:
                cells[code] = from_json(column.value_type, raw, column.choices)
            except ValueParseError as exc:
                errors.append({"row": number, "column": code, "value": raw, "message": exc.message})
        if any(value is not None for value in cells.values()):
            parsed.append({code: cells.get(code) for code in columns})
    if errors:
        raise ValuesRefused(errors)
    report_save_table(
        report=report,
        by=delegate(by),
        appendix=appendix,
        rows=parsed,
        total=column_sums(appendix, parsed) if appendix.has_total_row else None,
        expected=_expected(report, versions, appendix),
    )
