from django.urls import include, path
from rest_framework.routers import DefaultRouter

from aftersales.api import views, workorders

router = DefaultRouter()
router.register("service-centers", views.ServiceCenterViewSet, basename="service-center")
router.register("product-models", views.ProductModelViewSet, basename="product-model")
router.register("customers", views.CustomerViewSet, basename="customer")
router.register("equipment", views.EquipmentViewSet, basename="equipment")
router.register("service-requests", views.ServiceRequestViewSet, basename="service-request")
router.register("work-orders", workorders.WorkOrderViewSet, basename="work-order")
router.register("technician-daily-reports", workorders.TechnicianReportViewSet, basename="technician-daily-report")
router.register("supervisor-daily-reports", workorders.SupervisorReportViewSet, basename="supervisor-daily-report")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("", include(router.urls)),
]
