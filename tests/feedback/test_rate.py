"""Rating an act (好差评): one row per act and rater, changed within the period, re-rated once after
rectification; a bad rating needs a reason and opens a rectification ticket. The service, through each
of the applicant's channels."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.http import Http404

from apps.accounts.roles import Role
from apps.audit.selectors import history_of
from apps.core.errors import Conflict
from apps.feedback.models import ActKind, Channel, Level, Rating, Reason, RectificationTicket, TicketState
from apps.feedback.models.ratings import APPLICANT
from apps.feedback.selectors import rateable, ratings_of_filing
from apps.feedback.services import rate
from tests.factories import make_staff
from tests.factories.cases import make_filing
from tests.factories.feedback import closed_filing, pre_reviewed_filing, ticket, visited_filing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("source_language")]

DAY = dt.datetime(2026, 9, 24, 2, 0, tzinfo=dt.UTC)


def give(filing, level=Level.SATISFIED, *, act=ActKind.WINDOW_VISIT, channel=Channel.QR, **kw):
    return rate(filing_id=filing.pk, act=act, level=level, channel=channel, **kw)


def tickets_of(rating):
    return list(RectificationTicket.objects.filter(rating=rating).order_by("pk"))


@pytest.fixture
def filing():
    with time_machine.travel(DAY, tick=False):
        return visited_filing()


def test_a_first_rating_copies_the_act_and_is_logged(filing):
    with time_machine.travel(DAY + dt.timedelta(hours=1), tick=False):
        rating = give(filing, Level.VERY_SATISFIED, comment=" 很好 ", client_ip="198.51.100.7")
    assert (rating.rater_key, rating.channel, rating.level, rating.comment) == (APPLICANT, "qr", "1", "很好")
    assert (rating.staff_id, rating.window_id, rating.centre_id) == (
        filing.decided_by_id,
        filing.window_id,
        filing.centre_id,
    )
    assert rating.act_at == filing.decided_at
    assert rating.rated_on == dt.date(2026, 9, 24)
    [step] = history_of(filing).filter(transition="rated")
    assert (step.client_ip, step.context["level"], step.context["channel"]) == ("198.51.100.7", "1", "qr")


def test_the_second_rating_changes_the_first_within_the_period_whatever_the_channel(filing):
    first = give(filing, Level.FAIRLY_SATISFIED, channel=Channel.QR)
    with time_machine.travel(dt.timedelta(days=14)):
        second = give(filing, Level.VERY_SATISFIED, channel=Channel.SMS)
    assert second.pk == first.pk
    assert Rating.objects.filter(filing=filing).count() == 1
    second.refresh_from_db()
    assert (second.level, second.channel) == ("1", "sms")
    assert second.changed_at is not None and second.rated_at == first.rated_at
    assert history_of(filing).filter(transition="rating_changed").count() == 1


def test_after_the_period_a_change_is_refused_and_the_rating_stays(filing, settings):
    with time_machine.travel(DAY, tick=False):
        give(filing, Level.SATISFIED)
    with (
        time_machine.travel(DAY + dt.timedelta(days=settings.HALL_RATING_CHANGE_DAYS, seconds=1), tick=False),
        pytest.raises(Conflict, match="15 days for changing it have passed"),
    ):
        give(filing, Level.VERY_SATISFIED)
    assert Rating.objects.get(filing=filing).level == Level.SATISFIED


def test_the_period_is_the_setting(filing, settings):
    settings.HALL_RATING_CHANGE_DAYS = 2
    with time_machine.travel(DAY, tick=False):
        give(filing)
    with time_machine.travel(DAY + dt.timedelta(days=2), tick=False):
        give(filing, Level.FAIRLY_SATISFIED)  # the last moment of the period
    with time_machine.travel(DAY + dt.timedelta(days=3), tick=False), pytest.raises(Conflict):
        give(filing, Level.VERY_SATISFIED)


def test_a_bad_rating_without_a_reason_is_refused_naming_the_field(filing):
    with pytest.raises(ValidationError) as refused:
        give(filing, Level.DISSATISFIED)
    assert list(refused.value.message_dict) == ["reason"]
    assert "reason" in refused.value.message_dict["reason"][0]
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"level": "6"}, "level"),
        ({"level": "", "reason": Reason.WAITING}, "level"),
        ({"level": Level.VERY_DISSATISFIED, "reason": "rude"}, "reason"),
        ({"level": Level.SATISFIED, "comment": "长" * 501}, "comment"),
    ],
)
def test_what_is_not_a_rating_is_refused_naming_the_field(filing, values, field):
    with pytest.raises(ValidationError) as refused:
        rate(filing_id=filing.pk, act=ActKind.WINDOW_VISIT, channel=Channel.QR, **values)
    assert list(refused.value.message_dict) == [field]


def test_a_good_rating_keeps_no_reason(filing):
    assert give(filing, Level.SATISFIED, reason=Reason.WAITING).reason == ""


def test_a_bad_rating_opens_one_ticket_for_the_act(filing):
    rating = give(filing, Level.DISSATISFIED, reason=Reason.WAITING, comment="排队两小时")
    [opened] = tickets_of(rating)
    assert (opened.state, opened.department_id, opened.window_id) == (
        TicketState.OPEN,
        rating.department_id,
        filing.window_id,
    )
    # Changed to the other bad level: the same ticket.
    give(filing, Level.VERY_DISSATISFIED, reason=Reason.ATTITUDE)
    assert tickets_of(rating) == [opened]


def test_a_good_rating_opens_no_ticket_and_a_change_to_bad_opens_one(filing):
    rating = give(filing, Level.SATISFIED)
    assert tickets_of(rating) == []
    give(filing, Level.VERY_DISSATISFIED, reason=Reason.ATTITUDE)
    assert len(tickets_of(rating)) == 1


def closed_ticket_of(rating):
    # The rectification closed (its steps are tickets' tests): what the re-rating rule reads.
    RectificationTicket.objects.filter(rating=rating).update(state=TicketState.CLOSED)


def test_re_rating_once_after_the_rectification_was_closed(filing, settings):
    with time_machine.travel(DAY, tick=False):
        rating = give(filing, Level.DISSATISFIED, reason=Reason.WAITING)
    closed_ticket_of(rating)
    later = DAY + dt.timedelta(days=settings.HALL_RATING_CHANGE_DAYS + 5)
    with time_machine.travel(later, tick=False):
        rerated = give(filing, Level.SATISFIED)
    assert (rerated.pk, rerated.level, rerated.rerated_at) == (rating.pk, "2", later)
    assert rerated.rated_at == DAY  # it still counts for the day it was first given
    assert history_of(filing).filter(transition="rerated").count() == 1
    with time_machine.travel(later + dt.timedelta(hours=1), tick=False), pytest.raises(Conflict):
        give(filing, Level.VERY_SATISFIED)  # once only
    assert Rating.objects.get(pk=rating.pk).level == Level.SATISFIED


def test_re_rated_bad_after_the_rectification_opens_a_new_ticket(filing, settings):
    with time_machine.travel(DAY, tick=False):
        rating = give(filing, Level.DISSATISFIED, reason=Reason.WAITING)
    closed_ticket_of(rating)
    with time_machine.travel(DAY + dt.timedelta(days=settings.HALL_RATING_CHANGE_DAYS + 1), tick=False):
        give(filing, Level.VERY_DISSATISFIED, reason=Reason.DURATION)
    assert [t.state for t in tickets_of(rating)] == [TicketState.CLOSED, TicketState.OPEN]


def test_no_re_rating_while_the_rectification_is_not_closed(filing, settings):
    with time_machine.travel(DAY, tick=False):
        rating = give(filing, Level.DISSATISFIED, reason=Reason.WAITING)
    assert tickets_of(rating)[0].state == TicketState.OPEN
    with (
        time_machine.travel(DAY + dt.timedelta(days=settings.HALL_RATING_CHANGE_DAYS + 1), tick=False),
        pytest.raises(Conflict),
    ):
        give(filing, Level.SATISFIED)


def test_a_rating_set_aside_on_appeal_is_not_changed(filing):
    rating = give(filing, Level.VERY_DISSATISFIED, reason=Reason.OTHER)
    Rating.objects.filter(pk=rating.pk).update(excluded=True)
    with pytest.raises(Conflict, match="set aside on appeal"):
        give(filing, Level.VERY_SATISFIED)


def test_an_act_not_done_is_not_rated():
    draft = make_filing()
    with pytest.raises(Http404):
        give(draft)
    accepted = visited_filing()
    with pytest.raises(Http404):
        give(accepted, act=ActKind.FILING)  # 一事一评 only once the filing is concluded
    with pytest.raises(Http404):
        give(accepted, act=ActKind.HANDOVER)
    assert not Rating.objects.exists()


def test_each_act_of_a_closed_filing_is_rated_on_its_own():
    filing = closed_filing()
    for act in (ActKind.WINDOW_VISIT, ActKind.HANDOVER, ActKind.FILING):
        give(filing, Level.VERY_SATISFIED, act=act)
    by_act = ratings_of_filing(filing)
    assert set(by_act) == {ActKind.WINDOW_VISIT, ActKind.HANDOVER, ActKind.FILING}
    assert by_act[ActKind.HANDOVER].staff_id == filing.delivery.delivered_by_id
    assert by_act[ActKind.HANDOVER].window_id == filing.delivery.window_id


# --- the channels -------------------------------------------------------------------------------------


def test_the_portal_rates_the_accounts_own_filing_only():
    citizen = make_staff(Role.CITIZEN)
    filing = pre_reviewed_filing(citizen=citizen)
    rating = give(filing, act=ActKind.ONLINE_PRE_REVIEW, channel=Channel.PORTAL, rater=citizen)
    assert (rating.channel, rating.rater, rating.staff_id) == ("portal", citizen, filing.decided_by_id)
    for stranger in (make_staff(Role.CITIZEN), None):
        with pytest.raises(Http404):
            give(filing, act=ActKind.ONLINE_PRE_REVIEW, channel=Channel.PORTAL, rater=stranger)
    # A change through the QR code keeps the account that rated.
    give(filing, Level.VERY_SATISFIED, act=ActKind.ONLINE_PRE_REVIEW, channel=Channel.QR)
    rating.refresh_from_db()
    assert (rating.level, rating.channel, rating.rater) == ("1", "qr", citizen)


@pytest.mark.parametrize("channel", [Channel.QR, Channel.SMS])
def test_the_link_rates_as_the_applicant(filing, channel):
    rating = give(filing, channel=channel)
    assert (rating.rater_key, rating.channel, rating.rater) == (APPLICANT, channel, None)


def test_the_pad_rates_only_an_act_at_its_window(filing):
    from tests.factories.cases import comprehensive_window
    from tests.factories.feedback import pad

    elsewhere = pad(window=comprehensive_window(filing.centre))
    with pytest.raises(Http404):
        give(filing, channel=Channel.PAD, pad=elsewhere)
    rating = give(filing, channel=Channel.PAD, pad=pad(window=filing.window))
    assert rating.channel == Channel.PAD


def test_the_phone_channel_is_not_the_applicants_own(filing):
    with pytest.raises(ValueError, match="rate_by_phone"):
        give(filing, channel=Channel.PHONE)


# --- what the pages read --------------------------------------------------------------------------------


def test_rateable_says_what_may_be_rated_now(settings):
    with time_machine.travel(DAY, tick=False):
        filing = closed_filing()
        give(filing, Level.DISSATISFIED, reason=Reason.WAITING)
    with time_machine.travel(DAY + dt.timedelta(days=1), tick=False):
        rows = rateable(filing)
    assert [(act.kind, rating is not None, can) for act, rating, can in rows] == [
        (ActKind.WINDOW_VISIT, True, True),
        (ActKind.HANDOVER, False, True),
        (ActKind.FILING, False, True),
    ]
    after = DAY + dt.timedelta(days=settings.HALL_RATING_CHANGE_DAYS + 1)
    with time_machine.travel(after, tick=False):
        assert rateable(filing)[0][2] is False
        closed_ticket_of(ratings_of_filing(filing)[ActKind.WINDOW_VISIT])
        assert rateable(filing)[0][2] is True  # re-rating once after the rectification


def test_the_factory_ticket_is_what_the_service_opens(filing):
    # The factories' ticket is shaped like the service's, so that other tests may use either.
    opened = tickets_of(give(filing, Level.DISSATISFIED, reason=Reason.WAITING))[0]
    made = ticket()
    assert (made.state, made.department_id == made.rating.department_id) == (opened.state, True)


def test_the_applicant_re_rates_once_after_the_department_rectified_and_a_supervisor_closed(settings):
    """The whole path through the tickets' own services: a bad rating, its ticket followed up,
    rectified, submitted and verified; past the change period the applicant re-rates once (good: no
    new ticket) and never again."""
    from apps.feedback import tickets

    with time_machine.travel(DAY, tick=False):
        filing = visited_filing()
        bad = give(filing, Level.VERY_DISSATISFIED, reason=Reason.ATTITUDE, comment="态度差")
    [opened] = tickets_of(bad)
    approver = make_staff(Role.APPROVER, department=opened.department)
    supervisor = make_staff(Role.SUPERVISOR, centre=filing.centre)
    with time_machine.travel(DAY + dt.timedelta(days=2), tick=False):
        tickets.record_follow_up(
            ticket_id=opened.pk,
            method="phone",
            followed_up_at=DAY + dt.timedelta(days=1),
            note="已致歉",
            actor=approver,
        )
        tickets.record_rectification(
            ticket_id=opened.pk, cause="窗口人员态度", measures="约谈培训", actor=approver
        )
        tickets.submit_ticket(ticket_id=opened.pk, actor=approver)
        tickets.verify_ticket(ticket_id=opened.pk, note="已核实", actor=supervisor)
    later = DAY + dt.timedelta(days=settings.HALL_RATING_CHANGE_DAYS + 3)
    with time_machine.travel(later, tick=False):
        rerated = give(filing, Level.SATISFIED, channel=Channel.SMS)
        with pytest.raises(Conflict):
            give(filing, Level.VERY_SATISFIED)
    assert (rerated.pk, rerated.level, rerated.rerated_at) == (bad.pk, Level.SATISFIED, later)
    assert [t.state for t in tickets_of(bad)] == [TicketState.CLOSED]
