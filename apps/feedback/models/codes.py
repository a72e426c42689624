"""The code lists of ratings (好差评, 国办发〔2019〕51号; GB/T 39046 A.8 numbers the levels 1–5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Five levels, coded as GB/T 39046 A.8 codes them (1 best … 5 worst)."""

    VERY_SATISFIED = "1", _("Very satisfied")  # 非常满意
    SATISFIED = "2", _("Satisfied")  # 满意
    FAIRLY_SATISFIED = "3", _("Fairly satisfied")  # 基本满意
    DISSATISFIED = "4", _("Dissatisfied")  # 不满意
    VERY_DISSATISFIED = "5", _("Very dissatisfied")  # 非常不满意


# The satisfaction rate (满意率) counts the top three; the two lowest are bad ratings (差评): they need a
# reason and open a rectification ticket.
SATISFIED_LEVELS = (Level.VERY_SATISFIED, Level.SATISFIED, Level.FAIRLY_SATISFIED)
BAD_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)


class ActKind(models.TextChoices):
    """What is rated. 一次一评: one service act; 一事一评: the whole filing once it is concluded."""

    WINDOW_VISIT = "window_visit", _("Window visit")  # a filing taken and decided at a window
    ONLINE_PRE_REVIEW = "online_pre_review", _("Online pre-review")  # 网上预审
    HANDOVER = "handover", _("Hand-over of the documents")  # 窗口领取
    FILING = "filing", _("The whole filing")  # 一事一评


class Channel(models.TextChoices):
    """Where a rating came from (recorded on every rating)."""

    PAD = "pad", _("Window evaluation pad")  # 评价器
    PORTAL = "portal", _("Online hall")  # 网上办事大厅
    QR = "qr", _("QR code")  # 二维码 (printed on notices and certificates)
    SMS = "sms", _("SMS link")  # 短信 (sent after 办结)
    PHONE = "phone", _("Phone (12345)")  # 12345 热线, entered by a supervisor


class Reason(models.TextChoices):
    """Why a bad rating: the categories the national rating platform groups complaints into. One is
    required for 不满意 and 非常不满意, with free text beside it."""

    GUIDE = "guide", _("The guide was unclear or wrong")  # 办事指南不清晰、不准确
    MATERIALS = "materials", _("Too many or repeated materials asked for")  # 材料多、重复提交
    VISITS = "visits", _("Had to come back more than once")  # 多次跑动
    WAITING = "waiting", _("Long wait")  # 排队等候时间长
    DURATION = "duration", _("Took too long or finished late")  # 办理时间长、超时
    ATTITUDE = "attitude", _("Poor attitude of the staff")  # 服务态度差
    COMPETENCE = "competence", _("Staff unsure of the rules or unclear")  # 业务不熟、解释不清
    ONLINE = "online", _("The online hall was hard to use")  # 网上办事系统不好用
    FEES = "fees", _("Improper fees")  # 违规收费
    INTEGRITY = "integrity", _("Passed from desk to desk or asked for favours")  # 推诿扯皮、吃拿卡要
    OTHER = "other", _("Other")  # 其他


# How the steps of an evaluation pad read in the audit log (apps.feedback.pads): a supervisor pairs it
# with a window (a one-time code), the tablet takes its key with the code, the key is revoked.
PAD_STEPS = {
    "pad_paired": _("Pairing code issued"),
    "pad_code_renewed": _("Pairing code renewed"),
    "pad_claimed": _("Pairing completed"),
    "pad_revoked": _("Pad revoked"),
}

# What a disclosure of a rectification ticket showed (the disclosure log's ``what``).
DISCLOSURES = {
    "applicant_phone": _("The applicant's phone number"),
    "appeal_evidence": _("Appeal evidence"),
    # Purposes (stored as these words since the log began).
    "rectification follow-up": _("Rectification follow-up"),
}
