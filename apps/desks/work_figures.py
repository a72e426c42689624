"""The supervision desk's work figures (办件统计): the dashboard of the hall's work from the daily roll-ups,
each chart with its table and an .xlsx export."""

urlpatterns = []
