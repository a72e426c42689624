"""一次性告知 answered at the window, in a real Chromium: as the clerk types the applicant's identity
number on the new-filing form, the applicant's filings returned for completion at this centre are
offered (htmx, out of band); the clerk enters the one answered and the new filing is linked to it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from apps.cases import services
from apps.cases.models import Filing
from tests.e2e.staff_login import log_in
from tests.factories.cases import PERSON, at_window, make_filing, window_hall


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_clerk_links_the_new_filing_to_the_returned_one(live_server, page, shot, axe):
    centre, item, material, window, clerk = window_hall()
    first = make_filing(items=[item], window=window, clerk=clerk)
    services.return_for_completion(
        **at_window(first),
        filing_id=first.pk,
        corrections=[{"material": material.pk, "reason": "身份证已过期"}],
    )
    log_in(page, live_server, clerk)
    page.wait_for_url(f"{live_server.url}/**")
    page.goto(f"{live_server.url}{reverse('desks:intake_new')}?item={item.pk}")
    page.locator("#id_applicant_name").fill(PERSON.name)
    expect(page.get_by_test_id("answerable-filings")).to_have_count(0)
    page.locator("#id_applicant_id_number").fill(PERSON.id_number)
    expect(page.get_by_test_id("answerable-filings")).to_contain_text(first.number)
    expect(page.locator("#answerable-numbers option")).to_have_count(1)
    page.get_by_test_id("resubmission-of").fill(first.number)
    shot(page, "returned-filing-offered")
    axe(page, "new filing with a returned filing offered")
    page.locator("form.applicant-form button[type=submit]").click()
    page.wait_for_url("**/intake/filings/*/")
    made = Filing.objects.get(resubmission_of=first)
    assert page.url.endswith(reverse("desks:intake_filing", args=[made.pk]))
    shot(page, "resubmission-opened")
