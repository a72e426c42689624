"""The supervision desk's catalogue figures (事项统计): time compressed, zero and one visit, online,
appointment and postal shares, 即办件, bundles' materials merged."""

urlpatterns = []
