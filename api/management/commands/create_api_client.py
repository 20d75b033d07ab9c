import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from api.services import client_create, token_issue
from org.models import Unit
from org.permissions import OPERATOR

DEFAULT_DAYS = 365


class Command(BaseCommand):
    help = (
        "Đăng ký một hệ thống kết nối API và in mã truy cập của nó (chỉ in một lần): "
        "create_api_client TÊN --province MÃ_TỈNH [--unit MÃ_ĐƠN_VỊ] --scope read|write"
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="tên hệ thống, ví dụ “Hệ thống một cửa điện tử tỉnh”")
        parser.add_argument(
            "--province", action="append", default=[], help="mã tỉnh được đọc (lặp lại được)"
        )
        parser.add_argument(
            "--unit",
            action="append",
            default=[],
            help="chỉ đơn vị này của tỉnh (lặp lại được); bỏ trống: mọi đơn vị của tỉnh",
        )
        parser.add_argument(
            "--national", action="store_true", help="đọc mọi tỉnh (hệ thống báo cáo quốc gia)"
        )
        parser.add_argument(
            "--scope",
            action="append",
            choices=["read", "submitted", "write"],
            default=[],
            help="read: đọc báo cáo đã duyệt; submitted: đọc cả báo cáo đã gửi; "
            "write: ghi số liệu vào báo cáo đang soạn (lặp lại được)",
        )
        parser.add_argument("--purpose", default="", help="mục đích kết nối")
        parser.add_argument(
            "--expires",
            type=datetime.date.fromisoformat,
            help=f"ngày hết hạn YYYY-MM-DD (mặc định sau {DEFAULT_DAYS} ngày)",
        )
        parser.add_argument(
            "--rate", type=int, help="số lượt gọi tối đa mỗi phút (mặc định: mức chung)"
        )

    def handle(self, *args, name, province, unit, national, scope, purpose, expires, rate, **o):
        if not province and not national:
            raise CommandError("Ghi --province MÃ_TỈNH (hoặc --national cho hệ thống toàn quốc).")
        provinces = [self._unit(code, "tỉnh") for code in province]
        units = [self._unit(code, "đơn vị") for code in unit]
        if expires is None:
            expires_at = timezone.now() + datetime.timedelta(days=DEFAULT_DAYS)
        else:
            end = datetime.datetime.combine(expires, datetime.time.max)
            expires_at = timezone.make_aware(end)
        try:
            client = client_create(
                name=name,
                purpose=purpose or name,
                national=national,
                provinces=provinces,
                units=units,
                reads_submitted="submitted" in scope,
                writes="write" in scope,
                expires_at=expires_at,
                rate_per_minute=rate,
                by=OPERATOR,
            )
            _token, raw = token_issue(client=client, by=OPERATOR)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        local = timezone.localtime(client.expires_at)
        self.stderr.write(
            f"Đã đăng ký “{client.name}” (quyền: {', '.join(client.scopes)}; hết hạn "
            f"{local:%d/%m/%Y %H:%M}). Mã truy cập dưới đây chỉ in một lần; cổng chỉ lưu "
            "mã băm của nó."
        )
        self.stdout.write(raw)

    @staticmethod
    def _unit(code: str, what: str) -> Unit:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(f"Không có {what} mã “{code}”.")
        return unit
