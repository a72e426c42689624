"""The supervision desk's anomalies page (desks:anomalies): every rule with its count in the reader's
scope, the findings with what each rule saw and a link to a page the supervisor can open, filters,
the .xlsx, constant queries. The counts expected are worked out by hand from anomaly_world.py."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from apps.accounts.roles import Role
from apps.supervision.models import AnomalyRule
from tests.factories import make_staff
from tests.supervision.anomaly_world import D, anomaly, plant

pytestmark = pytest.mark.django_db
R = AnomalyRule


@pytest.fixture
def world():
    return plant()


def routed(name: str, *args) -> str:
    """The URL of another section's page the findings link to, or skip: that page is not routed here."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        pytest.skip(f"{name} is not routed in this build")


def get(client, user, **query):
    client.force_login(user)
    response = client.get(reverse("desks:anomalies"), query)
    return response, response.content.decode()


def shown_counts(html: str) -> dict[str, int]:
    return {
        rule: int(n)
        for rule, n in re.findall(
            r'data-testid="anomaly-count-(\w+)"><th scope="row"><a [^>]*>[^<]*</a></th><td>(\d+)</td>', html
        )
    }


def rows(html: str) -> list[str]:
    return re.findall(r'data-testid="anomaly-row" data-rule="(\w+)"', html)


def test_a_centre_supervisor_sees_every_rule_counted_in_the_centre(client, world):
    response, html = get(client, make_staff(Role.SUPERVISOR, centre=world.centre))
    assert response.status_code == 200
    assert shown_counts(html) == {
        "decided_late": 4,
        "suspended_too_long": 0,
        "extension_unapproved": 0,
        "decision_without_opinion": 1,
        "returned_twice": 1,
        "bulk_clicking": 1,
        "issued_without_seal": 0,
    }
    assert sorted(rows(html)) == sorted(
        ["decided_late"] * 4 + ["decision_without_opinion", "returned_twice", "bulk_clicking"]
    )
    # Newest day first.
    days = re.findall(r'data-testid="anomaly-row" data-rule="\w+">\s*<td[^>]*>([\d-]+)</td>', html)
    assert days == sorted(days, reverse=True) and days[0] == "2026-04-01"
    assert 'data-testid="figure-anomaly-counts"' in html


def test_a_department_supervisor_sees_their_departments_findings_only(client, world):
    _, html = get(client, make_staff(Role.SUPERVISOR, department=world.food))
    counts = shown_counts(html)
    assert (counts["decided_late"], counts["returned_twice"], counts["bulk_clicking"]) == (3, 1, 0)
    assert sum(counts.values()) == 4


def test_another_centres_supervisor_sees_none_of_it(client, world):
    _, html = get(client, make_staff(Role.SUPERVISOR, centre=world.other_centre))
    assert sum(shown_counts(html).values()) == 2 and rows(html) == ["decided_late"] * 2


def test_filters_by_rule_department_and_days(client, world):
    supervisor = make_staff(Role.SUPERVISOR, centre=world.centre)
    _, html = get(client, supervisor, department=world.food.pk, **{"from": "2026-03-01", "to": "2026-03-31"})
    counts = shown_counts(html)
    assert (counts["decided_late"], counts["returned_twice"], sum(counts.values())) == (2, 1, 3)
    # The rule narrows the list, not the counts (they are the rules to choose from).
    _, html = get(client, supervisor, rule="decided_late", department=world.food.pk, **{"from": "2026-03-01"})
    assert rows(html) == ["decided_late"] * 3 and shown_counts(html)["returned_twice"] == 1


def test_a_department_outside_the_scope_or_a_reversed_range_is_refused(client, world, english):
    supervisor = make_staff(Role.SUPERVISOR, department=world.food)
    response, html = get(english, supervisor, department=world.health.pk)
    assert response.status_code == 400 and "Select a valid choice" in html
    response, html = get(english, supervisor, **{"from": "2026-03-10", "to": "2026-03-01"})
    assert response.status_code == 400 and "The range ends before it starts." in html


def test_each_finding_says_what_was_seen_and_links_a_page_the_supervisor_can_open(client, world, english):
    case_page, audit_log = routed("desks:at_risk_case", 100), routed("desks:audit_log")
    response, html = get(english, make_staff(Role.SUPERVISOR, centre=world.centre), rule="decided_late")
    assert "Due on 2026-03-02, decided on 2026-03-04." in html
    assert f'href="{case_page}"' in html
    _, html = get(english, make_staff(Role.SUPERVISOR, centre=world.centre), rule="returned_twice")
    assert "Returned again for 租赁合同, already listed when A-1 was returned." in html
    assert f'href="{audit_log}?filing={world.filing.number}"' in html
    _, html = get(english, make_staff(Role.SUPERVISOR, centre=world.centre), rule="bulk_clicking")
    # A sentence naming what the person did (the button's verb), not the state it left.
    assert "王窗口 did “Accept” on 6 filings within one second (2026-03-07 09:00:00)." in html
    assert "person=wang&amp;action=accept&amp;date_from=2026-03-07&amp;date_to=2026-03-07" in html
    assert "Whole centre" in html


def test_the_linked_case_page_opens_for_the_supervisor(client, world):
    """The link is to a page this supervisor can open: the case's supervision page, in scope."""
    from tests.factories.cases import accept_filing

    routed("desks:at_risk_case", 1)
    filing = accept_filing(world.filing)
    case = filing.cases.get()
    anomaly(
        R.DECIDED_LATE,
        centre=world.centre,
        department=world.food,
        subject_id=case.pk,
        filing=filing,
        day=D(2026, 5, 1),
    )
    supervisor = make_staff(Role.SUPERVISOR, department=world.food)
    _, html = get(client, supervisor, **{"from": "2026-05-01"})
    [url] = re.findall(r'href="([^"]+)" data-testid="anomaly-link"', html)
    assert client.get(url).status_code == 200


def test_only_supervisors_open_it(client, world):
    for user in (
        make_staff(Role.CLERK, centre=world.centre),
        make_staff(Role.APPROVER, department=world.food),
        make_staff(Role.DECISION_MAKER, department=world.food),
    ):
        client.force_login(user)
        assert client.get(reverse("desks:anomalies")).status_code == 403
        assert client.get(reverse("desks:anomalies_export")).status_code == 403


def test_the_spreadsheet_holds_the_counts_and_findings_shown(client, world):
    supervisor = make_staff(Role.SUPERVISOR, centre=world.centre)
    client.force_login(supervisor)
    response = client.get(
        reverse("desks:anomalies_export"), {"department": world.food.pk, "from": "2026-03-01"}
    )
    assert response.status_code == 200
    assert 'filename="anomalies-2026-03-01.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    about, counts, found = book.worksheets
    # The first sheet says what the workbook holds: its filters and when it was made.
    department, rule, start, end, listed, made = [
        row[1] for row in about.iter_rows(max_row=6, values_only=True)
    ]
    assert rule == str(_("All rules")) and department == world.food.name
    assert (start, end) == ("2026-03-01", "—") and "5000" in listed
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", made)
    assert ("实施主体", world.food.name) in about.iter_rows(values_only=True)
    by_rule = {row[0]: row[1] for row in counts.iter_rows(min_row=2, values_only=True)}
    assert (
        sum(by_rule.values()) == 4
        and 3 in by_rule.values()
        and all(isinstance(n, int) for n in by_rule.values())
    )
    assert [row[0] for row in found.iter_rows(min_row=2, values_only=True)] == [
        "2026-04-01",
        "2026-03-10",
        "2026-03-05",
        "2026-03-04",
    ]


def test_the_page_reads_in_constant_queries(client, world, django_assert_max_num_queries):
    supervisor = make_staff(Role.SUPERVISOR, centre=world.centre)
    client.force_login(supervisor)
    with django_assert_max_num_queries(16) as few:
        client.get(reverse("desks:anomalies"), {"rule": "decided_late", "department": world.health.pk})
    for i in range(30):
        anomaly(
            R.DECIDED_LATE,
            centre=world.centre,
            department=world.health,
            subject_id=1000 + i,
            filing=world.filing,
            day=D(2026, 3, 9),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(
            reverse("desks:anomalies"), {"rule": "decided_late", "department": world.health.pk}
        )
    assert len(rows(response.content.decode())) == 31


def test_a_decision_without_opinion_says_who_did_what_in_a_sentence(client, world, english):
    _, html = get(english, make_staff(Role.SUPERVISOR, centre=world.centre), rule="decision_without_opinion")
    assert "李审批 did “Approve” at 2026-03-20 10:00 without recording an opinion." in html


def test_in_chinese_the_action_is_the_buttons_verb_not_a_state(client, world):
    _, html = get(client, make_staff(Role.SUPERVISOR, centre=world.centre), rule="bulk_clicking")
    [found] = re.findall(r'data-testid="anomaly-row".*?</tr>', html, re.S)
    assert "“受理”" in found
    assert "已受理" not in found  # the filing's state, not what was done
    _, html = get(client, make_staff(Role.SUPERVISOR, centre=world.centre), rule="decision_without_opinion")
    [found] = re.findall(r'data-testid="anomaly-row".*?</tr>', html, re.S)
    assert "“准予许可”" in found


def test_the_counts_are_one_table_each_rule_linking_its_findings(client, world):
    _, html = get(client, make_staff(Role.SUPERVISOR, centre=world.centre), rule="returned_twice")
    # One table of the counts (the chart's), not a second one repeating it.
    assert html.count('data-testid="anomaly-count-decided_late"') == 1
    assert html.count("<table") == 2  # the counts and the findings
    [link] = re.findall(r'data-testid="anomaly-count-decided_late"><th scope="row"><a href="([^"]+)"', html)
    assert link.endswith("rule=decided_late") and "returned_twice" not in link
    assert re.search(
        r'data-testid="anomaly-count-returned_twice"><th scope="row"><a [^>]*aria-current="true"', html
    )
