from django.core.management.base import BaseCommand, CommandError

from portal.documents.models import Document
from portal.documents.rendering import render_docx, render_pdf
from portal.documents.specs import document_to_spec, dump_yaml


class Command(BaseCommand):
    help = "Xuất một văn bản ra PDF, DOCX hoặc YAML (định dạng trao đổi, xem FORMAT.md)."

    def add_arguments(self, parser):
        parser.add_argument("id", type=int)
        parser.add_argument("--format", choices=["pdf", "docx", "yaml"], default="pdf")
        parser.add_argument("--out", required=True)

    def handle(self, *args, id, format, out, **options):  # noqa: A002
        try:
            document = Document.objects.select_related("issuer", "commune").get(pk=id)
        except Document.DoesNotExist:
            raise CommandError(f"Không có văn bản id {id}") from None
        if format == "yaml":
            data = dump_yaml(document_to_spec(document)).encode("utf-8")
        else:
            data = render_pdf(document) if format == "pdf" else render_docx(document)
        with open(out, "wb") as fh:
            fh.write(data)
        self.stdout.write(f"{out} ({len(data)} bytes)")
