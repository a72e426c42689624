from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.api.serializers import MeSerializer
from apps.accounts.models import User
from apps.accounts.permissions import IsAuthenticated


class MeView(APIView):
    """The logged-in user, their roles and where they work."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = User.objects.prefetch_related(
            "memberships__centre", "memberships__department", "memberships__window"
        ).get(pk=request.user.pk)
        return Response(MeSerializer(user).data)
