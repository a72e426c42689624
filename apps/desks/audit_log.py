"""The audit viewer (日志查询): the transition and disclosure logs, searched and exported."""

urlpatterns = []
