"""The shapes the API answers and accepts; the OpenAPI schema (docs/api/openapi.json) is
generated from them, so every description here is what the documentation page shows."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indicators.models import AppendixKind, Severity
from indicators.types import ValueType
from lib.periods import PeriodKind
from org.models import UnitKind
from reports.models import ReportState

TYPED_VALUE_SCHEMA = {
    "description": (
        "Giá trị có kiểu: số là số JSON (74.72, không phải chuỗi), “/” là không áp dụng, "
        "ngày dạng yyyy-mm-dd, văn bản dẫn chiếu là đối tượng {kind, number, date}, ô đánh "
        "dấu là true. Ô trống không có trong kết quả; khi ghi, null xóa giá trị."
    ),
    "oneOf": [
        {"type": "number"},
        {"type": "string"},
        {"type": "boolean"},
        {
            "type": "object",
            "properties": {
                "kind": {"type": "string", "example": "Kế hoạch"},
                "number": {"type": "string", "example": "01/KH-SKHCN"},
                "date": {"type": "string", "format": "date", "nullable": True},
            },
            "required": ["kind"],
        },
    ],
    "nullable": True,
}


@extend_schema_field(TYPED_VALUE_SCHEMA)
class TypedValueField(serializers.Field):
    """A value as api.values writes it; passed through unchanged (Decimals stay exact)."""

    def to_representation(self, value):
        return value

    def to_internal_value(self, data):
        return data


class NoteField(serializers.CharField):
    """A note as sent: anything but a string is refused with the other values (422), not
    turned into one."""

    def to_internal_value(self, data):
        return data


def typed_map(help_text: str, **kwargs):
    return serializers.DictField(
        child=TypedValueField(allow_null=True), help_text=help_text, **kwargs
    )


# --- reference data --------------------------------------------------------------------------


class ClientSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Tên hệ thống kết nối.")
    purpose = serializers.CharField(help_text="Mục đích kết nối.")
    scopes = serializers.ListField(
        child=serializers.ChoiceField(
            [
                ("read", "đọc báo cáo đã duyệt"),
                ("submitted", "đọc cả báo cáo đã gửi, chưa duyệt"),
                ("write", "ghi số liệu vào báo cáo đang soạn"),
            ]
        ),
        help_text="read: đọc báo cáo đã duyệt; submitted: đọc cả báo cáo đã gửi, chưa duyệt; "
        "write: ghi số liệu vào báo cáo đang soạn hoặc bị trả lại.",
    )
    national = serializers.BooleanField(help_text="Đọc được mọi tỉnh.")
    provinces = serializers.ListField(child=serializers.CharField(), help_text="Mã các tỉnh.")
    units = serializers.ListField(
        child=serializers.CharField(), help_text="Mã các đơn vị (trống: mọi đơn vị của tỉnh)."
    )
    writable_units = serializers.ListField(
        child=serializers.CharField(), help_text="Mã các đơn vị được ghi số liệu."
    )
    expires_at = serializers.DateTimeField(help_text="Mã truy cập hết hạn lúc.")
    rate_per_minute = serializers.IntegerField(help_text="Số lượt gọi tối đa mỗi phút.")


class PeriodSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Mã kỳ: NĂM-LOẠI, ví dụ 2021-Y, 2022-H1.")
    kind = serializers.ChoiceField(PeriodKind.choices, help_text="Loại kỳ.")
    year = serializers.IntegerField(help_text="Năm.")
    label = serializers.CharField(help_text="Tên kỳ, ví dụ “6 tháng đầu năm 2022”.")
    window_start = serializers.DateField(help_text="Số liệu tính từ ngày.")
    window_end = serializers.DateField(help_text="Số liệu tính đến ngày.")
    deadline = serializers.DateField(help_text="Hạn gửi báo cáo.")
    is_open = serializers.BooleanField(help_text="Kỳ đang mở cho lập báo cáo mới.")


class UnitSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Mã đơn vị.")
    name = serializers.CharField(help_text="Tên đơn vị.")
    short_name = serializers.CharField(help_text="Tên viết tắt.")
    kind = serializers.ChoiceField(UnitKind.choices, help_text="Loại đơn vị.")
    province = serializers.CharField(
        source="province.code",
        allow_null=True,
        help_text="Mã tỉnh của đơn vị (null với chính tỉnh).",
    )
    parent = serializers.CharField(
        source="parent.code", allow_null=True, help_text="Mã cơ quan cấp trên."
    )
    valid_from = serializers.DateField(
        allow_null=True, help_text="Hiệu lực từ ngày (null: từ đầu)."
    )
    valid_to = serializers.DateField(
        allow_null=True, help_text="Hiệu lực đến ngày (null: đang hoạt động)."
    )
    successor = serializers.CharField(
        source="successor.code",
        allow_null=True,
        help_text="Mã đơn vị kế thừa khi đơn vị đã sáp nhập, đổi tên (null: không có).",
    )
    is_home_affairs = serializers.BooleanField(help_text="Là Sở Nội vụ (cơ quan thẩm định).")


class VersionSummarySerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="Số phiên bản.")
    applies_from = serializers.DateField(help_text="Áp dụng cho kỳ kết thúc từ ngày này.")
    published_at = serializers.DateTimeField(help_text="Công bố lúc.")


class TemplateSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Mã mẫu phụ lục.")
    title = serializers.CharField(help_text="Tiêu đề.")
    period_kinds = serializers.ListField(
        child=serializers.CharField(), help_text="Loại kỳ dùng mẫu."
    )
    report_kinds = serializers.ListField(
        child=serializers.CharField(), help_text="Loại báo cáo dùng mẫu."
    )
    province = serializers.CharField(
        source="province.code",
        allow_null=True,
        help_text="Mã tỉnh riêng của mẫu (null: dùng chung).",
    )
    versions = VersionSummarySerializer(
        many=True, source="published", help_text="Các phiên bản đã công bố."
    )


class ChoiceSerializer(serializers.Serializer):
    code = serializers.IntegerField(help_text="Mã lựa chọn (giá trị ghi vào báo cáo).")
    label = serializers.CharField(help_text="Nhãn.")

    def to_representation(self, instance):
        code, label = instance
        return {"code": code, "label": label}


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Mã chỉ tiêu (trống với dòng tiêu đề).")
    stt = serializers.CharField(help_text="Số thứ tự in trên phụ lục.")
    label = serializers.CharField(help_text="Tên chỉ tiêu.")
    unit = serializers.CharField(help_text="Đơn vị tính.")
    value_type = serializers.ChoiceField(ValueType.choices, help_text="Kiểu giá trị.")
    choices = ChoiceSerializer(many=True, help_text="Danh sách mã (kiểu lựa chọn).")
    required = serializers.BooleanField(help_text="Bắt buộc.")
    level = serializers.IntegerField(help_text="Cấp thụt lề.")


class ColumnSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Mã cột.")
    header = serializers.CharField(help_text="Tiêu đề cột.")
    group = serializers.CharField(help_text="Nhóm tiêu đề phía trên.")
    number = serializers.CharField(help_text="Số cột in trên bảng, ví dụ (2).")
    value_type = serializers.ChoiceField(ValueType.choices, help_text="Kiểu giá trị.")
    choices = ChoiceSerializer(many=True, help_text="Danh sách mã (kiểu lựa chọn).")
    required = serializers.BooleanField(help_text="Bắt buộc.")


class AppendixSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Mã phụ lục.")
    name = serializers.CharField(help_text="Tên in, ví dụ “Phụ lục II”.")
    title = serializers.CharField(help_text="Tiêu đề.")
    kind = serializers.ChoiceField(AppendixKind.choices, help_text="Loại phụ lục.")
    has_total_row = serializers.BooleanField(help_text="Bảng có dòng tổng cộng (tự cộng).")
    indicators = IndicatorSerializer(many=True, help_text="Các dòng của bảng chỉ tiêu.")
    columns = ColumnSerializer(many=True, help_text="Các cột của bảng nhiều dòng.")


class RuleSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Mã quy tắc kiểm tra.")
    severity = serializers.ChoiceField(Severity.choices, help_text="Mức độ.")
    expression = serializers.CharField(help_text="Biểu thức (docs/rules.md).")
    message = serializers.CharField(help_text="Thông báo khi vi phạm.")


class VersionSerializer(serializers.Serializer):
    template = serializers.CharField(source="template.code", help_text="Mã mẫu.")
    number = serializers.IntegerField(help_text="Số phiên bản.")
    applies_from = serializers.DateField(help_text="Áp dụng từ ngày.")
    published_at = serializers.DateTimeField(help_text="Công bố lúc.")
    appendices = AppendixSerializer(many=True, help_text="Các phụ lục.")
    rules = RuleSerializer(many=True, help_text="Các quy tắc kiểm tra.")


# --- reports ---------------------------------------------------------------------------------


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Số hiệu báo cáo trong cổng.")
    unit = serializers.CharField(source="unit.code", help_text="Mã đơn vị lập báo cáo.")
    unit_name = serializers.CharField(source="unit.name", help_text="Tên đơn vị.")
    province = serializers.SerializerMethodField(help_text="Mã tỉnh của đơn vị.")
    period = serializers.CharField(source="period.code", help_text="Mã kỳ báo cáo.")
    kind = serializers.CharField(source="kind.code", help_text="Mã loại báo cáo.")
    revision = serializers.IntegerField(
        help_text="Lần lập (tăng khi báo cáo đã duyệt được mở lại)."
    )
    state = serializers.ChoiceField(ReportState.choices, help_text="Trạng thái.")
    template = serializers.CharField(
        source="template_version.template.code", help_text="Mã mẫu phụ lục."
    )
    template_version = serializers.IntegerField(
        source="template_version.number", help_text="Phiên bản mẫu."
    )
    updated_at = serializers.DateTimeField(help_text="Sửa lần cuối lúc (nội dung hoặc trạng thái).")
    submitted_at = serializers.DateTimeField(allow_null=True, help_text="Gửi lúc.")
    approved_at = serializers.DateTimeField(allow_null=True, help_text="Duyệt lúc.")

    def get_province(self, report) -> str:
        return (report.unit.province or report.unit).code


class ReportDetailSerializer(ReportSerializer):
    title = serializers.CharField(help_text="Trích yếu.")
    number = serializers.CharField(help_text="Số văn bản.")
    symbol = serializers.CharField(help_text="Ký hiệu văn bản.")
    issued_on = serializers.DateField(allow_null=True, help_text="Ngày ban hành.")
    issuing_body = serializers.CharField(help_text="Cơ quan ban hành.")
    signer_name = serializers.CharField(help_text="Người ký.")
    part_versions = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Phiên bản từng phần (“appendix:<mã>”), tăng mỗi lần phần đó được lưu.",
    )


class ViolationSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="Mã quy tắc (hoặc kiểm tra sẵn có).")
    severity = serializers.ChoiceField(
        [*Severity.choices, ("notice", "Ghi chú: quy tắc chưa kiểm tra được")], help_text="Mức độ."
    )
    message = serializers.CharField(help_text="Thông báo của quy tắc.")
    text = serializers.CharField(help_text="Thông báo đầy đủ kèm số liệu, như trên trang báo cáo.")
    where = serializers.CharField(help_text="Dòng bảng mà quy tắc nói tới.")
    evidence = serializers.ListField(child=serializers.DictField(), help_text="Số liệu đã đọc.")
    indicators = serializers.ListField(child=serializers.CharField(), help_text="Mã chỉ tiêu.")
    cells = serializers.ListField(child=serializers.DictField(), help_text="Các ô bảng.")
    row = serializers.JSONField(allow_null=True, help_text="Dòng (quy tắc theo dòng).")
    values = serializers.DictField(help_text="Giá trị đã đọc, theo mã.")


class ValuesSerializer(serializers.Serializer):
    report = serializers.IntegerField(help_text="Số hiệu báo cáo.")
    state = serializers.ChoiceField(ReportState.choices, help_text="Trạng thái báo cáo.")
    values = typed_map("Giá trị theo mã chỉ tiêu.")
    notes = serializers.DictField(
        child=serializers.CharField(), help_text="Ghi chú theo mã chỉ tiêu."
    )


class ValuesWriteSerializer(serializers.Serializer):
    values = typed_map(
        "Giá trị cần ghi, theo mã chỉ tiêu; null xóa giá trị. Mã không nêu giữ nguyên.",
        required=False,
        default=dict,
    )
    notes = serializers.DictField(
        child=NoteField(allow_blank=True, allow_null=True),
        required=False,
        default=dict,
        help_text="Ghi chú cần ghi, theo mã chỉ tiêu; chuỗi rỗng xóa ghi chú.",
    )


class ValuesWrittenSerializer(ValuesSerializer):
    changed = serializers.IntegerField(help_text="Số chỉ tiêu đã thay đổi.")
    violations = ViolationSerializer(many=True, help_text="Kết quả kiểm tra báo cáo sau khi ghi.")


class TableSerializer(serializers.Serializer):
    rows = serializers.ListField(
        child=typed_map("Một dòng: giá trị theo mã cột."), help_text="Các dòng."
    )
    total = typed_map("Dòng tổng cộng (null: bảng không có).", allow_null=True)


class TablesSerializer(serializers.Serializer):
    report = serializers.IntegerField(help_text="Số hiệu báo cáo.")
    state = serializers.ChoiceField(ReportState.choices, help_text="Trạng thái báo cáo.")
    tables = serializers.DictField(child=TableSerializer(), help_text="Các bảng, theo mã phụ lục.")


class OneTableSerializer(TableSerializer):
    report = serializers.IntegerField(help_text="Số hiệu báo cáo.")
    state = serializers.ChoiceField(ReportState.choices, help_text="Trạng thái báo cáo.")
    table = serializers.CharField(help_text="Mã phụ lục.")


class TableWriteSerializer(serializers.Serializer):
    rows = serializers.ListField(
        child=typed_map("Một dòng: giá trị theo mã cột."),
        help_text="Toàn bộ các dòng mới của bảng, theo thứ tự; dòng trống bị bỏ; dòng tổng "
        "cộng tự cộng lại.",
    )


class TableWrittenSerializer(OneTableSerializer):
    violations = ViolationSerializer(many=True, help_text="Kết quả kiểm tra báo cáo sau khi ghi.")


class StateChangeSerializer(serializers.Serializer):
    at = serializers.DateTimeField(help_text="Lúc.")
    from_state = serializers.ChoiceField(ReportState.choices, help_text="Từ trạng thái.")
    to_state = serializers.ChoiceField(ReportState.choices, help_text="Sang trạng thái.")
    by = serializers.CharField(help_text="Người (hoặc hệ thống) chuyển.")
    by_system = serializers.BooleanField(help_text="Do một hệ thống kết nối thực hiện.")
    comment = serializers.CharField(help_text="Ghi chú, lý do trả lại.")


class HistorySerializer(serializers.Serializer):
    report = serializers.IntegerField(help_text="Số hiệu báo cáo.")
    changes = StateChangeSerializer(many=True, help_text="Các lần chuyển trạng thái, cũ trước.")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Lý do, bằng tiếng Việt.")


class RefusedValueSerializer(serializers.Serializer):
    code = serializers.CharField(required=False, help_text="Mã chỉ tiêu.")
    row = serializers.IntegerField(required=False, allow_null=True, help_text="Dòng bảng (từ 1).")
    column = serializers.CharField(required=False, help_text="Mã cột.")
    field = serializers.CharField(required=False, help_text="“note” khi ghi chú bị từ chối.")
    value = TypedValueField(required=False, help_text="Giá trị đã gửi.")
    message = serializers.CharField(help_text="Lý do, bằng tiếng Việt.")


class RefusedSerializer(ErrorSerializer):
    errors = RefusedValueSerializer(many=True, help_text="Mọi giá trị bị từ chối.")


# --- query parameters ------------------------------------------------------------------------


class ReportFilterSerializer(serializers.Serializer):
    province = serializers.CharField(required=False, help_text="Mã tỉnh.")
    unit = serializers.CharField(required=False, help_text="Mã đơn vị.")
    period = serializers.CharField(required=False, help_text="Mã kỳ, ví dụ 2021-Y.")
    kind = serializers.CharField(required=False, help_text="Mã loại báo cáo, ví dụ cchc.")
    state = serializers.MultipleChoiceField(
        choices=ReportState.choices, required=False, help_text="Trạng thái (lặp lại để chọn nhiều)."
    )
    updated_since = serializers.DateTimeField(
        required=False,
        help_text="Chỉ báo cáo sửa từ lúc này (ISO 8601, ví dụ 2026-01-31T08:00:00+07:00).",
    )


class UnitFilterSerializer(serializers.Serializer):
    province = serializers.CharField(required=False, help_text="Mã tỉnh.")
    kind = serializers.ChoiceField(UnitKind.choices, required=False, help_text="Loại đơn vị.")


# --- the province's compiled report and the national export ---------------------------------


class BreakdownRowSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="Mã đơn vị.")
    unit_name = serializers.CharField(help_text="Tên đơn vị.")
    report = serializers.IntegerField(help_text="Số hiệu báo cáo của đơn vị được tổng hợp.")
    revision = serializers.IntegerField(help_text="Lần lập của báo cáo đó.")
    values = typed_map("Giá trị các chỉ tiêu mà biểu thức tổng hợp đọc, theo mã.")


class CompiledSerializer(serializers.Serializer):
    """A compiled value of the province's report, as its compilation and the export give it."""

    value = TypedValueField(allow_null=True, help_text="Giá trị trong báo cáo của tỉnh.")
    overridden = serializers.BooleanField(help_text="Sở Nội vụ đã sửa tay giá trị tổng hợp.")
    override_note = serializers.CharField(help_text="Lý do sửa tay.")
    reads = serializers.ListField(
        child=serializers.CharField(), help_text="Mã các chỉ tiêu của sở, ngành mà biểu thức đọc."
    )


class CompiledValueSerializer(CompiledSerializer):
    breakdown = BreakdownRowSerializer(
        many=True, help_text="Từng báo cáo được tổng hợp và giá trị đã đọc của nó."
    )
    hidden = serializers.IntegerField(
        help_text="Số báo cáo được tổng hợp mà hệ thống không được đọc (không liệt kê)."
    )


class SourceSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="Mã đơn vị.")
    unit_name = serializers.CharField(help_text="Tên đơn vị.")
    report = serializers.IntegerField(allow_null=True, help_text="Báo cáo được tổng hợp.")
    revision = serializers.IntegerField(allow_null=True, help_text="Lần lập.")
    state = serializers.ChoiceField(
        ReportState.choices, allow_null=True, help_text="Trạng thái khi tổng hợp."
    )
    counted = serializers.BooleanField(help_text="Báo cáo của đơn vị được tổng hợp.")


class CompilationSerializer(serializers.Serializer):
    report = serializers.IntegerField(help_text="Số hiệu báo cáo của tỉnh.")
    province = serializers.CharField(help_text="Mã tỉnh.")
    period = serializers.CharField(help_text="Mã kỳ.")
    state = serializers.ChoiceField(ReportState.choices, help_text="Trạng thái báo cáo của tỉnh.")
    compiled_at = serializers.DateTimeField(help_text="Tổng hợp lúc.")
    include_submitted = serializers.BooleanField(
        help_text="Đã tổng hợp cả báo cáo đã gửi, chưa duyệt."
    )
    sources = SourceSerializer(many=True, help_text="Mọi đơn vị của tỉnh và báo cáo được tổng hợp.")
    values = serializers.DictField(
        child=CompiledValueSerializer(), help_text="Các giá trị tổng hợp, theo mã chỉ tiêu."
    )


class ExportReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Số hiệu báo cáo trong cổng.")
    revision = serializers.IntegerField(help_text="Lần lập.")
    state = serializers.ChoiceField(ReportState.choices, help_text="approved hoặc signed.")
    number = serializers.CharField(help_text="Số, ký hiệu văn bản.")
    issued_on = serializers.DateField(allow_null=True, help_text="Ngày ban hành.")
    approved_at = serializers.DateTimeField(allow_null=True, help_text="Duyệt lúc.")
    template = serializers.CharField(help_text="Mã mẫu phụ lục.")
    template_version = serializers.IntegerField(help_text="Phiên bản mẫu.")
    values = typed_map("Giá trị theo mã chỉ tiêu.")


class ExportCompiledSerializer(CompiledSerializer):
    reports = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Số hiệu các báo cáo được tổng hợp (tìm trong units[].report.id).",
    )


class ExportProvinceReportSerializer(ExportReportSerializer):
    compiled = serializers.DictField(
        child=ExportCompiledSerializer(), help_text="Các giá trị tổng hợp, theo mã chỉ tiêu."
    )


class ExportUnitSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Mã đơn vị.")
    name = serializers.CharField(help_text="Tên đơn vị.")
    kind = serializers.ChoiceField(UnitKind.choices, help_text="Loại đơn vị.")
    report = ExportReportSerializer(
        allow_null=True, help_text="Báo cáo đã duyệt (lần lập mới nhất); null nếu chưa có."
    )


class ExportProvinceSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Mã tỉnh.")
    name = serializers.CharField(help_text="Tên tỉnh.")
    valid_from = serializers.DateField(allow_null=True, help_text="Hiệu lực từ ngày.")
    valid_to = serializers.DateField(allow_null=True, help_text="Hiệu lực đến ngày.")
    successor = serializers.CharField(allow_null=True, help_text="Mã tỉnh kế thừa.")
    report = ExportProvinceReportSerializer(
        allow_null=True, help_text="Báo cáo của tỉnh đã ký gửi; null nếu chưa."
    )
    units = ExportUnitSerializer(many=True, help_text="Các đơn vị báo cáo của tỉnh trong kỳ.")


class ExportPeriodSerializer(PeriodSerializer):
    is_open = None
    deadline = None


class ExportSerializer(serializers.Serializer):
    format = serializers.ChoiceField(
        [("cchc-national-export", "Xuất dữ liệu toàn quốc của cổng báo cáo CCHC")],
        help_text="Tên định dạng.",
    )
    format_version = serializers.IntegerField(
        help_text="Phiên bản định dạng: chỉ tăng khi đổi nghĩa hoặc bỏ trường; trường mới có "
        "thể thêm mà không tăng."
    )
    generated_at = serializers.DateTimeField(help_text="Xuất lúc.")
    period = ExportPeriodSerializer(help_text="Kỳ báo cáo.")
    provinces = ExportProvinceSerializer(many=True, help_text="Các tỉnh, theo mã.")
