"""API representations. Input serializers only parse; services validate the business rules."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from aftersales.accounts.models import ServiceCenter, Zone
from aftersales.customers.models import Customer, CustomerAddress, CustomerClass, CustomerKind, Lifecycle
from aftersales.customers.phones import display_phone
from aftersales.equipment.models import Equipment, ProductModel
from aftersales.servicedesk.models import Category, Channel, ServiceRequest


class ServiceCenterSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceCenter
        fields = ["id", "code", "name", "region", "address", "phone", "working_hours", "default_zone",
                  "arrival_hours_urban", "arrival_hours_suburban", "arrival_hours_remote", "contact_hours", "is_active"]


class ProductModelSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ProductModel
        fields = ["id", "brand", "model_code", "name", "category", "warranty_months", "main_part_warranty_months",
                  "warranty_basis", "main_parts"]


class AddressSerializer(serializers.ModelSerializer):
    class Meta:
        model = CustomerAddress
        fields = ["address", "region", "zone", "is_default"]


class CustomerSerializer(serializers.ModelSerializer):
    phones = serializers.SerializerMethodField()
    addresses = AddressSerializer(many=True, read_only=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    service_center = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Customer
        fields = ["id", "customer_no", "kind", "name", "contact_person", "phones", "addresses", "region", "birthday",
                  "vip_level", "customer_class", "lifecycle", "tags", "service_center", "created_at"]

    def get_phones(self, obj) -> list[dict]:
        return [{"number": p.number, "display": display_phone(p.number), "primary": p.is_primary} for p in obj.phones.all()]


class AddressInputSerializer(serializers.Serializer):
    address = serializers.CharField(max_length=200)
    region = serializers.CharField(max_length=80, required=False, default="")
    zone = serializers.ChoiceField(choices=Zone.choices, required=False, default="")


class CustomerCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=CustomerKind.choices, default=CustomerKind.COMPANY)
    phones = serializers.ListField(child=serializers.CharField(max_length=30), min_length=1)
    addresses = AddressInputSerializer(many=True, required=False, default=list)
    contact_person = serializers.CharField(max_length=60, required=False, default="")
    region = serializers.CharField(max_length=80, required=False, default="")
    birthday = serializers.DateField(required=False, allow_null=True, default=None)
    vip_level = serializers.IntegerField(min_value=0, max_value=9, default=0)
    customer_class = serializers.ChoiceField(choices=CustomerClass.choices, default=CustomerClass.B)
    lifecycle = serializers.ChoiceField(choices=Lifecycle.choices, default=Lifecycle.NEW)
    tags = serializers.ListField(child=serializers.CharField(max_length=30), required=False, default=list)
    service_center = serializers.SlugRelatedField(slug_field="code", queryset=ServiceCenter.objects.all(), required=False)
    allow_duplicate_phone = serializers.BooleanField(default=False)


class WarrantySerializer(serializers.Serializer):
    on = serializers.DateField()
    start = serializers.DateField(allow_null=True)
    unit_until = serializers.DateField(allow_null=True)
    main_parts_until = serializers.DateField(allow_null=True)
    unit_active = serializers.BooleanField()
    main_parts_active = serializers.BooleanField()


class EquipmentSerializer(serializers.ModelSerializer):
    product_model = ProductModelSerializer(read_only=True)
    warranty = serializers.SerializerMethodField()

    class Meta:
        model = Equipment
        fields = ["id", "customer", "product_model", "serial_no", "plate_no", "invoice_date", "delivery_date",
                  "install_date", "site_address", "zone", "warranty"]

    def get_warranty(self, obj) -> WarrantySerializer:
        return WarrantySerializer(obj.warranty_status(timezone.localdate())).data


class EquipmentCreateSerializer(serializers.Serializer):
    customer = serializers.IntegerField()
    product_model = serializers.PrimaryKeyRelatedField(queryset=ProductModel.objects.all())
    serial_no = serializers.CharField(max_length=60)
    plate_no = serializers.CharField(max_length=40, required=False, default="")
    invoice_date = serializers.DateField(required=False, allow_null=True, default=None)
    delivery_date = serializers.DateField(required=False, allow_null=True, default=None)
    install_date = serializers.DateField(required=False, allow_null=True, default=None)
    site_address = serializers.CharField(max_length=200, required=False, default="")
    zone = serializers.ChoiceField(choices=Zone.choices, required=False, default="")


class ServiceRequestSerializer(serializers.ModelSerializer):
    service_center = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category_reason = serializers.SerializerMethodField()

    class Meta:
        model = ServiceRequest
        fields = ["id", "number", "received_at", "channel", "service_center", "customer", "contact_name", "contact_phone",
                  "address", "zone", "equipment", "product_model", "fault_description", "requested_time", "category",
                  "category_reason", "category_overridden", "status", "arrival_hours", "arrival_due_at",
                  "arrival_due_confirmed", "contact_due_at", "carried_over", "arrival_breached_at", "contact_breached_at",
                  "closed_at", "arrival_sla_met", "arrival_used_minutes", "arrival_late_minutes", "version"]

    def get_category_reason(self, obj) -> str:
        from aftersales.servicedesk.services.classify import reason_text

        return reason_text(obj.category_code, obj.category_params)


class ServiceRequestCreateSerializer(serializers.Serializer):
    customer = serializers.IntegerField(required=False, allow_null=True, default=None)
    equipment = serializers.IntegerField(required=False, allow_null=True, default=None)
    serial_no = serializers.CharField(max_length=60, required=False, default="")
    contact_name = serializers.CharField(max_length=60, required=False, default="")
    contact_phone = serializers.CharField(max_length=30, required=False, default="")
    address = serializers.CharField(max_length=200, required=False, default="")
    zone = serializers.ChoiceField(choices=Zone.choices, required=False, default="")
    fault_description = serializers.CharField(max_length=4000)
    requested_time = serializers.DateTimeField(required=False, allow_null=True, default=None)
    received_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.API)
    internal = serializers.BooleanField(default=False)


class OverrideSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices)
    reason = serializers.CharField(max_length=250, allow_blank=True)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=250, allow_blank=True)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
