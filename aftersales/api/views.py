"""REST endpoints under /api/v1/. Reads go through selectors; writes through services."""

from __future__ import annotations

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from aftersales.accounts.models import ServiceCenter
from aftersales.api import serializers as s
from aftersales.api import workorders
from aftersales.core.clients import lockout_response
from aftersales.core.params import id_param
from aftersales.customers.selectors import customer_list, get_customer_for_user
from aftersales.customers.services import AddressInput, CustomerInput, customer_create
from aftersales.equipment.selectors import equipment_list, get_equipment_for_user, product_model_list
from aftersales.equipment.services import equipment_create
from aftersales.servicedesk import selectors as sd
from aftersales.servicedesk import services as sd_services

ERRORS = {
    400: OpenApiResponse(s.ErrorSerializer, description="Bad input; nothing was written"),
    403: OpenApiResponse(s.ErrorSerializer, description="Not allowed"),
    404: OpenApiResponse(s.ErrorSerializer, description="Not found or not visible to you"),
}
CONFLICT = {409: OpenApiResponse(s.ErrorSerializer, description="Illegal transition or concurrent change")}


class TokenView(ObtainAuthToken):
    """POST {"username", "password"} → {"token"}. Throttled, and locked like the login page (core.clients): after
    too many wrong passwords for the account, or from the address, the answer is 429."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(responses={200: OpenApiResponse(description="The token"), 400: ERRORS[400], 429: OpenApiResponse(
        s.ErrorSerializer, description="Too many wrong passwords for the account or from the address")})
    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except s.serializers.ValidationError:
            # Axes and the address throttle mark the request DRF wraps; answer as the login page does.
            if getattr(request, "axes_locked_out", False):
                return lockout_response(request._request)
            if getattr(request, "login_address_blocked", False):
                request._request.login_address_blocked = True
            raise


def date_query(params, name: str):
    """``?name=2026-12-02`` as a date; absent is None; present but not a date (or given twice) is a 400."""
    values = params.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise BadRequest(_("Give %(name)s once.") % {"name": name})
    try:
        return s.serializers.DateField().to_internal_value(values[0])
    except s.serializers.ValidationError as exc:
        raise BadRequest(_("“%(value)s” is not a valid %(name)s (2026-12-02).") % {"value": values[0][:30], "name": name}) from exc


def bool_query(params, name: str) -> bool:
    """``?name=true|false|1|0``; absent is False; anything else (or given twice) is a 400."""
    values = params.getlist(name)
    if not values:
        return False
    if len(values) > 1 or values[0] not in ("true", "false", "1", "0"):
        raise BadRequest(_("“%(value)s” is not a valid %(name)s (true or false).") % {"value": values[0][:30], "name": name})
    return values[0] in ("true", "1")


def _param(name: str, type_=str, description: str = "") -> OpenApiParameter:
    return OpenApiParameter(name, type_, description=description)


@extend_schema_view(list=extend_schema(responses={200: s.ServiceCenterSerializer(many=True), **ERRORS}))
class ServiceCenterViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ServiceCenterSerializer

    def get_queryset(self):
        """Head office sees every centre; branch staff see their own."""
        qs = ServiceCenter.objects.order_by("code")
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return qs.none()
        return qs if self.request.user.has_global_scope else qs.filter(pk=self.request.user.service_center_id)


class ProductModelViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ProductModelSerializer

    def get_queryset(self):
        return product_model_list()


@extend_schema_view(
    list=extend_schema(parameters=[
        _param("q", description="name (prefix/contains), phone, customer ID, serial/VIN or plate"), _param("phone"),
        _param("serial"), _param("plate"), _param("customer_no"), _param("created_from"), _param("created_to"),
    ]),
    create=extend_schema(request=s.CustomerCreateSerializer, responses={201: s.CustomerSerializer, **ERRORS}),
)
class CustomerViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.CustomerSerializer

    def get_queryset(self):
        p = self.request.query_params
        dates = {k: date_query(p, k) for k in ("created_from", "created_to")}
        return customer_list(user=self.request.user, q=p.get("q", ""), phone=p.get("phone", ""), serial=p.get("serial", ""),
                             plate=p.get("plate", ""), customer_no=p.get("customer_no", ""), **dates)

    def get_object(self):
        return get_customer_for_user(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        if not request.user.has_perm("customers.change", None):
            raise PermissionDenied
        data = s.CustomerCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        center = v.pop("service_center", None) or request.user.service_center
        if center is None:
            raise s.serializers.ValidationError({"service_center": ["required"]})
        allow = v.pop("allow_duplicate_phone")
        v["addresses"] = [AddressInput(**a) for a in v["addresses"]]
        customer = customer_create(actor=request.user, data=CustomerInput(service_center=center, **v), allow_duplicate_phone=allow)
        return Response(s.CustomerSerializer(get_customer_for_user(request.user, customer.pk)).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(parameters=[_param("serial"), _param("plate"), _param("customer", int), _param("q")]),
    create=extend_schema(request=s.EquipmentCreateSerializer, responses={201: s.EquipmentSerializer, **ERRORS}),
)
class EquipmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.EquipmentSerializer

    def get_queryset(self):
        p = self.request.query_params
        return equipment_list(user=self.request.user, serial=p.get("serial", ""), plate=p.get("plate", ""),
                              customer_id=id_param(p.get("customer"), "customer"), q=p.get("q", ""))

    def get_object(self):
        return get_equipment_for_user(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        data = s.EquipmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        try:
            customer = get_customer_for_user(request.user, v.pop("customer"))
        except Http404 as exc:
            raise s.serializers.ValidationError({"customer": ["unknown customer"]}) from exc
        if not request.user.has_perm("customers.change", customer):
            raise PermissionDenied
        unit = equipment_create(actor=request.user, customer=customer, **v)
        return Response(s.EquipmentSerializer(unit).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(parameters=[
        _param("status"), _param("category"), _param("service_center", int), _param("date_from"), _param("date_to"),
        _param("overdue", bool), _param("q"), _param("customer", int),
    ]),
    create=extend_schema(request=s.ServiceRequestCreateSerializer, responses={201: s.ServiceRequestSerializer, **ERRORS}),
)
class ServiceRequestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ServiceRequestSerializer

    def get_queryset(self):
        p = self.request.query_params
        return sd.request_list(
            user=self.request.user, status=p.get("status", ""), category=p.get("category", ""),
            service_center_id=id_param(p.get("service_center"), "service_center"),
            date_from=date_query(p, "date_from"), date_to=date_query(p, "date_to"),
            overdue=bool_query(p, "overdue"), q=p.get("q", ""),
            customer_id=id_param(p.get("customer"), "customer"),
        )

    def get_object(self):
        return sd.get_request_for_user(self.request.user, self.kwargs["pk"])

    def _lookup(self, getter, pk, field):
        if pk is None:
            return None
        try:
            return getter(self.request.user, pk)
        except Http404 as exc:
            raise s.serializers.ValidationError({field: ["unknown or not visible"]}) from exc

    def create(self, request, *args, **kwargs):
        if not request.user.has_perm("servicedesk.register", None):
            raise PermissionDenied
        data = s.ServiceRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        v["customer"] = self._lookup(get_customer_for_user, v["customer"], "customer")
        v["equipment"] = self._lookup(get_equipment_for_user, v["equipment"], "equipment")
        if v["customer"] is None and v["equipment"] is not None:
            v["customer"] = v["equipment"].customer
        sr = sd_services.service_request_register(actor=request.user, data=sd_services.RequestInput(**v))
        return Response(s.ServiceRequestSerializer(sr).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.OverrideSerializer, responses={200: s.ServiceRequestSerializer, **ERRORS, **CONFLICT})
    @action(detail=True, methods=["post"], url_path="override-category")
    def override_category(self, request, pk=None):
        sr = self.get_object()
        data = s.OverrideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sr = sd_services.service_request_override_category(
            actor=request.user, request=sr, category=data.validated_data["category"], reason=data.validated_data["reason"],
            expected_version=data.validated_data["version"],
        )
        return Response(s.ServiceRequestSerializer(sr).data)

    @extend_schema(request=workorders.DispatchSerializer, responses={201: workorders.WorkOrderDetailSerializer, **ERRORS, **CONFLICT},
                   description="Dispatch the call to a technician (DISP-01): creates its service voucher. 409 when already dispatched.")
    @action(detail=True, methods=["post"], url_path="dispatch")
    def dispatch_call(self, request, pk=None):
        work_order = workorders.dispatch_request(request, self.get_object())
        return Response(workorders.WorkOrderDetailSerializer(work_order).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CancelSerializer, responses={200: s.ServiceRequestSerializer, **ERRORS, **CONFLICT})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        sr = self.get_object()
        data = s.CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sr = sd_services.service_request_cancel(
            actor=request.user, request=sr, reason=data.validated_data["reason"], expected_version=data.validated_data["version"]
        )
        return Response(s.ServiceRequestSerializer(sr).data)
