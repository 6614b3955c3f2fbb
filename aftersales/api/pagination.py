"""Pages of API lists: ``page`` and ``page_size`` are checked, never silently replaced.

DRF quietly falls back to the default size for ``page_size=abc`` and answers "Invalid page" with a 404 for
``page=abc``; a client then cannot tell a typo from an empty list. Here a page number that is not a positive integer, or
a size outside 1..``API_MAX_PAGE_SIZE``, is a 400 naming the parameter; a page after the last is a 404 (both documented
in the schema).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _
from rest_framework.pagination import PageNumberPagination

from aftersales.core.params import int_param

MAX_PAGE = 1_000_000


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.getlist(self.page_size_query_param)
        if len(raw) > 1:
            raise BadRequest(_("Give %(name)s once.") % {"name": self.page_size_query_param})
        if not raw:
            return self.page_size
        return int_param(raw[0] or "-", self.page_size_query_param, minimum=1, maximum=self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.getlist(self.page_query_param)
        if len(raw) > 1:
            raise BadRequest(_("Give %(name)s once.") % {"name": self.page_query_param})
        if raw:
            int_param(raw[0] or "-", self.page_query_param, minimum=1, maximum=MAX_PAGE)  # present but empty is no number
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": MAX_PAGE})
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_page_size})
        return parameters
