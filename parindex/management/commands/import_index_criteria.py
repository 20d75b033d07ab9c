from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from org.models import Unit, UnitKind
from org.permissions import OPERATOR

from ...services import criteria_set_import
from ...workbook import SpecError, read_fixture, read_workbook


class Command(BaseCommand):
    help = (
        "Nạp bộ chỉ số CCHC của một tỉnh từ tệp Excel (định dạng trong docs/parindex.md) hoặc "
        "tệp JSON như fixtures/parindex/cap-so.json; in mã và phiên bản của bộ chỉ số."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp .xlsx hoặc .json")
        parser.add_argument("--province", required=True, help="mã tỉnh, ví dụ can-tho")
        parser.add_argument("--year", type=int, help="năm đánh giá (mặc định: năm ghi trong tệp)")

    def handle(self, *args, file, province, year, **options):
        unit = Unit.objects.filter(code=province, kind=UnitKind.PROVINCE).first()
        if unit is None:
            raise CommandError(f"Không có tỉnh mã {province}.")
        path = Path(file)
        if not path.exists():
            raise CommandError(f"Không thấy tệp {path}.")
        try:
            spec = read_fixture(path) if path.suffix.lower() == ".json" else read_workbook(path)
            criteria_set = criteria_set_import(by=OPERATOR, province=unit, spec=spec, year=year)
        except SpecError as exc:
            raise CommandError("\n".join(exc.problems)) from exc
        self.stdout.write(
            f"Đã nạp bộ chỉ số {criteria_set.pk}: {criteria_set.title}, năm {criteria_set.year}, "
            f"phiên bản {criteria_set.version}, {criteria_set.criteria.count()} tiêu chí."
        )
