from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from api.schema import openapi_json

SCHEMA_FILE = Path(settings.BASE_DIR) / "docs" / "api" / "openapi.json"


class Command(BaseCommand):
    help = "Ghi lược đồ OpenAPI của API vào docs/api/openapi.json (--check: chỉ so sánh)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="không ghi; mã thoát 1 nếu tệp trong kho khác lược đồ sinh từ mã nguồn",
        )

    def handle(self, *args, check: bool = False, **options):
        text = openapi_json()
        current = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
        if check:
            if current != text:
                raise CommandError(f"{SCHEMA_FILE} đã cũ; chạy manage.py api_schema để sinh lại.")
            self.stdout.write("Lược đồ trong kho khớp mã nguồn.")
            return
        SCHEMA_FILE.parent.mkdir(parents=True, exist_ok=True)
        SCHEMA_FILE.write_text(text, encoding="utf-8")
        self.stdout.write(f"Đã ghi {SCHEMA_FILE}.")
