from django.core.management.base import BaseCommand, CommandError

from indicators.models import IndicatorTemplate
from org.acting import command_user
from reports.services import ReportError
from reports.services.upgrade import reports_upgrade


class Command(BaseCommand):
    help = (
        "Chuyển các báo cáo đang lập hoặc bị trả lại của một mẫu sang phiên bản mới nhất đã "
        "công bố; báo cáo đã gửi, đã duyệt giữ nguyên."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="mã mẫu, ví dụ chung-2025")
        parser.add_argument("--dry-run", action="store_true", help="chỉ liệt kê, không thay đổi gì")
        parser.add_argument(
            "--by", metavar="USERNAME", help="người thực hiện (mặc định: quản trị hệ thống)"
        )

    def handle(self, *args, code: str, dry_run: bool = False, by=None, **options):
        template = IndicatorTemplate.objects.filter(code=code).first()
        if template is None:
            raise CommandError(f"Không có mẫu mã “{code}”.")
        user = command_user(by)
        try:
            target, done = reports_upgrade(template=template, by=user, dry_run=dry_run)
        except ReportError as exc:
            raise CommandError(str(exc)) from exc
        verb = "Sẽ chuyển" if dry_run else "Đã chuyển"
        for item in done:
            report = item.report
            self.stdout.write(
                f"{verb} báo cáo {report.pk} ({report.unit.name}, {report.period.label}, "
                f"{report.get_state_display()}): v{item.source.number} → v{target.number}"
            )
            for text in item.kept:
                self.stdout.write(f"  giữ trong lịch sử: {text}")
        self.stdout.write(
            f"{verb} {len(done)} báo cáo sang “{code}” v{target.number}."
            + (" (chạy thử, chưa thay đổi gì)" if dry_run else "")
        )
