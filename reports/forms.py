from django import forms
from django.utils.translation import gettext_lazy as _

from lib.periods import PeriodKind
from lib.text import XmlSafeCharField

from .models import Report
from .selectors import report_appendices, table_rows


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại kỳ"), choices=PeriodKind.choices)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    window_start = forms.DateField(label=_("Số liệu từ ngày"), required=False)
    window_end = forms.DateField(label=_("Số liệu đến ngày"), required=False)
    deadline = forms.DateField(
        label=_("Hạn gửi báo cáo"),
        required=False,
        help_text=_("Để trống các ngày để dùng mặc định theo Nghị định 09/2019/NĐ-CP."),
    )
    is_open = forms.BooleanField(label=_("Mở kỳ báo cáo ngay"), required=False)


class HeaderForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = Report.HEADER_FIELDS
        field_classes = {
            name: XmlSafeCharField for name in Report.HEADER_FIELDS if name != "issued_on"
        }
        widgets = {
            "basis": forms.Textarea(attrs={"rows": 4}),
            "recipients": forms.Textarea(attrs={"rows": 3}),
            "issued_on": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y"),
        }
        help_texts = {
            "number": _("Để trống cho đến khi văn thư cấp số."),
            "symbol": _("Ví dụ BC-SKHCN; in thành “Số: 136/BC-SKHCN”."),
            "signer_authority": _("GIÁM ĐỐC, hoặc KT. GIÁM ĐỐC khi cấp phó ký."),
            "signer_position": _("Chỉ điền khi ký thay: PHÓ GIÁM ĐỐC."),
        }


class SectionForm(forms.Form):
    content = XmlSafeCharField(label=_("Nội dung"), required=False, widget=forms.Textarea)


class CommentForm(forms.Form):
    """A reviewer's comment on the whole report, a section, an indicator or a table row."""

    about = forms.ChoiceField(label=_("Về"))
    text = XmlSafeCharField(label=_("Nhận xét"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["about"].choices = comment_targets(report)

    def clean(self):
        data = super().clean()
        target, _sep, code = data.get("about", "report:").partition(":")
        return {"target": target, "target_code": code, "text": data.get("text", "")}


def comment_targets(report) -> list[tuple[str, str]]:
    choices = [("report:", _("Cả báo cáo"))]
    for section in report.template_version.outline.all():
        choices.append((f"section:{section.code}", f"{_('Mục')} {section.stt}. {section.title}"))
    appendices = report_appendices(report)
    tables = table_rows(report, appendices)
    for appendix in appendices:
        if appendix.is_table:
            for row_id, _cells in tables[appendix.code]["rows"]:
                choices.append(
                    (f"row:{appendix.code}:{row_id}", f"{appendix.name} – {_('dòng')} {row_id}")
                )
            continue
        for row in appendix.indicators.all():
            if not row.is_heading:
                label = f"{row.stt} {row.label}".strip()[:80]
                choices.append((f"indicator:{row.code}", f"{appendix.name} – {label}"))
    return choices


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[("return", _("Trả lại")), ("approve", _("Duyệt"))],
        widget=forms.RadioSelect,
    )
    comment = XmlSafeCharField(
        label=_("Lý do trả lại / ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
