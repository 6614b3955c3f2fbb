from django.urls import include, path
from rest_framework.routers import DefaultRouter

from aftersales.api import views

router = DefaultRouter()
router.register("service-centers", views.ServiceCenterViewSet, basename="service-center")
router.register("product-models", views.ProductModelViewSet, basename="product-model")
router.register("customers", views.CustomerViewSet, basename="customer")
router.register("equipment", views.EquipmentViewSet, basename="equipment")
router.register("service-requests", views.ServiceRequestViewSet, basename="service-request")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("", include(router.urls)),
]
