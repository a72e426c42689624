"""Anchor the rows written before 0006 (centre, department, filing number), set-based: one UPDATE per
logged model and log, reading the subject's row by its id. The map is frozen here as it stood when
written (a migration never calls live code); rows whose subject is gone, or is not a model below, keep
no anchor (only superusers see them in the viewer)."""

from django.db import migrations
from django.db.models import BigIntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce

PATHS = {
    "cases.filing": ("centre", None, "number"),
    "cases.case": ("filing__centre", "department", "filing__number"),
    "cases.escalation": ("department__centre", "department", "case__filing__number"),
    "cases.materialupload": ("entry__filing__centre", None, "entry__filing__number"),
    "cases.correctionfile": (
        "request__case__filing__centre",
        "request__case__department",
        "request__case__filing__number",
    ),
    "certificates.issuerequest": ("filing__centre", None, "filing__number"),
    "certificates.issueddocument": ("filing__centre", "department", "filing__number"),
    "certificates.seal": ("department__centre", "department", None),
    "licences.electroniccertificate": (
        "issued_document__filing__centre",
        "issued_document__department",
        "issued_document__filing__number",
    ),
    "catalogue.serviceitem": ("lineage__centre", "department", None),
    "catalogue.bundle": ("centre", None, None),
    "visits.ticket": ("centre", None, None),
    "visits.appointment": ("slot__area__centre", None, None),
    "visits.servicearea": ("centre", None, None),
    "visits.openingperiod": ("centre", None, None),
    "visits.halldevice": ("centre", None, None),
    "feedback.rectificationticket": ("centre", "department", "rating__filing__number"),
    "feedback.evaluationpad": ("window__centre", None, None),
}
COLUMNS = ("centre", "department", "filing_number")


def anchor(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    logs = [apps.get_model("audit", "TransitionLog"), apps.get_model("audit", "DisclosureLog")]
    for label, paths in PATHS.items():
        app_label, model_name = label.split(".")
        content_type = ContentType.objects.filter(app_label=app_label, model=model_name).first()
        if content_type is None:
            continue  # never logged in this database
        model = apps.get_model(app_label, model_name)
        subject = model._base_manager.filter(pk=Cast(OuterRef("object_id"), BigIntegerField()))
        changes = {}
        for column, path in zip(COLUMNS, paths):
            if path is None:
                continue
            if column == "filing_number":
                changes[column] = Coalesce(Subquery(subject.values(path)[:1]), Value(""))
            else:
                changes[column] = Subquery(subject.values(f"{path}_id")[:1])
        for log in logs:
            log.objects.filter(content_type=content_type).update(**changes)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0006_log_anchors"),
        ("cases", "0019_case_green_channel"),
        ("certificates", "0008_pad_recent_acts"),
        ("licences", "0003_certificate_status_graph"),
        ("catalogue", "0006_field_labels_in_chinese"),
        ("visits", "0003_ticket_number_per_centre"),
        ("feedback", "0005_rollup_index_of_all_departments"),
    ]

    operations = [migrations.RunPython(anchor, migrations.RunPython.noop, elidable=True)]
