from django.urls import include, path
from rest_framework.routers import DefaultRouter

from aftersales.api import billing, views, workorders


class IdRouter(DefaultRouter):
    """Object ids in the API's paths are 1–18 digits: anything else is not a route (a JSON 404), never a database
    overflow or an HTML page."""

    def get_lookup_regex(self, viewset, lookup_prefix: str = "") -> str:
        kwarg = getattr(viewset, "lookup_url_kwarg", None) or getattr(viewset, "lookup_field", "pk")
        return f"(?P<{lookup_prefix}{kwarg}>{getattr(viewset, 'lookup_value_regex', '[0-9]{1,18}')})"


router = IdRouter()
router.register("service-centers", views.ServiceCenterViewSet, basename="service-center")
router.register("product-models", views.ProductModelViewSet, basename="product-model")
router.register("customers", views.CustomerViewSet, basename="customer")
router.register("equipment", views.EquipmentViewSet, basename="equipment")
router.register("service-requests", views.ServiceRequestViewSet, basename="service-request")
router.register("work-orders", billing.WorkOrderBillingViewSet, basename="work-order")
router.register("parts", billing.PartViewSet, basename="part")
router.register("warehouses", billing.WarehouseViewSet, basename="warehouse")
router.register("invoices", billing.InvoiceViewSet, basename="invoice")
router.register("technician-daily-reports", workorders.TechnicianReportViewSet, basename="technician-daily-report")
router.register("supervisor-daily-reports", workorders.SupervisorReportViewSet, basename="supervisor-daily-report")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("", include(router.urls)),
]
