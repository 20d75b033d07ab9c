import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from api.national import national_export, period_for
from api.rendering import ExactJSONEncoder
from api.serializers import ExportSerializer
from org.models import Unit


class Command(BaseCommand):
    help = (
        "Xuất số liệu đã duyệt của một kỳ của mọi tỉnh ra một tệp JSON theo định dạng "
        "cchc-national-export (docs/api.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="mã kỳ, ví dụ 2021-Y, 2022-H1")
        parser.add_argument("--output", help="ghi vào tệp này (mặc định: in ra màn hình)")

    def handle(self, *args, period, output=None, **options):
        try:
            found = period_for(period)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if found is None:
            raise CommandError(f"Không có kỳ báo cáo {period}.")
        # Through the endpoint's serializer: one format, dates and times written the same way.
        data = ExportSerializer(
            national_export(period=found, provinces=Unit.objects.provinces())
        ).data
        text = json.dumps(data, cls=ExactJSONEncoder, ensure_ascii=False, indent=2) + "\n"
        if output:
            Path(output).write_text(text, encoding="utf-8")
            units = sum(len(p["units"]) for p in data["provinces"])
            self.stderr.write(f"Đã ghi {output}: {len(data['provinces'])} tỉnh, {units} đơn vị.")
        else:
            self.stdout.write(text, ending="")
