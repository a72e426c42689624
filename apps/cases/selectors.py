"""Who sees which filing: the one rule the desks, the API and file downloads all use."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from apps.accounts.models import StaffMembership
from apps.cases.codes import ApplicationState
from apps.cases.models import Application, Case, ChecklistEntry

LIST_FIELDS = ("number", "state", "applicant_name", "applicant_id_number", "created_at", "submitted_at")


def filings_visible_to(user) -> QuerySet[Application]:
    """A citizen sees their own filings; staff see the filings of the centres they work in."""
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    if (
        user.has_perm("accounts.use_citizen_portal")
        and not StaffMembership.objects.filter(user=user).exists()
    ):
        return Application.objects.filter(citizen=user)
    # Centre-wide staff (clerks, issuers, supervisors) see the centre's filings; back-office staff
    # (a membership in a department) only the filings with a case in their department.
    memberships = StaffMembership.objects.filter(user=user)
    centres = memberships.filter(department__isnull=True).values("centre_id")
    departments = memberships.filter(department__isnull=False).values("department_id")
    in_department = Exists(Case.objects.filter(application=OuterRef("pk"), department_id__in=departments))
    return Application.objects.filter(Q(centre_id__in=centres) | in_department)


def filing_detail(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.select_related("centre", "window", "bundle", "pre_reviewer").prefetch_related(
        "items__item__department",
        Prefetch(
            "checklist",
            ChecklistEntry.objects.select_related(
                "material", "replaceable_by", "produced_by"
            ).prefetch_related("uploads"),
        ),
        "cases__clock",
        "cases__department",
        "cases__corrections",
        "notices",
    )


def clerk_window(user):
    """The clerk's usual window (from their membership), if any."""
    membership = (
        StaffMembership.objects.filter(user=user, window__isnull=False).select_related("window").first()
    )
    return membership.window if membership else None


def awaiting_pre_review(centre_id: int) -> QuerySet[Application]:
    """Online filings of a centre submitted and not yet taken by a window, oldest first (网上预审)."""
    return (
        Application.objects.filter(centre_id=centre_id, state=ApplicationState.SUBMITTED)
        .only(*LIST_FIELDS)
        .order_by("submitted_at", "pk")
    )


def in_pre_review_by(user) -> QuerySet[Application]:
    """The online filings a clerk has taken for pre-review and not decided yet."""
    return (
        Application.objects.filter(pre_reviewer=user, state=ApplicationState.PRE_REVIEW)
        .only(*LIST_FIELDS)
        .order_by("submitted_at", "pk")
    )
