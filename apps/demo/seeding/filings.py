"""Demo filings: what a clerk finds on the intake desk the first time they open it.

The demo citizen has submitted two filings online; they wait in the city centre's pre-review queue
(网上预审). Seeded once: a later run leaves the citizen's filings as the demo left them.
"""

from __future__ import annotations

from apps.accounts.models import ServiceCentre, User
from apps.cases import services
from apps.cases.applicants import ApplicantData
from apps.cases.codes import ApplicantKind, Channel
from apps.cases.models import Application
from apps.catalogue import selectors as catalogue

# The demo citizen as they state themselves (a resident ID with a valid GB 11643 check digit).
CITIZEN_AS_APPLICANT = ApplicantData(
    kind=ApplicantKind.PERSON, name="张三", id_number="11010519491231002X", phone="13812343210"
)
ONLINE_ITEMS = ("个体工商户设立登记", "食品经营许可")


def seed_filings(centre_name: str) -> int:
    """Submit the demo citizen's online filings if they have none yet; returns how many were made."""
    citizen = User.objects.get(username="citizen")
    if Application.objects.filter(citizen=citizen).exists():
        return 0
    centre = ServiceCentre.objects.get(name=centre_name)
    made = 0
    for name in ONLINE_ITEMS:
        item = catalogue.offered_items().filter(lineage__centre=centre, name=name).first()
        if item is None:  # a catalogue without this item: nothing to file
            continue
        filing = services.open_filing(
            centre=centre,
            channel=Channel.ONLINE,
            applicant=CITIZEN_AS_APPLICANT,
            item_ids=[item.pk],
            citizen=citizen,
            actor=citizen,
        )
        services.submit_online(application_id=filing.pk, actor=citizen)
        made += 1
    return made
