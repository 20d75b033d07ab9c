import json as jsonlib

from django.core.management.base import BaseCommand, CommandError

from org.models import Unit, UnitKind

from ...models import SCORED_KINDS, CriteriaSet
from ...results import year_results


def _number(value):
    return None if value is None else f"{value:.2f}"


class Command(BaseCommand):
    help = (
        "In kết quả Chỉ số CCHC của một tỉnh trong một năm: điểm tự chấm, điểm thẩm định và "
        "vị thứ của từng đơn vị (chỉ xếp hạng đơn vị đã chốt điểm)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="mã tỉnh, ví dụ can-tho")
        parser.add_argument("--year", required=True, type=int, help="năm đánh giá")
        parser.add_argument(
            "--kind",
            choices=[k for k, _label in SCORED_KINDS],
            help="cấp đánh giá (mặc định: mọi cấp)",
        )
        parser.add_argument("--json", action="store_true", help="in JSON thay cho bảng")

    def handle(self, *args, province, year, kind, json: bool = False, **options):
        unit = Unit.objects.filter(code=province, kind=UnitKind.PROVINCE).first()
        if unit is None:
            raise CommandError(f"Không có tỉnh mã {province}.")
        sets = CriteriaSet.objects.filter(province=unit, year=year)
        if kind:
            sets = sets.filter(unit_kind=kind)
        latest = {}
        for criteria_set in sets.order_by("unit_kind", "-version"):
            latest.setdefault(criteria_set.unit_kind, criteria_set)
        if not latest:
            raise CommandError(f"{unit.name} chưa có bộ chỉ số năm {year}.")
        out = []
        for criteria_set in latest.values():
            for row in year_results(criteria_set).rows:
                out.append(
                    {
                        "unit": row.unit.code,
                        "name": row.unit.name,
                        "kind": criteria_set.unit_kind,
                        "state": row.assessment.state if row.assessment else None,
                        "self_total": _number(row.self_total),
                        "appraised_total": _number(row.appraised_total),
                        "rank": row.rank,
                    }
                )
        if json:
            self.stdout.write(_dumps(out))
            return
        self.stdout.write(f"{'Vị thứ':>6}  {'Tự chấm':>8}  {'Thẩm định':>9}  Đơn vị")
        for item in out:
            self.stdout.write(
                f"{item['rank'] or '-':>6}  {item['self_total'] or '-':>8}  "
                f"{item['appraised_total'] or '-':>9}  {item['name']}"
            )


def _dumps(data) -> str:
    return jsonlib.dumps(data, ensure_ascii=False, indent=2)
