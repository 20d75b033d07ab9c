from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from signatures.describe import describe
from signatures.selectors import describe_match, frozen_match
from signatures.trust import TrustFileError, installed_trust, trust_from_files
from signatures.verify import verify_signed_pdf


class Command(BaseCommand):
    help = (
        "Kiểm tra một tệp PDF đã ký số: báo cáo và lần lập nào, từng chữ ký (người ký, thời "
        "điểm, tình trạng) và nội dung đã ký có đúng bản đã chốt trên cổng không. "
        "Thoát với mã 0 khi mọi chữ ký hợp lệ và khớp, 1 nếu không."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp PDF đã ký")
        parser.add_argument(
            "--trust",
            action="append",
            default=[],
            metavar="CA.pem",
            help="chứng thư gốc tin cậy hoặc CRL (.crl); nhắc lại để thêm tệp. Mặc định: "
            "các tệp trong thư mục SIGNATURE_TRUST_DIR",
        )

    def handle(self, *args, file, trust, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp “{path}”: {exc.strerror}.") from exc
        try:
            store = trust_from_files(trust) if trust else installed_trust()
        except TrustFileError as exc:
            raise CommandError(str(exc)) from exc
        verification = verify_signed_pdf(data, trust=store)
        match = describe_match(frozen_match(verification))
        for line in describe(verification, name=path.name, frozen=match):
            self.stdout.write(line)
        if not (verification.ok and match):
            raise SystemExit(1)
