from django.core.management.base import BaseCommand, CommandError

from indicators import editor
from indicators.models import TemplateVersion
from indicators.services import TemplateError
from org.acting import command_user
from org.permissions import OPERATOR
from reports.services.upgrade import reports_behind


class Command(BaseCommand):
    help = "Công bố một phiên bản nháp của mẫu phụ lục (cùng các kiểm tra như nút Công bố)."

    def add_arguments(self, parser):
        parser.add_argument("version_id", type=int, help="id phiên bản (import_template in ra)")
        parser.add_argument(
            "--by",
            help="tên đăng nhập của người công bố (nhật ký ghi tên này); mặc định: "
            "người vận hành máy chủ",
        )

    def handle(self, *args, version_id: int, by: str | None = None, **options):
        version = TemplateVersion.objects.select_related("template").filter(pk=version_id).first()
        if version is None:
            raise CommandError(f"Không có phiên bản mẫu số {version_id}.")
        name = f"“{version.template.code}” v{version.number}"
        if not version.is_draft:
            raise CommandError(
                f"Phiên bản {name} đã công bố; chỉ công bố được bản nháp. Muốn sửa, hãy tạo "
                "bản nháp mới từ phiên bản này."
            )
        try:
            editor.publish(version, by=command_user(by) if by else OPERATOR)
        except TemplateError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Chưa công bố được {name}: {len(exc.problems)} lỗi; phiên bản vẫn là bản nháp."
            ) from exc
        self.stdout.write(f"Đã công bố {name}.")
        behind = reports_behind(version.template).count()
        if behind:
            self.stdout.write(
                f"{behind} báo cáo đang mở còn theo phiên bản cũ; chuyển sang {name} bằng: "
                f"manage.py upgrade_reports {version.template.code}"
            )
