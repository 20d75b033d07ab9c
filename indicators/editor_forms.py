"""Forms for configuring templates in the portal: creating, uploading, metadata, and the
line-per-item formsets that edit an appendix's rows or columns, the outline and the rules.

Line forms accept whatever is typed (only lengths and numbers are checked here); the structure is
checked with the whole version by the services, like an imported file, and the problems are shown
next to the lines they concern.
"""

from django import forms
from django.forms.renderers import Jinja2 as Jinja2Renderer
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from lib.periods import PeriodKind
from lib.text import XmlSafeCharField
from org.models import Unit

from .models import (
    Appendix,
    AppendixKind,
    Column,
    Indicator,
    IndicatorTemplate,
    MissingPolicy,
    OutlineSection,
    ReportKind,
    Rule,
    Severity,
    Timing,
    machine_code_validator,
    template_code_validator,
)
from .types import ValueType
from .values import ValueParseError, parse_value

SMALL = "form-control form-control-sm"
SMALL_SELECT = "form-select form-select-sm"
PERIOD_KIND_CHOICES = [(k.value, format_lazy("{} – {}", k.value, k.label)) for k in PeriodKind]
ROW_TYPE_CHOICES = [("", "—")] + [(t.value, t.label) for t in ValueType if t != ValueType.MARK]
COLUMN_TYPE_CHOICES = [("", "—")] + [
    (t.value, t.label) for t in ValueType if t != ValueType.HEADING
]


# An indicator's "/" setting; blank: "/" only for an optional indicator.
NOT_APPLICABLE_CHOICES = [
    ("", _("Mặc định")),
    ("co", _("Có")),
    ("khong", _("Không")),
]


def not_applicable_initial(setting: bool | None) -> str:
    return "" if setting is None else ("co" if setting else "khong")


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _text(model, name, label, *, width="", **attrs):
    """An optional text field as long as the model's column allows, for a line of a table."""
    attrs = {"class": SMALL, "aria-label": label, **attrs}
    if width:
        attrs["class"] += f" min-w-{width}"
    return XmlSafeCharField(
        label=label,
        required=False,
        max_length=_max_length(model, name),
        widget=forms.TextInput(attrs=attrs),
    )


def _long_text(label, *, rows=1, width="", max_length=None):
    attrs = {"class": SMALL, "rows": rows, "aria-label": label}
    if width:
        attrs["class"] += f" min-w-{width}"
    return XmlSafeCharField(
        label=label, required=False, max_length=max_length, widget=forms.Textarea(attrs=attrs)
    )


def _select(label, choices):
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=choices,
        widget=forms.Select(attrs={"class": f"{SMALL_SELECT} min-w-9rem", "aria-label": label}),
    )


def _check(label):
    return forms.BooleanField(
        label=label,
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input", "aria-label": label}),
    )


def _level(label, max_value):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=max_value,
        widget=forms.NumberInput(
            attrs={"class": f"{SMALL} col-w-4rem", "aria-label": label, "data-level": ""}
        ),
    )


# --- templates and versions ------------------------------------------------------------------


class VersionMetaForm(forms.Form):
    title = XmlSafeCharField(label=_("Tiêu đề"), max_length=_max_length(IndicatorTemplate, "title"))
    period_kinds = forms.MultipleChoiceField(
        label=_("Loại kỳ áp dụng"),
        choices=PERIOD_KIND_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    report_kinds = forms.MultipleChoiceField(
        label=_("Loại báo cáo dùng mẫu"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Không chọn: báo cáo kết quả thực hiện công tác CCHC."),
    )
    applies_from = forms.DateField(label=_("Áp dụng từ ngày"), help_text=_("dd/mm/yyyy"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("report_kinds", [ReportKind.DEFAULT_CODE])
        super().__init__(*args, **kwargs)
        self.fields["report_kinds"].choices = list(ReportKind.objects.values_list("code", "name"))

    def clean_report_kinds(self):
        return self.cleaned_data["report_kinds"] or [ReportKind.DEFAULT_CODE]


class VersionEditForm(VersionMetaForm):
    """A draft's metadata, with what only a version has besides its start date."""

    outlier_factor = forms.CharField(
        label=_("Hệ số thay đổi bất thường"),
        required=False,
        help_text=_(
            "Ví dụ 3: số liệu gấp hơn 3 lần hoặc chỉ còn dưới 1/3 so với kỳ trước được đánh "
            "dấu để đơn vị ghi chú lý do (không phải lỗi). Để trống: giữ như cũ."
        ),
    )

    def clean_outlier_factor(self):
        """The factor, or None (unchanged)."""
        try:
            return parse_value(ValueType.DECIMAL, self.cleaned_data["outlier_factor"])
        except ValueParseError as exc:
            raise forms.ValidationError(exc.message) from exc


class TemplateCreateForm(VersionMetaForm):
    code = XmlSafeCharField(
        label=_("Mã mẫu"),
        max_length=_max_length(IndicatorTemplate, "code"),
        validators=[template_code_validator],
        help_text=_("Chữ thường không dấu, chữ số, gạch ngang; ví dụ “soctrang-cchc”."),
    )
    province = forms.ModelChoiceField(
        label=_("Tỉnh"),
        queryset=Unit.objects.provinces().with_shared_names().order_by("name"),
        required=False,
        empty_label=_("Mọi tỉnh"),
    )
    field_order = ["code", "title", "period_kinds", "report_kinds", "applies_from", "province"]


class TemplateUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text=_("Theo định dạng mẫu phụ lục; có thể sửa từ một tệp “Tải Excel”."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Chỉ nhận tệp Excel .xlsx."))
        return upload


# --- appendices ------------------------------------------------------------------------------


class AppendixMetaForm(forms.Form):
    name = XmlSafeCharField(
        label=_("Tên phụ lục"),
        max_length=_max_length(Appendix, "name"),
        help_text=_("Ví dụ “Phụ lục 2”."),
    )
    code = XmlSafeCharField(
        label=_("Mã bảng"),
        max_length=_max_length(Appendix, "code"),
        validators=[machine_code_validator],
        help_text=_("Dùng trong quy tắc kiểm tra; ví dụ “pl2_thong_ke”."),
    )
    title = XmlSafeCharField(
        label=_("Tiêu đề in"),
        max_length=_max_length(Appendix, "title"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    landscape = forms.BooleanField(label=_("In khổ ngang"), required=False)
    has_total_row = forms.BooleanField(
        label=_("Có dòng “Tổng cộng” (chỉ với bảng nhiều dòng)"), required=False
    )


class AppendixAddForm(AppendixMetaForm):
    kind = forms.ChoiceField(
        label=_("Loại"),
        choices=[
            ("indicators", _("Bảng chỉ tiêu (mỗi dòng một chỉ tiêu)")),
            ("table", _("Bảng nhiều dòng (đơn vị tự thêm dòng)")),
        ],
        widget=forms.RadioSelect,
        initial=AppendixKind.INDICATORS.value,
    )
    field_order = ["name", "code", "title", "kind", "landscape", "has_total_row"]


# A template's editor shows hundreds of lines of eight inputs each: Django's own templates take
# about 2 ms a widget there, compiled Jinja2 templates of the same markup a tenth of it.
LINE_RENDERER = Jinja2Renderer()


class LineForm(forms.Form):
    """One line of an editor table. Lines where nothing is typed are left out when saving."""

    default_renderer = LINE_RENDERER

    text_fields: tuple[str, ...] = ()
    problem_field = ""  # the field under which the line's problems are shown

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems: list[str] = []  # from the whole-version check, shown beside the line

    def is_blank(self) -> bool:
        return not any(self.cleaned_data.get(name) for name in self.text_fields)


class IndicatorRowForm(LineForm):
    problem_field = "label"
    text_fields = ("stt", "label", "unit", "code", "help_text")

    stt = _text(Indicator, "stt", _("STT"), **{"class": f"{SMALL} col-w-stt"})
    label = _long_text(_("Chỉ tiêu"), width="18rem")
    unit = _text(Indicator, "unit", _("Đơn vị tính"), width="7rem")
    code = _text(Indicator, "code", _("Mã chỉ tiêu"), width="9rem")
    value_type = _select(_("Kiểu"), ROW_TYPE_CHOICES)
    required = _check(_("Bắt buộc"))
    not_applicable = forms.TypedChoiceField(
        label=_("Cho phép “/”"),
        required=False,
        choices=NOT_APPLICABLE_CHOICES,
        coerce=lambda text: {"co": True, "khong": False}.get(text),
        empty_value=None,
        widget=forms.Select(attrs={"class": SMALL_SELECT, "aria-label": _("Cho phép “/”")}),
    )
    level = _level(_("Cấp"), 9)
    help_text = _long_text(_("Hướng dẫn"), width="10rem")
    timing = _select(_("Thời điểm / thời kỳ"), Timing.choices)


class ColumnForm(LineForm):
    problem_field = "header"
    text_fields = ("code", "header", "group", "number", "choice_text")

    code = _text(Column, "code", _("Mã cột"), width="7rem")
    header = _long_text(_("Tiêu đề cột"), width="14rem", max_length=_max_length(Column, "header"))
    group = _text(Column, "group", _("Nhóm tiêu đề"), width="10rem")
    number = _text(Column, "number", _("Số cột"), **{"class": f"{SMALL} col-w-stt"})
    value_type = _select(_("Kiểu"), COLUMN_TYPE_CHOICES)
    required = _check(_("Bắt buộc"))
    choice_text = _long_text(_("Danh sách mã"), width="9rem")


class OutlineSectionForm(LineForm):
    problem_field = "title"
    text_fields = ("code", "stt", "title", "help_text")

    code = _text(OutlineSection, "code", _("Mã mục"), width="8rem")
    stt = _text(OutlineSection, "stt", _("STT"), **{"class": f"{SMALL} col-w-stt"})
    title = _text(OutlineSection, "title", _("Tiêu đề mục"), width="22rem")
    level = _level(_("Cấp"), 2)
    help_text = _long_text(_("Hướng dẫn"), width="14rem")
    required = _check(_("Phải viết"))


class RuleForm(LineForm):
    problem_field = "expression"
    text_fields = ("code", "expression", "message")

    code = _text(Rule, "code", _("Mã quy tắc"), width="8rem")
    severity = forms.ChoiceField(
        label=_("Mức độ"),
        choices=Severity.choices,
        widget=forms.Select(attrs={"class": SMALL_SELECT, "aria-label": _("Mức độ")}),
    )
    expression = _long_text(_("Biểu thức"), rows=2, width="20rem")
    message = _text(Rule, "message", _("Thông báo"), width="16rem")
    missing = forms.ChoiceField(
        label=_("Khi thiếu số liệu"),
        choices=MissingPolicy.choices,
        widget=forms.Select(attrs={"class": SMALL_SELECT, "aria-label": _("Khi thiếu số liệu")}),
    )

    def clean_expression(self):
        # Browsers send line breaks as CRLF; rule problems count lines by "\n".
        return self.cleaned_data["expression"].replace("\r\n", "\n")


def _line_formset(form):
    return forms.formset_factory(form, extra=0, max_num=1000, absolute_max=1000)


IndicatorRowFormSet = _line_formset(IndicatorRowForm)
ColumnFormSet = _line_formset(ColumnForm)
OutlineFormSet = _line_formset(OutlineSectionForm)
RuleFormSet = _line_formset(RuleForm)


class FixedRowsForm(forms.Form):
    text = XmlSafeCharField(
        label=_("Dòng cố định"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control font-monospace"}),
        help_text=_(
            "Các dòng mọi báo cáo bắt đầu cùng: mỗi dòng một hàng, các ô cách nhau bằng phím "
            "Tab theo thứ tự cột (dán từ Excel được)."
        ),
    )


class PasteForm(forms.Form):
    text = XmlSafeCharField(
        label=_("Dán nhiều dòng"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control font-monospace"}),
    )
