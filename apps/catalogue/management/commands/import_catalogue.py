"""`manage.py import_catalogue PATH [--publish]`: import items, materials and bundles from a workbook."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from apps.catalogue.transfer.importer import ImportFailed, format_for, import_catalogue


class Command(BaseCommand):
    help = (
        "Import the catalogue from an .xlsx workbook or a .zip of CSV files (the layout export_catalogue "
        "writes). All or nothing: any wrong row refuses the whole file and lists every problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .xlsx or .zip file")
        parser.add_argument(
            "--format",
            dest="fmt",
            choices=["xlsx", "csv"],
            help="xlsx or csv (.zip of CSV files); default: by extension",
        )
        parser.add_argument(
            "--publish", action="store_true", help="publish the new versions (default: leave them as drafts)"
        )
        parser.add_argument("--actor", metavar="USERNAME", help="the user the versions and log entries name")

    def handle(self, *args, path, fmt=None, publish=False, actor=None, **options):
        fmt = fmt or format_for(path)
        if fmt is None:
            raise CommandError(f"{path}: cannot tell the format from the extension; use --format xlsx|csv.")
        if not Path(path).is_file():
            raise CommandError(f"{path}: no such file.")
        user = self._user(actor)
        try:
            report = import_catalogue(path, fmt=fmt, publish=publish, actor=user)
        except ImportFailed as failed:
            for error in failed.report.sorted_errors():
                self.stderr.write(f"{error.where}\t{error.message}")
            raise CommandError(str(failed)) from failed
        for line in report.summary_lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Imported {path}."))

    @staticmethod
    def _user(username: str | None):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user is called {username}.") from None
