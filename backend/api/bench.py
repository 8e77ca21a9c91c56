"""Bare baseline endpoints for the benchmark harness (tests/bench), mounted only when
settings.BENCH_ENDPOINTS is on. They read the same 20 rows two ways, so a product endpoint
can be reported as a ratio against "Django + DRF doing almost nothing" measured in the same run."""

from django.http import JsonResponse
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from backend.accounts.models import Organisation

FIELDS = ["id", "code", "name", "kind", "path", "depth"]
ROWS = 20


class BareOrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = FIELDS


class BareDrfList(generics.ListAPIView):
    """A DRF list of 20 rows: serializer, renderer, no authentication, no pagination."""

    serializer_class = BareOrganisationSerializer
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    pagination_class = None

    def get_queryset(self):
        return Organisation.objects.order_by("pk")[:ROWS]


def bare_json(request):
    """The same 20 rows through a plain JsonResponse: the floor under any Django view."""
    return JsonResponse({"results": list(Organisation.objects.order_by("pk").values(*FIELDS)[:ROWS])})
