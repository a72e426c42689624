from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.worktime.notice import parse_notice
from apps.worktime.services import enter_year


class Command(BaseCommand):
    help = (
        "Enter a year's holidays and make-up working days from a text file in the notice format "
        "(see apps/worktime/notice.py), e.g. "
        "`enter_calendar_year 2027 notice-2027.txt --notice 国办发明电〔2026〕X号`."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("path", type=Path)
        parser.add_argument("--notice", default="")

    def handle(self, *args, year, path, notice, **options):
        try:
            holidays, workdays = parse_notice(path.read_text(encoding="utf-8"))
            enter_year(year=year, holidays=holidays, workdays=workdays, notice=notice)
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(f"{year}: {len(holidays)} holidays, {len(workdays)} make-up days entered.")
        )
