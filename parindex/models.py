"""The PAR Index (Chỉ số CCHC): the province's criteria set per year and unit kind, each unit's
self-assessment with its evidence, Sở Nội vụ's appraisal and the trail of both (docs/parindex.md,
ADR 0015)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from org.models import UnitKind

POINTS = {"max_digits": 6, "decimal_places": 2}
# The unit kinds a province scores: its departments (cấp sở) and commune-level committees.
SCORED_KINDS = [
    (UnitKind.DEPARTMENT.value, _("Cấp sở, ban, ngành")),
    (UnitKind.COMMUNE.value, _("UBND cấp xã")),
]


class CriteriaSet(models.Model):
    """A province's Bộ chỉ số for one year and unit kind, as its decision sets it. Re-importing
    a set no unit has started replaces its content; once a unit has scored against it, it is
    frozen and an import makes the next version."""

    province = models.ForeignKey(
        "org.Unit",
        verbose_name=_("tỉnh, thành phố"),
        on_delete=models.PROTECT,
        related_name="criteria_sets",
        limit_choices_to={"kind": UnitKind.PROVINCE},
    )
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    unit_kind = models.CharField(_("cấp đánh giá"), max_length=20, choices=SCORED_KINDS)
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    title = models.CharField(_("tên bộ chỉ số"), max_length=300)
    decision = models.CharField(_("quyết định ban hành"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("bộ chỉ số CCHC")
        verbose_name_plural = _("bộ chỉ số CCHC")
        ordering = ["-year", "unit_kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "unit_kind", "version"],
                name="parindex_set_unique_version",
            )
        ]

    def __str__(self):
        return f"{self.title} (năm {self.year}, phiên bản {self.version})"

    @property
    def is_frozen(self) -> bool:
        return self.assessments.exists()

    @property
    def max_total(self) -> Decimal:
        return sum((f.max_points for f in self.fields.all()), Decimal(0))


class Field(models.Model):
    """A lĩnh vực of the set (chỉ đạo điều hành, cải cách thể chế, ...)."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="fields")
    code = models.CharField(_("mã"), max_length=20)
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    title = models.CharField(_("lĩnh vực"), max_length=300)
    max_points = models.DecimalField(_("điểm tối đa"), **POINTS)

    class Meta:
        ordering = ["criteria_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="parindex_field_code")
        ]

    def __str__(self):
        return f"{self.code}. {self.title}"


class Criterion(models.Model):
    """A criterion (tiêu chí) or sub-criterion (tiêu chí thành phần); only criteria without
    sub-criteria are scored, a parent's points are the sum of its children's."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    field = models.ForeignKey(Field, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("mã"), max_length=20)
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    title = models.CharField(_("tiêu chí"), max_length=500)
    max_points = models.DecimalField(_("điểm tối đa"), **POINTS)
    guidance = models.TextField(_("hướng dẫn chấm"), blank=True)
    # In the rule language over the unit's approved year report: a condition (full points when
    # it holds) or a number (the share of the points, 0 to 1).
    expression = models.TextField(_("biểu thức gợi ý điểm"), blank=True)
    is_scored = models.BooleanField(_("chấm điểm"), default=True)

    class Meta:
        ordering = ["criteria_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="parindex_criterion_code")
        ]

    def __str__(self):
        return f"{self.code}. {self.title}"

    @property
    def depth(self) -> int:
        return self.code.count(".")


class AssessmentState(models.TextChoices):
    DRAFT = "draft", _("Đang tự chấm")
    SUBMITTED = "submitted", _("Đã gửi thẩm định")
    RETURNED = "returned", _("Yêu cầu giải trình")
    ANSWERED = "answered", _("Đã giải trình")
    FINALISED = "finalised", _("Đã chốt điểm")


UNDER_APPRAISAL = [AssessmentState.SUBMITTED, AssessmentState.ANSWERED]


class Assessment(models.Model):
    """One unit's self-assessment against a set, then its appraisal. States move only through
    parindex.services (ADR 0002's pattern)."""

    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.PROTECT, related_name="assessments"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="assessments")
    state = FSMField(
        _("trạng thái"), default=AssessmentState.DRAFT, choices=AssessmentState.choices
    )
    # The approved year report the suggestions were read from (None: no such report).
    source_report = models.ForeignKey(
        "reports.Report", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    explanation_deadline = models.DateField(_("hạn giải trình"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bản tự đánh giá")
        verbose_name_plural = _("bản tự đánh giá")
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "unit"], name="parindex_one_per_set")
        ]

    def __str__(self):
        return f"{self.unit} - {self.criteria_set.title} năm {self.criteria_set.year}"

    @transition(field=state, source=AssessmentState.DRAFT, target=AssessmentState.SUBMITTED)
    def submit(self):
        pass

    @transition(field=state, source=UNDER_APPRAISAL, target=AssessmentState.RETURNED)
    def send_back(self):
        pass

    @transition(field=state, source=AssessmentState.RETURNED, target=AssessmentState.ANSWERED)
    def answer(self):
        pass

    @transition(field=state, source=UNDER_APPRAISAL, target=AssessmentState.FINALISED)
    def finalise(self):
        pass


class Score(models.Model):
    """One scored criterion of an assessment: the suggestion as it was shown, the unit's score
    and note, the appraisal and the explanation asked for."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    suggested = models.DecimalField(_("điểm gợi ý"), null=True, blank=True, **POINTS)
    self_score = models.DecimalField(
        _("điểm tự chấm"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        **POINTS,
    )
    change_reason = models.TextField(_("lý do khác điểm gợi ý"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    appraised_score = models.DecimalField(
        _("điểm thẩm định"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        **POINTS,
    )
    appraisal_comment = models.TextField(_("nhận xét thẩm định"), blank=True)
    explanation_asked = models.TextField(_("nội dung yêu cầu giải trình"), blank=True)
    explanation = models.TextField(_("giải trình của đơn vị"), blank=True)

    class Meta:
        ordering = ["criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="parindex_one_score_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(self_score__isnull=True) | Q(self_score__gte=0),
                name="parindex_self_score_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(appraised_score__isnull=True) | Q(appraised_score__gte=0),
                name="parindex_appraised_score_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.criterion.code}: {self.self_score}"


class Evidence(models.Model):
    """A tài liệu kiểm chứng: an uploaded file (checked by its first bytes) or a part of a report
    already in the portal."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("tệp"), upload_to="parindex/", max_length=300, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=200, blank=True)
    file_type = models.CharField(_("loại tệp"), max_length=10, blank=True)
    size = models.PositiveIntegerField(_("dung lượng"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    report = models.ForeignKey(
        "reports.Report", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report_part = models.CharField(_("phần báo cáo"), max_length=100, blank=True)
    description = models.CharField(_("mô tả"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(report__isnull=True) & ~Q(file=""))
                | (Q(report__isnull=False) & Q(file="")),
                name="parindex_evidence_file_or_report",
            )
        ]

    def __str__(self):
        return self.file_name or self.report_part


class EventAction(models.TextChoices):
    STARTED = "started", _("Bắt đầu tự chấm")
    SELF_SCORED = "self_scored", _("Tự chấm điểm")
    EVIDENCE_ADDED = "evidence_added", _("Thêm tài liệu kiểm chứng")
    EVIDENCE_REMOVED = "evidence_removed", _("Gỡ tài liệu kiểm chứng")
    SUBMITTED = "submitted", _("Gửi thẩm định")
    APPRAISED = "appraised", _("Thẩm định điểm")
    RETURNED = "returned", _("Yêu cầu giải trình")
    ANSWERED = "answered", _("Giải trình")
    FINALISED = "finalised", _("Chốt điểm")


class Event(models.Model):
    """The trail: who did what, when, to which criterion, the score before and after."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=20, choices=EventAction.choices)
    old_score = models.DecimalField(null=True, blank=True, **POINTS)
    new_score = models.DecimalField(null=True, blank=True, **POINTS)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%d/%m/%Y %H:%M}"
