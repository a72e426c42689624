"""Rules a service-item version must satisfy, beyond what each field checks by itself.

Called from ``ServiceItem.clean()`` (admin forms, ``full_clean``) and by the importer, so that a rule
is written once. Each message names the field and the rule, translated.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.catalogue.codes import HandlingType, ItemKind


def _related(obj, name: str):
    """A foreign-key object, saved or not yet saved (the importer and the admin judge new lineages)."""
    if getattr(obj, f"{name}_id") is not None:
        return getattr(obj, name)
    return obj._state.fields_cache.get(name)


def check_item(item) -> None:
    """Cross-field rules of one version; raises ValidationError naming the field and the rule."""
    errors: dict[str, list] = {}

    def add(field, message, rule, **params):
        errors.setdefault(field, []).append(ValidationError(message, code=rule, params=params))

    if (
        item.promised_limit_days is not None
        and item.legal_limit_days is not None
        and item.promised_limit_days > item.legal_limit_days
    ):
        add(
            "promised_limit_days",
            _("The promised limit (%(promised)s working days) may not exceed the legal limit (%(legal)s)."),
            "promised_above_legal",
            promised=item.promised_limit_days,
            legal=item.legal_limit_days,
        )
    if item.handling_type == HandlingType.IMMEDIATE and item.promised_limit_days:
        add(
            "promised_limit_days",
            _("An item decided on the spot (即办件) has a promised limit of 0 working days."),
            "immediate_limit",
        )
    lineage = _related(item, "lineage")
    base = _related(lineage, "base") if lineage is not None else None
    if lineage is not None and lineage.kind == ItemKind.BASE:
        if item.department_id:
            add("department", _("A base catalogue item has no implementing department."), "base_department")
        if item.implementation_code:
            add("implementation_code", _("A base catalogue item has no implementation code."), "base_code")
        if item.basic_code and item.basic_code != lineage.code:
            add("basic_code", _("The basic code of an item cannot change between versions."), "code_changed")
    if lineage is not None and lineage.kind == ItemKind.IMPLEMENTATION:
        if not item.department_id:
            add(
                "department", _("An implementation needs its implementing department."), "department_required"
            )
        elif item.department.centre_id != lineage.centre_id:
            add(
                "department",
                _("The implementing department must belong to the implementation's service centre."),
                "department_centre",
            )
        if base is not None and item.basic_code and item.basic_code != base.code:
            add(
                "basic_code",
                _("An implementation keeps the basic code of its base item (%(code)s)."),
                "basic_code_base",
                code=base.code,
            )
        for phone in ("consultation_phone", "supervision_phone"):
            if not getattr(item, phone):
                add(
                    phone,
                    _("An implementation gives its consultation and supervision phones."),
                    "phone_required",
                )
        if item.department_id and item.level and item.basic_code:
            expected = f"{item.department.credit_code}{item.level}{item.basic_code}"
            if item.implementation_code != expected:
                add(
                    "implementation_code",
                    _(
                        "The implementation code must be the department's credit code, the level digit "
                        "and the basic code: %(expected)s."
                    ),
                    "implementation_code_mismatch",
                    expected=expected,
                )
        if item.implementation_code and lineage.code and item.implementation_code != lineage.code:
            add(
                "implementation_code",
                _("The implementation code cannot change between versions."),
                "code_changed",
            )
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class Problem:
    """A broken rule: the field (or list) it concerns, a stable rule code, the message, and for a
    bundle the index of the member it is about."""

    field: str
    rule: str
    message: str
    member: int | None = None


def raise_problems(problems: list[Problem]) -> None:
    if problems:
        errors: dict[str, list] = {}
        for problem in problems:
            errors.setdefault(problem.field, []).append(ValidationError(problem.message, code=problem.rule))
        raise ValidationError(errors)


def list_problems(*, is_charged: bool, step_count: int, fee_count: int) -> list[Problem]:
    """What publishing needs of an item's lists."""
    problems = []
    if is_charged and not fee_count:
        problems.append(
            Problem(
                "is_charged",
                "no_fees",
                _("A charged item needs at least one fee item with its standard and basis."),
            )
        )
    if not step_count:
        problems.append(Problem("steps", "no_steps", _("An item needs at least one process step.")))
    return problems


@dataclass(frozen=True)
class BundleMember:
    """What the bundle rules need to know of one of its items: of its published version, the legal
    limit (None: the item has no published version) and the promised limit (None: not known)."""

    code: str
    centre_id: int | None
    legal_limit_days: int | None
    promised_limit_days: int | None = None
    name: str = ""


def bundle_problems(
    *, centre_id: int, promised_limit_days: int, members: list[BundleMember], published: bool = True
) -> list[Problem]:
    """The bundle rules (docs/domain.md, "Bundles"). A published bundle offers published
    implementations of its own centre, at least two.

    Its promised limit is what the applicant is told for the whole filing. Each case runs on its own
    item's promised limit (the items are approved in parallel), so the bundle may promise no less
    than the longest of them — a shorter promise would be broken by that item, or would cut its
    clock short — and no more than the longest legal limit among them (the law's bound on the last
    decision). A draft is checked on the limits only, against the items published so far."""
    problems = []
    if published and len(members) < 2:
        problems.append(Problem("items", "too_few_items", _("A bundle combines at least two items.")))
    counted = []
    for index, member in enumerate(members):
        if member.legal_limit_days is None:
            if published:
                problems.append(
                    Problem(
                        "items",
                        "item_not_published",
                        _("Item %(code)s is retired or not published, so it cannot be part of a bundle.")
                        % {"code": member.code},
                        index,
                    )
                )
        elif member.centre_id != centre_id:
            if published:
                problems.append(
                    Problem(
                        "items",
                        "item_of_other_centre",
                        _("Item %(code)s is not an item of this bundle's service centre.")
                        % {"code": member.code},
                        index,
                    )
                )
        else:
            counted.append((index, member))
    if not counted or promised_limit_days is None:
        return problems
    longest = max(
        (pair for pair in counted if pair[1].promised_limit_days is not None),
        key=lambda pair: pair[1].promised_limit_days,
        default=None,
    )
    if longest is not None and promised_limit_days < longest[1].promised_limit_days:
        index, member = longest
        problems.append(
            Problem(
                "promised_limit_days",
                "promised_below_item",
                _(
                    "The bundle's promised limit (%(promised)s working days) is shorter than the promised "
                    "limit of its item %(name)s (%(code)s, %(item)s working days): the items are approved "
                    "in parallel, so the bundle promises at least its longest item."
                )
                % {
                    "promised": promised_limit_days,
                    "name": member.name or member.code,
                    "code": member.code,
                    "item": member.promised_limit_days,
                },
                index,
            )
        )
    legal = max(member.legal_limit_days for _index, member in counted)
    if promised_limit_days > legal:
        problems.append(
            Problem(
                "promised_limit_days",
                "promised_above_items",
                _(
                    "The bundle's promised limit (%(promised)s working days) may not exceed the longest "
                    "legal limit of its items (%(legal)s)."
                )
                % {"promised": promised_limit_days, "legal": legal},
            )
        )
    return problems
