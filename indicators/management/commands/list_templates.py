from django.core.management.base import BaseCommand

from indicators.selectors import templates_with_versions


class Command(BaseCommand):
    help = "Liệt kê các mẫu phụ lục: mã, phiên bản, trạng thái, số dòng."

    def handle(self, *args, **options):
        for template in templates_with_versions():
            versions = template.versions.all()
            if not versions:
                self.stdout.write(f"{template.code}\t(chưa có phiên bản)")
            for version in versions:
                self.stdout.write(
                    "\t".join(
                        [
                            template.code,
                            f"v{version.number}",
                            version.status,
                            f"{version.indicator_count} dòng",
                            f"{version.column_count} cột",
                            f"{version.rule_count} quy tắc",
                            f"từ {version.applies_from:%d/%m/%Y}",
                        ]
                    )
                )
