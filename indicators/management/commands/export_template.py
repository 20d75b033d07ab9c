from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.models import TemplateVersion
from indicators.services import spec_from_version
from indicators.workbook import write_template_workbook


class Command(BaseCommand):
    help = "Xuất một phiên bản mẫu phụ lục ra tệp Excel (mặc định: phiên bản mới nhất)."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Our --version selects a template version, replacing Django's own --version flag.
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("code", help="mã mẫu")
        parser.add_argument("file", help="tệp .xlsx sẽ ghi")
        parser.add_argument("--version", type=int, dest="number", help="số phiên bản")

    def handle(self, *args, code, file, number=None, **options):
        versions = TemplateVersion.objects.filter(template__code=code).order_by("-number")
        if number is not None:
            versions = versions.filter(number=number)
        version = versions.first()
        if version is None:
            wanted = f" phiên bản {number}" if number is not None else ""
            raise CommandError(f"Không có mẫu “{code}”{wanted}.")
        Path(file).write_bytes(write_template_workbook(spec_from_version(version)))
        self.stdout.write(f"{version} -> {file}")
