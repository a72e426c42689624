from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    """How a date differs from the Monday–Friday rule."""

    HOLIDAY = "holiday", _("Statutory holiday")  # 法定节假日（放假）
    WORKDAY = "workday", _("Make-up working day")  # 调休上班
    CLOSURE = "closure", _("Local closure")  # 本中心临时闭厅


class DaySource(models.TextChoices):
    STATUTORY = "statutory", _("State Council notice")  # 国务院办公厅通知
    LOCAL = "local", _("Local override")


class SpecialProcedure(models.TextChoices):
    """特别程序 that stop the clock (行政许可法 §45; 公示 and 踏勘 are local practice)."""

    HEARING = "hearing", _("Hearing")  # 听证
    TENDER = "tender", _("Tender")  # 招标
    AUCTION = "auction", _("Auction")  # 拍卖
    INSPECTION = "inspection", _("Inspection")  # 检验
    TESTING = "testing", _("Testing")  # 检测
    QUARANTINE = "quarantine", _("Quarantine")  # 检疫
    APPRAISAL = "appraisal", _("Appraisal")  # 鉴定
    EXPERT_REVIEW = "expert_review", _("Expert review")  # 专家评审
    PUBLIC_NOTICE = "public_notice", _("Public notice")  # 公示
    SITE_SURVEY = "site_survey", _("Site survey")  # 踏勘


class SuspensionKind(models.TextChoices):
    CORRECTION = "correction", _("Correction requested from the applicant")  # 补正
    SPECIAL_PROCEDURE = "special_procedure", _("Special procedure")  # 特别程序


# chinese_calendar names its holidays in English; the calendar shows the official Chinese names.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
