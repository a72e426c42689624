"""Rules a service-item version must satisfy, beyond what each field checks by itself.

Called from ``ServiceItem.clean()`` (admin forms, ``full_clean``) and by the importer, so that a rule
is written once. Each message names the field and the rule, translated.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.catalogue.codes import HandlingType, ItemKind


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
    # A lineage being created alongside its first version is not saved yet: use the instance.
    lineage = item._state.fields_cache.get("lineage") if not item.lineage_id else item.lineage
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
        if lineage.base_id and item.basic_code and item.basic_code != lineage.base.code:
            add(
                "basic_code",
                _("An implementation keeps the basic code of its base item (%(code)s)."),
                "basic_code_base",
                code=lineage.base.code,
            )
        if item.department_id and item.level and item.basic_code:
            expected = f"{item.department.credit_code}{item.level}{item.basic_code}"
            if item.implementation_code != expected:
                add(
                    "implementation_code",
                    _(
                        "The implementation code must be the department's credit code, the level digit and the "
                        "basic code: %(expected)s."
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
