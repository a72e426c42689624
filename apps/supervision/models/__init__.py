from apps.supervision.models.anomalies import Anomaly, AnomalyRule
from apps.supervision.models.rollups import Dimension, RefreshMark, WorkRollup

__all__ = ["Anomaly", "AnomalyRule", "Dimension", "RefreshMark", "WorkRollup"]
