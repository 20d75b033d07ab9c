"""The endpoints of /api/v1/. Each reaches what it names through api.access, reads through
api.selectors, writes through api.services, and is logged (api.Call) whatever it answers."""

import hashlib
import json
import time

from django.conf import settings
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from lib.http import client_ip
from lib.periods import parse_period_code
from org.models import UnitKind
from reports.services import EditConflict, ReportError

from . import selectors
from .access import EDIT, READ, reach, report_for, reports_for, writable_units
from .models import Token
from .national import national_export, period_for, provinces_for
from .rendering import Conflict, ExactJSONEncoder, PreconditionRequired, Unprocessable
from .serializers import (
    ClientSerializer,
    CompilationSerializer,
    ErrorSerializer,
    ExportSerializer,
    HistorySerializer,
    OneTableSerializer,
    PeriodSerializer,
    RefusedSerializer,
    ReportDetailSerializer,
    ReportFilterSerializer,
    ReportSerializer,
    TablesSerializer,
    TableWriteSerializer,
    TableWrittenSerializer,
    TemplateSerializer,
    UnitFilterSerializer,
    UnitSerializer,
    ValuesSerializer,
    ValuesWriteSerializer,
    ValuesWrittenSerializer,
    VersionSerializer,
)
from .services import (
    PreconditionMissing,
    ValuesRefused,
    call_record,
    parse_if_match,
    report_table_write,
    report_values_write,
)

ERRORS = {
    401: OpenApiResponse(ErrorSerializer, "Thiếu mã truy cập, hoặc mã sai, bị thu hồi, hết hạn."),
    404: OpenApiResponse(ErrorSerializer, "Không có, hoặc hệ thống không được biết là có."),
    429: OpenApiResponse(ErrorSerializer, "Gọi quá số lượt mỗi phút của hệ thống."),
}
NOT_MODIFIED = OpenApiResponse(description="Không đổi từ lần đọc có ETag ghi trong If-None-Match.")
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    str,
    OpenApiParameter.HEADER,
    description="ETag của lần đọc trước: trả 304 nếu không có gì thay đổi.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="ETag nhận được khi đọc (phiên bản từng phụ lục): phụ lục nào đã được lưu sau "
    "lần đọc đó thì trả 409, không ghi gì.",
)
REPORT_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="Số hiệu báo cáo (trường id của báo cáo)."
)
TABLE_CODE = OpenApiParameter(
    "code", str, OpenApiParameter.PATH, description="Mã phụ lục kiểu bảng nhiều dòng."
)
WRITE_ERRORS = {
    **ERRORS,
    403: OpenApiResponse(ErrorSerializer, "Được đọc nhưng không được ghi: lý do ghi trong detail."),
    409: OpenApiResponse(ErrorSerializer, "Phần này đã được lưu sau lần đọc; đọc lại rồi ghi."),
    413: OpenApiResponse(ErrorSerializer, "Nội dung quá lớn."),
    422: OpenApiResponse(RefusedSerializer, "Giá trị không hợp lệ; không giá trị nào được ghi."),
    428: OpenApiResponse(ErrorSerializer, "Thiếu If-Match, hoặc If-Match thiếu phụ lục được ghi."),
}


class ApiView(APIView):
    """Every endpoint: the call goes into the log (api.Call) with the client, whatever the
    answer; views that reach a report set `report_id`, writes set `call_detail`."""

    report_id = None
    call_detail = ""

    def initialize_request(self, request, *args, **kwargs):
        self.started = time.perf_counter()
        return super().initialize_request(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        token = request.auth if isinstance(request.auth, Token) else None
        presented = request.headers.get("Authorization", "").partition(" ")[2].strip()
        call_record(
            client=token.client if token else None,
            token_prefix=token.prefix if token else presented,
            method=request.method,
            path=request.get_full_path(),
            status=response.status_code,
            ip_address=client_ip(request),
            report_id=self.report_id,
            detail=self.call_detail or _detail_of(response),
            duration_ms=round((time.perf_counter() - self.started) * 1000),
        )
        return response

    @property
    def client(self):
        return self.request.auth.client

    def reach_report(self, pk, need=READ):
        report = report_for(self.client, pk, need)
        self.report_id = report.pk
        return report


def _detail_of(response) -> str:
    data = getattr(response, "data", None)
    if response.status_code >= 400 and isinstance(data, dict) and "detail" in data:
        return str(data["detail"])
    return ""


def _matches(header: str, etag: str) -> bool:
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return etag in tags or "*" in tags


def conditional(request, etag: str, build) -> Response:
    """304 when If-None-Match names the current ETag, else build()'s data with the ETag."""
    if _matches(request.headers.get("If-None-Match", ""), etag):
        return Response(status=304, headers={"ETag": etag})
    return Response(build(), headers={"ETag": etag})


def content_etag(data) -> str:
    text = json.dumps(data, cls=ExactJSONEncoder, sort_keys=True)
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


class Cursor(CursorPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
    invalid_cursor_message = "Con trỏ trang (cursor) không hợp lệ."
    cursor_query_description = "Con trỏ trang: lấy từ liên kết next hoặc previous của trang trước."
    page_size_query_description = "Số kết quả mỗi trang (mặc định 100, tối đa 500)."


class ListView(ApiView):
    """A cursor-paginated list with an ETag over the page's content."""

    pagination_class = Cursor
    serializer_class = None

    def page(self, queryset):
        paginator = self.pagination_class()
        paginator.ordering = self.ordering
        rows = paginator.paginate_queryset(queryset, self.request, view=self)
        data = paginator.get_paginated_response(self.serializer_class(rows, many=True).data).data
        etag = content_etag(data)
        return conditional(self.request, etag, lambda: data)


def _filters(serializer_class, request) -> dict:
    form = serializer_class(data=request.query_params)
    form.is_valid(raise_exception=True)
    return form.validated_data


# --- the client and reference data -------------------------------------------------------------


class MeView(ApiView):
    @extend_schema(
        tags=["Hệ thống kết nối"],
        operation_id="me",
        summary="Hệ thống đang gọi và quyền của nó",
        responses={200: ClientSerializer, **ERRORS},
    )
    def get(self, request):
        client = self.client
        data = {
            "name": client.name,
            "purpose": client.purpose,
            "scopes": client.scopes,
            "national": client.national,
            "provinces": sorted(p.code for p in client.provinces.all()),
            "units": sorted(u.code for u in client.units.all()),
            "writable_units": sorted(writable_units(client).values_list("code", flat=True)),
            "expires_at": client.expires_at,
            "rate_per_minute": client.rate_per_minute or settings.API_RATE_PER_MINUTE,
        }
        return Response(ClientSerializer(data).data)


class PeriodsView(ApiView):
    @extend_schema(
        tags=["Danh mục"],
        operation_id="periods_list",
        summary="Các kỳ báo cáo",
        responses={200: PeriodSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        return Response(PeriodSerializer(selectors.periods(), many=True).data)


class UnitsView(ListView):
    serializer_class = UnitSerializer
    ordering = "code"

    @extend_schema(
        tags=["Danh mục"],
        operation_id="units_list",
        summary="Các đơn vị hệ thống được đọc",
        description="Đơn vị của các tỉnh (hoặc các đơn vị) hệ thống được cấp quyền, kể cả các "
        "đơn vị đã sáp nhập vào chúng, với thời gian hiệu lực và đơn vị kế thừa.",
        parameters=[UnitFilterSerializer, IF_NONE_MATCH],
        responses={200: UnitSerializer(many=True), 304: NOT_MODIFIED, **ERRORS},
    )
    def get(self, request):
        wanted = _filters(UnitFilterSerializer, request)
        units = selectors.units_for(self.client)
        if "province" in wanted:
            code = wanted["province"]
            units = units.filter(Q(province__code=code) | Q(code=code, kind=UnitKind.PROVINCE))
        if "kind" in wanted:
            units = units.filter(kind=wanted["kind"])
        return self.page(units)


class UnitView(ApiView):
    @extend_schema(
        tags=["Danh mục"],
        operation_id="unit",
        summary="Một đơn vị",
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, description="Mã đơn vị.")],
        responses={200: UnitSerializer, **ERRORS},
    )
    def get(self, request, code):
        unit = selectors.units_for(self.client).filter(code=code).first()
        if unit is None:
            raise NotFound("Không có đơn vị này.")
        return Response(UnitSerializer(unit).data)


class TemplatesView(ApiView):
    @extend_schema(
        tags=["Danh mục"],
        operation_id="templates_list",
        summary="Các mẫu phụ lục và phiên bản đã công bố",
        responses={200: TemplateSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        return Response(TemplateSerializer(selectors.templates_for(self.client), many=True).data)


class VersionView(ApiView):
    @extend_schema(
        tags=["Danh mục"],
        operation_id="template_version",
        summary="Một phiên bản mẫu: phụ lục, chỉ tiêu (mã, đơn vị tính, kiểu), cột, quy tắc",
        parameters=[
            OpenApiParameter("code", str, OpenApiParameter.PATH, description="Mã mẫu phụ lục."),
            OpenApiParameter("number", int, OpenApiParameter.PATH, description="Số phiên bản."),
        ],
        responses={200: VersionSerializer, **ERRORS},
    )
    def get(self, request, code, number):
        version = selectors.version_for(self.client, code, number)
        if version is None:
            raise NotFound("Không có phiên bản mẫu đã công bố này.")
        return Response(VersionSerializer(version).data)


# --- reports -------------------------------------------------------------------------------------


class ReportsView(ListView):
    serializer_class = ReportSerializer
    ordering = ("updated_at", "id")

    @extend_schema(
        tags=["Báo cáo"],
        operation_id="reports_list",
        summary="Các báo cáo hệ thống được đọc",
        description="Báo cáo đã duyệt (báo cáo của tỉnh: đã ký gửi) của các đơn vị hệ thống "
        "được đọc; thêm báo cáo đã gửi chưa duyệt nếu có quyền “submitted”; thêm bản nháp và "
        "báo cáo bị trả lại của các đơn vị được ghi nếu có quyền “write”. Sắp theo thời điểm "
        "sửa (cũ trước), phân trang bằng con trỏ: đọc tiếp theo liên kết “next”.",
        parameters=[ReportFilterSerializer, IF_NONE_MATCH],
        responses={200: ReportSerializer(many=True), 304: NOT_MODIFIED, **ERRORS},
    )
    def get(self, request):
        wanted = _filters(ReportFilterSerializer, request)
        reports = reports_for(self.client)
        if "province" in wanted:
            code = wanted["province"]
            reports = reports.filter(
                Q(unit__province__code=code) | Q(unit__code=code, unit__kind=UnitKind.PROVINCE)
            )
        if "unit" in wanted:
            reports = reports.filter(unit__code=wanted["unit"])
        if "period" in wanted:
            try:
                kind, year = parse_period_code(wanted["period"])
            except ValueError as exc:
                raise ValidationError({"period": [str(exc)]}) from exc
            reports = reports.filter(period__kind=kind, period__year=year)
        if "kind" in wanted:
            reports = reports.filter(kind__code=wanted["kind"])
        if wanted.get("state"):
            reports = reports.filter(state__in=wanted["state"])
        if "updated_since" in wanted:
            reports = reports.filter(updated_at__gte=wanted["updated_since"])
        return self.page(reports)


class ReportView(ApiView):
    @extend_schema(
        tags=["Báo cáo"],
        operation_id="report",
        summary="Một báo cáo",
        parameters=[REPORT_ID, IF_NONE_MATCH],
        responses={200: ReportDetailSerializer, 304: NOT_MODIFIED, **ERRORS},
    )
    def get(self, request, pk):
        report = self.reach_report(pk)
        return conditional(
            request, selectors.report_etag(report), lambda: ReportDetailSerializer(report).data
        )


def _if_match(request) -> dict:
    header = request.headers.get("If-Match", "")
    versions = parse_if_match(header) if header else None
    if versions is None:
        raise PreconditionRequired(
            "Thiếu tiêu đề If-Match (hoặc không đúng dạng): gửi lại ETag nhận được khi đọc."
        )
    return versions


def _conflict(etag: str) -> Conflict:
    return Conflict(
        {
            "detail": "Phần này đã được lưu (trên trang nhập liệu hoặc qua API) sau lần đọc mà "
            "If-Match ghi lại; không giá trị nào được ghi. Đọc lại rồi ghi lại.",
            "etag": etag,
        }
    )


class ValuesView(ApiView):
    @extend_schema(
        tags=["Báo cáo"],
        operation_id="report_values",
        summary="Giá trị các chỉ tiêu của báo cáo, theo mã",
        parameters=[REPORT_ID, IF_NONE_MATCH],
        responses={200: ValuesSerializer, 304: NOT_MODIFIED, **ERRORS},
    )
    def get(self, request, pk):
        report = self.reach_report(pk)
        return conditional(request, selectors.values_etag(report), lambda: self._values(report))

    @staticmethod
    def _values(report) -> dict:
        return {"report": report.pk, "state": report.state, **selectors.report_values(report)}

    @extend_schema(
        tags=["Ghi số liệu"],
        operation_id="report_values_write",
        summary="Ghi giá trị chỉ tiêu vào báo cáo đang soạn",
        description="Ghi theo mã chỉ tiêu, tất cả hoặc không gì cả: mỗi giá trị được đọc và "
        "kiểm tra như trên trang nhập liệu; một giá trị sai thì trả 422 liệt kê mọi giá trị "
        "bị từ chối kèm lý do, không ghi gì. Lịch sử báo cáo ghi tên hệ thống là người sửa.",
        parameters=[REPORT_ID, IF_MATCH],
        request=ValuesWriteSerializer,
        responses={200: ValuesWrittenSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, pk):
        report = self.reach_report(pk, EDIT)
        body = ValuesWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            changed = report_values_write(
                report=report,
                by=self.client,
                values=body.validated_data["values"],
                notes=body.validated_data["notes"],
                versions=_if_match(request),
            )
        except ValuesRefused as exc:
            raise Unprocessable(
                f"{len(exc.errors)} giá trị không hợp lệ; không giá trị nào được ghi.", exc.errors
            ) from exc
        except PreconditionMissing as exc:
            raise PreconditionRequired(str(exc)) from exc
        except EditConflict as exc:
            report.refresh_from_db()
            raise _conflict(selectors.values_etag(report)) from exc
        except ReportError as exc:
            raise PermissionDenied(str(exc)) from exc
        report.refresh_from_db()
        self.call_detail = f"ghi {changed} chỉ tiêu"
        data = {
            **self._values(report),
            "changed": changed,
            "violations": selectors.report_violations(report),
        }
        return Response(
            ValuesWrittenSerializer(data).data, headers={"ETag": selectors.values_etag(report)}
        )


class TablesView(ApiView):
    @extend_schema(
        tags=["Báo cáo"],
        operation_id="report_tables",
        summary="Các bảng nhiều dòng của báo cáo",
        parameters=[REPORT_ID, IF_NONE_MATCH],
        responses={200: TablesSerializer, 304: NOT_MODIFIED, **ERRORS},
    )
    def get(self, request, pk):
        report = self.reach_report(pk)
        return conditional(
            request,
            selectors.tables_etag(report),
            lambda: {
                "report": report.pk,
                "state": report.state,
                "tables": selectors.report_tables(report),
            },
        )


class TableView(ApiView):
    def _table(self, pk, need):
        report = self.reach_report(pk, need)
        appendix = selectors.table_appendix(report, self.kwargs["code"])
        if appendix is None:
            raise NotFound("Báo cáo không có bảng nhiều dòng mã này.")
        return report, appendix

    @staticmethod
    def _data(report, appendix) -> dict:
        return {
            "report": report.pk,
            "state": report.state,
            "table": appendix.code,
            **selectors.report_table(report, appendix),
        }

    @extend_schema(
        tags=["Báo cáo"],
        operation_id="report_table",
        summary="Một bảng nhiều dòng của báo cáo",
        parameters=[REPORT_ID, TABLE_CODE, IF_NONE_MATCH],
        responses={200: OneTableSerializer, 304: NOT_MODIFIED, **ERRORS},
    )
    def get(self, request, pk, code):
        report, appendix = self._table(pk, READ)
        return conditional(
            request, selectors.table_etag(report, appendix), lambda: self._data(report, appendix)
        )

    @extend_schema(
        tags=["Ghi số liệu"],
        operation_id="report_table_write",
        summary="Thay toàn bộ các dòng của một bảng trong báo cáo đang soạn",
        description="Các dòng theo mã cột, tất cả hoặc không gì cả, như khi lưu bảng trên trang "
        "nhập liệu: ô sai thì trả 422 liệt kê mọi ô bị từ chối (dòng, cột, lý do).",
        parameters=[REPORT_ID, TABLE_CODE, IF_MATCH],
        request=TableWriteSerializer,
        responses={200: TableWrittenSerializer, **WRITE_ERRORS},
    )
    def put(self, request, pk, code):
        report, appendix = self._table(pk, EDIT)
        body = TableWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rows = body.validated_data["rows"]
        try:
            report_table_write(
                report=report,
                by=self.client,
                appendix=appendix,
                rows=rows,
                versions=_if_match(request),
            )
        except ValuesRefused as exc:
            raise Unprocessable(
                f"{len(exc.errors)} ô không hợp lệ; bảng không được ghi.", exc.errors
            ) from exc
        except PreconditionMissing as exc:
            raise PreconditionRequired(str(exc)) from exc
        except EditConflict as exc:
            report.refresh_from_db()
            raise _conflict(selectors.table_etag(report, appendix)) from exc
        except ReportError as exc:
            raise PermissionDenied(str(exc)) from exc
        report.refresh_from_db()
        self.call_detail = f"ghi bảng {appendix.code}: {len(rows)} dòng"
        data = {**self._data(report, appendix), "violations": selectors.report_violations(report)}
        return Response(
            TableWrittenSerializer(data).data,
            headers={"ETag": selectors.table_etag(report, appendix)},
        )


class HistoryView(ApiView):
    @extend_schema(
        tags=["Báo cáo"],
        operation_id="report_history",
        summary="Lịch sử trạng thái của báo cáo",
        parameters=[REPORT_ID],
        responses={200: HistorySerializer, **ERRORS},
    )
    def get(self, request, pk):
        report = self.reach_report(pk)
        data = {"report": report.pk, "changes": selectors.report_history(report)}
        return Response(HistorySerializer(data).data)


class CompilationView(ApiView):
    @extend_schema(
        tags=["Báo cáo"],
        operation_id="report_compilation",
        summary="Báo cáo của tỉnh: giá trị tổng hợp và báo cáo các sở, ngành làm nên mỗi giá trị",
        description="Chỉ với báo cáo của tỉnh (loại cchc-tinh) đã được tổng hợp.",
        parameters=[REPORT_ID],
        responses={200: CompilationSerializer, **ERRORS},
    )
    def get(self, request, pk):
        report = self.reach_report(pk)
        data = selectors.report_compilation(report, reports_for(self.client))
        if data is None:
            raise NotFound("Báo cáo này không phải báo cáo tổng hợp của tỉnh.")
        return Response(CompilationSerializer(data).data)


class ExportView(ApiView):
    @extend_schema(
        tags=["Xuất dữ liệu toàn quốc"],
        operation_id="national_export",
        summary="Số liệu đã duyệt của kỳ, mọi tỉnh hệ thống được đọc, một định dạng ổn định",
        description="Mỗi tỉnh: báo cáo của tỉnh đã ký gửi (giá trị, và với mỗi giá trị tổng "
        "hợp: các chỉ tiêu đọc và các báo cáo được tổng hợp), rồi từng đơn vị với báo cáo đã "
        "duyệt của nó. Cùng định dạng với manage.py export_national.",
        parameters=[
            OpenApiParameter(
                "period", str, OpenApiParameter.PATH, description="Mã kỳ, ví dụ 2021-Y, 2022-H1."
            ),
            IF_NONE_MATCH,
        ],
        responses={200: ExportSerializer, 304: NOT_MODIFIED, **ERRORS},
    )
    def get(self, request, period):
        found = _period(period)
        client = self.client
        data = national_export(
            period=found,
            provinces=provinces_for(client),
            units=None if client.national or not client.units.exists() else reach(client),
            readable=reports_for(client),
        )
        self.call_detail = f"xuất {len(data['provinces'])} tỉnh"
        data = ExportSerializer(data).data
        stable = {**data, "generated_at": None}
        return conditional(request, content_etag(stable), lambda: data)


def _period(code: str):
    try:
        period = period_for(code)
    except ValueError as exc:
        raise ValidationError({"period": [str(exc)]}) from exc
    if period is None:
        raise NotFound(f"Không có kỳ báo cáo {code}.")
    return period


# --- documentation ---------------------------------------------------------------------------


@require_safe
def index(request):
    """Where things are; no data, no token needed."""
    return JsonResponse(
        {
            "version": "v1",
            "schema": request.build_absolute_uri(reverse("api:schema")),
            "docs": request.build_absolute_uri(reverse("api:docs")),
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
def docs(request):
    """The browsable documentation (Swagger UI, served from our own static files)."""
    return render(request, "api/docs.html", {"schema_url": reverse("api:schema")})
