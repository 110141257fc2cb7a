from django.core.management.base import BaseCommand, CommandError

from portal.documents.importing import import_document_text
from portal.documents.specs import SpecError
from portal.models import AdministrativeUnit


class Command(BaseCommand):
    help = "Nhập một văn bản từ tệp YAML/JSON (xem portal/documents/FORMAT.md); in ra id văn bản mới."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--commune", help="mã đơn vị hành chính của xã")
        parser.add_argument("--unit", help="mã đơn vị cấp trên (văn bản mẫu, không thuộc xã nào)")

    def handle(self, *args, file, commune=None, unit=None, **options):
        def find(code):
            try:
                return AdministrativeUnit.objects.get(code=code)
            except AdministrativeUnit.DoesNotExist:
                raise CommandError(f"Không có đơn vị hành chính mã {code}") from None

        commune_obj = find(commune) if commune else None
        unit_obj = find(unit) if unit else None
        if commune_obj is not None and commune_obj.level != AdministrativeUnit.Level.COMMUNE:
            raise CommandError(
                f"Mã {commune} là {commune_obj}, không phải xã, phường, thị trấn; "
                "văn bản của cấp trên dùng --unit"
            )
        if commune_obj is None and unit_obj is None:
            raise CommandError("Hãy chỉ định --commune CODE hoặc --unit CODE")
        try:
            with open(file, encoding="utf-8") as fh:
                text = fh.read()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        try:
            document = import_document_text(text, commune=commune_obj, unit=unit_obj)
        except SpecError as exc:
            for message in exc.messages():
                self.stderr.write(f"{file}: {message}")
            raise CommandError(f"{len(exc.errors)} lỗi; không tạo văn bản nào.") from exc
        self.stdout.write(str(document.pk))
