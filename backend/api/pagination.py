from collections.abc import Callable, Sequence

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class PaginatedListMixin:
    """For an APIView whose GET answers one page of a list ({count, next, previous, results}).

    Declaring `pagination_class` is what tells the OpenAPI schema that the list is paginated
    (and adds the `page` / `page_size` parameters); `paginated` is the one way to answer it."""

    pagination_class = Pagination

    def paginated(self, rows, render: Callable[[Sequence], list]) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, self.request, view=self)
        return paginator.get_paginated_response(render(page))
