"""Staff never rate their own work, in any channel: the portal, the rating link (QR code, SMS), the
window's pad, a 12345 call. Refused when the one rating is logged in as the act's staff member, when
the filing's applicant (or agent) is that staff member by identity number, or when the 12345 caller's
phone is theirs; a pad refuses any staff session."""

import dataclasses

import pytest
from django.core.exceptions import PermissionDenied

from apps.accounts.identifiers import resident_id_check_char
from apps.accounts.roles import Role
from apps.accounts.services import assign_role
from apps.feedback.models import ActKind, Channel, Level, Rating
from apps.feedback.services import rate, rate_by_phone
from tests.factories import make_staff
from tests.factories.cases import PERSON, comprehensive_window
from tests.factories.feedback import closed_filing, pad, pre_reviewed_filing, visited_filing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("source_language")]

OWN_WORK = "Staff may not rate their own work."
STAFF_PHONE = "13700007777"


def resident_id(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


def clerk_who_is_the_applicant(window):
    """A clerk whose account carries their own identity (PERSON's): they are the applicant too."""
    return make_staff(
        Role.CLERK, centre=window.centre, window=window, id_number=PERSON.id_number, full_name=PERSON.name
    )


def give(filing, channel, *, act=ActKind.WINDOW_VISIT, **kw):
    return rate(filing_id=filing.pk, act=act, level=Level.VERY_SATISFIED, channel=channel, **kw)


def refused(call):
    with pytest.raises(PermissionDenied) as refusal:
        call()
    assert str(refusal.value) == OWN_WORK
    assert not Rating.objects.exists()


@pytest.mark.parametrize("channel", [Channel.QR, Channel.SMS, Channel.PAD])
def test_the_clerk_logged_in_may_not_rate_the_visit_they_did(channel):
    filing = visited_filing()
    clerk = filing.decided_by
    extra = {"pad": pad(window=filing.window)} if channel == Channel.PAD else {}
    with pytest.raises(PermissionDenied):
        give(filing, channel, rater=clerk, **extra)
    assert not Rating.objects.exists()


def test_the_clerk_logged_in_on_the_portal_may_not_rate_their_own_pre_review():
    # One account that is a citizen and the clerk who pre-reviewed its own filing.
    window = comprehensive_window()
    clerk = clerk_who_is_the_applicant(window)
    assign_role(user=clerk, role=Role.CITIZEN)
    filing = pre_reviewed_filing(citizen=clerk, centre=window.centre, window=window, clerk=clerk)
    refused(lambda: give(filing, Channel.PORTAL, act=ActKind.ONLINE_PRE_REVIEW, rater=clerk))


@pytest.mark.parametrize("channel", [Channel.QR, Channel.SMS, Channel.PAD])
def test_the_clerks_own_filing_is_not_rated_through_its_link_or_the_pad(channel):
    """No one logged in: the filing's applicant is the clerk who took it (by identity number)."""
    window = comprehensive_window()
    clerk = clerk_who_is_the_applicant(window)
    filing = visited_filing(centre=window.centre, window=window, clerk=clerk)
    extra = {"pad": pad(window=window)} if channel == Channel.PAD else {}
    refused(lambda: give(filing, channel, **extra))


def test_the_clerk_as_the_agent_of_a_filing_they_took_may_not_rate_it():
    window = comprehensive_window()
    clerk = clerk_who_is_the_applicant(window)
    someone = dataclasses.replace(
        PERSON,
        name="李四",
        id_number=resident_id("11010519800101123"),
        agent_name=PERSON.name,
        agent_id_number=PERSON.id_number,
        agent_phone=PERSON.phone,
    )
    filing = visited_filing(applicant=someone, centre=window.centre, window=window, clerk=clerk)
    refused(lambda: give(filing, Channel.QR))


def test_the_issuers_own_hand_over_is_refused_but_not_the_clerks_visit():
    window = comprehensive_window()
    issuer = make_staff(
        Role.ISSUER, centre=window.centre, window=window, id_number=PERSON.id_number, full_name=PERSON.name
    )
    filing = closed_filing(centre=window.centre, issuer=issuer)
    refused(lambda: give(filing, Channel.QR, act=ActKind.HANDOVER))
    refused(lambda: give(filing, Channel.QR, act=ActKind.FILING))  # the issuer concluded it
    assert give(filing, Channel.QR).act == ActKind.WINDOW_VISIT  # the clerk's work, not the issuer's


def test_the_pad_refuses_any_staff_session():
    filing = visited_filing()
    colleague = make_staff(Role.CLERK, centre=filing.centre)
    with pytest.raises(PermissionDenied, match="log out of the staff account"):
        give(filing, Channel.PAD, rater=colleague, pad=pad(window=filing.window))
    assert not Rating.objects.exists()


def test_another_staff_member_may_rate_through_a_link_as_anyone():
    """Only one's own work is refused: a colleague's session on a link is the applicant's rating."""
    filing = visited_filing()
    colleague = make_staff(Role.CLERK, centre=filing.centre)
    assert give(filing, Channel.QR, rater=colleague).rater is None


# --- 12345 ---------------------------------------------------------------------------------------------


def phone(filing, actor, caller_phone, *, act=ActKind.WINDOW_VISIT):
    return rate_by_phone(
        filing_id=filing.pk,
        act=act,
        level=Level.VERY_SATISFIED,
        reason="",
        comment="",
        caller_name="王先生",
        caller_phone=caller_phone,
        actor=actor,
    )


def test_a_supervisor_may_not_enter_a_rating_of_their_own_act():
    window = comprehensive_window()
    clerk = make_staff(Role.CLERK, centre=window.centre, window=window)
    assign_role(user=clerk, role=Role.SUPERVISOR, centre=window.centre)  # also the centre's supervisor
    filing = visited_filing(centre=window.centre, window=window, clerk=clerk)
    refused(lambda: phone(filing, clerk, "13900002222"))


def test_a_call_from_the_staff_members_own_phone_is_refused():
    window = comprehensive_window()
    clerk = make_staff(Role.CLERK, centre=window.centre, window=window, phone=STAFF_PHONE)
    filing = visited_filing(centre=window.centre, window=window, clerk=clerk)
    supervisor = make_staff(Role.SUPERVISOR, centre=window.centre)
    refused(lambda: phone(filing, supervisor, "+86 137-0000-7777"))
    assert phone(filing, supervisor, "13900002222").channel == Channel.PHONE  # another caller: taken
