import json as jsonlib

from django.core.management.base import BaseCommand, CommandError

from reports.access import OPERATOR, READ, ReportNotFound, report_for_user
from reports.validation import ERROR, validate_report


class Command(BaseCommand):
    help = "Kiểm tra một báo cáo theo các quy tắc của mẫu; mã thoát 1 khi còn lỗi."

    def add_arguments(self, parser):
        parser.add_argument("report_id", type=int)
        parser.add_argument(
            "--json", action="store_true", help="in kết quả dạng JSON, kèm mã quy tắc và mã ô"
        )

    def handle(self, *args, report_id, json: bool = False, **options):
        try:
            report = report_for_user(OPERATOR, report_id, READ)
        except ReportNotFound as exc:
            raise CommandError(f"Không có báo cáo số {report_id}.") from exc
        violations = validate_report(report)
        if json:
            self.stdout.write(_dumps([v.as_json() for v in violations]))
        else:
            # For people: STT and label, formatted numbers; the codes are in --json.
            for v in violations:
                self.stdout.write(f"{v.severity_label}: {v.text}")
            errors = sum(v.severity == ERROR for v in violations)
            self.stdout.write(f"{errors} lỗi, {len(violations) - errors} cảnh báo/ghi chú")
        if any(v.severity == ERROR for v in violations):
            raise SystemExit(1)


def _dumps(data) -> str:
    return jsonlib.dumps(data, ensure_ascii=False, indent=2)
