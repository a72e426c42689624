"""The supervision desk's cases at risk (预警): the open yellow and red cases by department, and an
early escalation with a note."""

urlpatterns = []
