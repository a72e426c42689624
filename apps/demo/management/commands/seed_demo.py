from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.demo.seeding.catalogue import seed_catalogue
from apps.demo.seeding.certificates import seed_certificate_desk
from apps.demo.seeding.citizens import seed_citizen
from apps.demo.seeding.filings import seed_filings, seed_ready_for_issue
from apps.demo.seeding.hall_flow import seed_hall_flow
from apps.demo.seeding.organisation import CITY, seed_organisation
from apps.demo.seeding.pads import seed_pads
from apps.demo.seeding.ratings import seed_ratings
from apps.demo.seeding.supervision import seed_supervision


class Command(BaseCommand):
    help = "Load the demo hall (idempotent). Development only: refused when HALL_ENV=production."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "seed_demo refuses to run with HALL_ENV=production: demo users are for development."
            )
        with transaction.atomic():
            users = seed_organisation()
            catalogue = seed_catalogue()
            desk = seed_certificate_desk()
            filings = seed_filings(CITY["name"])
            ready = seed_ready_for_issue(CITY["name"])
            online = seed_citizen(CITY["name"])
            front_of_house = seed_ratings(CITY["name"]) + seed_pads(CITY["name"])
            front_of_house += seed_hall_flow(CITY["name"])
            # Last: its roll-ups and anomaly scan read everything seeded before it.
            front_of_house += seed_supervision(CITY["name"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo hall ready. Accounts (password for all: {settings.HALL_DEMO_PASSWORD}):"
            )
        )
        for demo in users:
            self.stdout.write(f"  {demo.username:<10} {demo.role.label}")
        self.stdout.write("  admin      superuser (Django admin)")
        new = catalogue["created"]
        self.stdout.write(
            f"Demo catalogue: {catalogue['base_items']} items in {catalogue['categories']} categories, "
            f"{catalogue['implementations']} implementations, {catalogue['materials']} materials, "
            f"{catalogue['licence_types']} certificate types, {catalogue['bundles']} bundles "
            f"(new this run: {new['base_items']} items, {new['implementations']} implementations, "
            f"{new['bundles']} bundles)."
        )
        self.stdout.write(
            f"Certificate desk: {desk['rules']} issuing rules, {desk['seals']} seals kept by 钱保管 (keeper)."
        )
        if ready:
            self.stdout.write("Demo filing ready for issue: 示范餐饮有限公司, collected by its agent 张三.")
        if filings:
            self.stdout.write(f"Demo filings: {filings} submitted online by 张三, awaiting pre-review.")
        deed = online["certificate"]
        self.stdout.write(
            f"Online hall: 张三 ({online['account'].username}, phone {online['account'].phone}) is verified "
            f"at window A01 and the legal representative of {online['organisation']}, whose "
            f"{deed.licence_type.name} {deed.number} the library holds (it replaces the premises' proof)."
        )
        if settings.HALL_SMS_GATEWAY.endswith("RecordingSmsGateway"):
            self.stdout.write(f"SMS codes are written to {settings.HALL_SMS_RECORD_FILE}.")
        for line in front_of_house:
            self.stdout.write(line)
