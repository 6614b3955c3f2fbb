from django.urls import include, path
from rest_framework.routers import DefaultRouter

from aftersales.api import billing, domains, views, workorders
from aftersales.api.idempotency import IdempotentWrites


class IdRouter(DefaultRouter):
    """Object ids in the API's paths are 1–18 digits: anything else is not a route (a JSON 404), never a database
    overflow or an HTML page."""

    def get_lookup_regex(self, viewset, lookup_prefix: str = "") -> str:
        kwarg = getattr(viewset, "lookup_url_kwarg", None) or getattr(viewset, "lookup_field", "pk")
        return f"(?P<{lookup_prefix}{kwarg}>{getattr(viewset, 'lookup_value_regex', '[0-9]{1,18}')})"


    def register(self, prefix, viewset, basename=None):
        """Every viewset's writes honour an Idempotency-Key (api.idempotency)."""
        if not issubclass(viewset, IdempotentWrites):
            viewset = type(viewset.__name__, (IdempotentWrites, viewset), {"__doc__": viewset.__doc__, "__module__": viewset.__module__})
        super().register(prefix, viewset, basename)


router = IdRouter()
router.register("service-centers", views.ServiceCenterViewSet, basename="service-center")
router.register("product-models", views.ProductModelViewSet, basename="product-model")
router.register("customers", views.CustomerViewSet, basename="customer")
router.register("equipment", views.EquipmentViewSet, basename="equipment")
router.register("service-requests", views.ServiceRequestViewSet, basename="service-request")
router.register("work-orders", type("WorkOrderViewSet", (domains.PaymentsMixin, billing.WorkOrderBillingViewSet),
                                     {"__doc__": billing.WorkOrderBillingViewSet.__doc__}), basename="work-order")
router.register("parts", billing.PartViewSet, basename="part")
router.register("warehouses", billing.WarehouseViewSet, basename="warehouse")
router.register("invoices", billing.InvoiceViewSet, basename="invoice")
router.register("quotations", domains.QuotationViewSet, basename="quotation")
router.register("opinion-cards", domains.OpinionCardWrites, basename="opinion-card")
router.register("return-visits", domains.ReturnVisitWrites, basename="return-visit")
router.register("contracts", domains.ContractFullWrites, basename="contract")
router.register("complaints", domains.ComplaintFullWrites, basename="complaint")
router.register("goods-returns", domains.GoodsReturnFullWrites, basename="goods-return")
router.register("requisitions", domains.RequisitionWrites, basename="requisition")
router.register("score-sheets", domains.ScoreSheetViewSet, basename="score-sheet")
router.register("technician-daily-reports", workorders.TechnicianReportViewSet, basename="technician-daily-report")
router.register("supervisor-daily-reports", workorders.SupervisorReportViewSet, basename="supervisor-daily-report")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("reports/monthly-summary/", type("MonthlySummaryView", (IdempotentWrites, domains.MonthlySummaryView), {})
         .as_view(), name="monthly-summary"),
    path("", include(router.urls)),
]
