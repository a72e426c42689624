"""`manage.py export_catalogue PATH`: write the published catalogue to a workbook."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.catalogue.transfer.exporter import export_catalogue
from apps.catalogue.transfer.importer import format_for


class Command(BaseCommand):
    help = (
        "Export the published items, their lists, the material dictionary and the bundles that are not "
        "retired to an .xlsx workbook or a .zip of CSV files. Files (samples, blank forms) are not exported."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .xlsx or .zip file to write")
        parser.add_argument(
            "--format",
            dest="fmt",
            choices=["xlsx", "csv"],
            help="xlsx or csv (.zip of CSV files); default: by extension",
        )

    def handle(self, *args, path, fmt=None, **options):
        fmt = fmt or format_for(path)
        if fmt is None:
            raise CommandError(f"{path}: cannot tell the format from the extension; use --format xlsx|csv.")
        data = export_catalogue(fmt=fmt)
        Path(path).write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"Wrote {path} ({len(data):,} bytes)."))
