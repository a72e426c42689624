from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WINDOW = "window", _("At a window")  # 窗口收件
    ONLINE = "online", _("Online")  # 网上申报
    ASSISTED = "assisted", _("Assisted filing by staff")  # 帮办代办


# Drafts prepared away from the windows — by the citizen online, by an assistant (帮办代办): a
# window sees them only once they are submitted.
DRAFTED_AWAY = (Channel.ONLINE, Channel.ASSISTED)


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Natural person")  # 自然人
    ORGANISATION = "organisation", _("Organisation")  # 法人和其他组织


class FilingState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted online")  # 网上已提交，待窗口预审
    PRE_REVIEW = "pre_review", _("In pre-review at a window")  # 窗口预审中
    ACCEPTED = "accepted", _("Accepted")  # 受理
    ACCEPTED_WITH_DEFICIENCY = "accepted_with_deficiency", _("Accepted with a deficiency")  # 容缺受理
    RETURNED = "returned_for_completion", _("Returned for completion")  # 一次性告知
    REJECTED = "rejected", _("Refused")  # 不予受理
    WITHDRAWN = "withdrawn", _("Withdrawn")  # 撤回
    READY_FOR_ISSUE = "ready_for_issue", _("Ready for issue")
    ISSUED = "issued", _("Issued")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", _("Closed")  # 办结
    TERMINATED = "terminated", _("Terminated")  # 终止


# A filing at the front desk is still being decided in these states.
UNDECIDED = (FilingState.DRAFT, FilingState.SUBMITTED, FilingState.PRE_REVIEW)
# ... and a window works on it (records materials, decides) in these: a window filing from the start,
# an online one once a clerk has taken it for pre-review.
AT_A_WINDOW = (FilingState.DRAFT, FilingState.PRE_REVIEW)


class CaseState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    IN_REVIEW = "in_review", _("In review")
    SUSPENDED = "suspended", _("Suspended")
    AWAITING_DECISION = "awaiting_decision", _("Awaiting sign-off")
    APPROVED = "approved", _("Approved")  # 准予许可
    DENIED = "denied", _("Denied")  # 不予许可
    WITHDRAWN = "withdrawn", _("Withdrawn")
    TERMINATED = "terminated", _("Terminated")


class MaterialStatus(models.TextChoices):
    """What the window recorded for one material of the checklist."""

    PENDING = "pending", _("Not checked yet")
    ORIGINAL = "original", _("Original received")  # 收原件
    COPY = "copy", _("Copy received")  # 收复印件
    ELECTRONIC = "electronic", _("Electronic file received")  # 收电子件
    E_CERTIFICATE = "e_certificate", _("Replaced by an e-certificate")  # 免证可办
    DEFICIENT = "deficient", _("Deficient, to follow (容缺)")  # 容缺后补
    MISSING = "missing", _("Missing")  # 缺


# Statuses that count as the material having been handed in.
SATISFIED = (
    MaterialStatus.ORIGINAL,
    MaterialStatus.COPY,
    MaterialStatus.ELECTRONIC,
    MaterialStatus.E_CERTIFICATE,
)


# How the steps of a case read in its history (the log stores the transition's name).
CASE_STEPS = {
    "claim": _("Claimed"),
    "release": _("Released to the queue"),
    "request_correction": _("Correction requested"),
    "start_special_procedure": _("Special procedure started"),
    # Not "Resumed": that msgid is the suspensions table's column (恢复日期, the date it ended).
    "resume": _("Review resumed"),
    "extend": _("Time limit extended"),
    "approve": _("Approved"),
    "deny": _("Denied"),
    "propose_decision": _("Decision proposed for sign-off"),
    "sign_off_approval": _("Approval signed off"),
    "sign_off_denial": _("Denial signed off"),
    "send_back": _("Sent back to the approver"),
    "withdraw": _("Withdrawn"),
    "terminate": _("Terminated"),
    "escalation_acknowledged": _("Escalation acknowledged"),
    "escalation_resolved": _("Escalation resolved"),
    # A supervisor's early escalation (apps.cases.review.services.escalate_early), in every history.
    "escalated_early": _("Escalated early"),
    # The graph's check of who may write an opinion (apps.cases.review.services.record_opinion): no
    # row is logged for it today (the opinion is its own record), but the graph has it.
    "record_opinion": _("Review opinion recorded"),
}

# How the steps of a filing read in its history.
FILING_STEPS = {
    # Steps recorded with ``audit.services.record_step`` (no transition of the filing's graph).
    "open": _("Opened"),
    "record_materials": _("Materials recorded"),
    "upload": _("File uploaded"),
    # The applicant's own steps online (apps.cases.online).
    "remove_upload": _("File removed"),
    "use_e_certificate": _("E-certificate used instead of the material"),
    "drop_e_certificate": _("E-certificate no longer used"),
    "declare": _("Declaration made"),
    "discard": _("Draft discarded"),
    "resubmission": _("Opened to complete a filing returned for completion"),
    "resubmitted": _("Completed by a new filing"),
    "clear_deficiency": _("Missing materials handed in"),
    "deficiency_lapsed": _("Missing materials not handed in by the date promised"),
    "submit": _("Submitted online"),
    "start_pre_review": _("Taken for pre-review"),
    "release_pre_review": _("Released from pre-review"),
    "accept": _("Accepted"),
    "accept_with_deficiency": _("Accepted with a deficiency"),
    "return_for_completion": _("Returned for completion"),
    "refuse": _("Refused"),
    "withdraw": _("Withdrawn"),
    "complete_review": _("Every case decided: ready for issue"),
    "terminate": _("Terminated"),
    "request_issue": _("Issue requested from the seal keeper"),
    "cancel_issue": _("Issue request cancelled"),
    "issue": _("Issued (seals confirmed)"),
    "deliver": _("Delivered"),
    "close": _("Closed (办结)"),
    # 帮办代办 and 绿色通道 (apps.cases.assistance, apps.cases.green_channel).
    "hand_over": _("Handed over to another assistant"),
    "flag_green_channel": _("Put in the green channel (绿色通道)"),
    "unflag_green_channel": _("Taken out of the green channel (绿色通道)"),
    # The applicant's choice of how to receive the documents (apps.certificates.services.delivery).
    "choose_delivery": _("Way of receiving the documents chosen"),
    # 好差评 of the filing's acts (apps.feedback.services): given, changed within its days, given
    # again after a rectification.
    "rated": _("Rated"),
    "rating_changed": _("Rating changed"),
    "rerated": _("Rated again after rectification"),
}

# How the steps of an escalation (督办) read: the supervisors' transitions, and the sweeps' raising
# written in bulk (apps.cases.sweeps) — a rectification ticket's escalations too. The history of what
# it concerns says the same as ``escalation_acknowledged`` / ``escalation_resolved``.
ESCALATION_STEPS = {
    "acknowledge": _("Escalation acknowledged"),
    "raise_to_centre": _("Raised to the centre's supervisors"),
    "resolve": _("Escalation resolved"),
}

# What a disclosure (the disclosure log's ``what``) of a filing or a case showed.
DISCLOSURES = {
    "applicant_id_number": _("The applicant's identity number"),
    "material_upload": _("An uploaded material"),
    "notice_pdf": _("A notice to the applicant (PDF)"),
    "correction_file": _("A file answering a correction request"),
    # Purposes (stored as these words since the log began).
    "case review": _("Case review"),
}
