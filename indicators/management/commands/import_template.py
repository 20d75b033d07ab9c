from django.core.management.base import BaseCommand, CommandError

from indicators.services import TemplateError, version_import
from indicators.workbook import TemplateFileError, read_template_workbook
from org.permissions import OPERATOR


class Command(BaseCommand):
    help = "Nhập một mẫu phụ lục từ tệp Excel (docs/template-format.md) thành phiên bản nháp."

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp .xlsx")

    def handle(self, *args, file, **options):
        try:
            spec = read_template_workbook(file)
            version = version_import(by=OPERATOR, spec=spec)
        except FileNotFoundError as exc:
            raise CommandError(f"Không tìm thấy tệp {file}.") from exc
        except (TemplateFileError, TemplateError) as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Không nhập được mẫu: {len(exc.problems)} lỗi; chưa tạo gì."
            ) from exc
        self.stdout.write(str(version.pk))
