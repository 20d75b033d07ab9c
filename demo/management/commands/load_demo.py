from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ...loader import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu demo: đơn vị, kỳ báo cáo, người dùng, mẫu, báo cáo. Chỉ khi DEMO_MODE=1."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "Từ chối nạp dữ liệu demo: đặt DEMO_MODE=1 (không dùng cho hệ thống thật)."
            )
        users = load_demo(timezone.localdate())
        self.stdout.write(f"Tài khoản demo (mật khẩu: {DEMO_PASSWORD}):")
        for username, role, unit in users:
            self.stdout.write(f"  {username:<24} {role:<36} {unit}")
