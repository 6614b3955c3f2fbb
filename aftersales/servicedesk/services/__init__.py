"""Writes to the call register. Split by concern: classify, sla, register, transitions, sweep."""

from aftersales.servicedesk.services.chase import open_calls_for_equipment, service_request_chase
from aftersales.servicedesk.services.classify import Classification, classify
from aftersales.servicedesk.services.register import RequestInput, service_request_register
from aftersales.servicedesk.services.sla import SlaPlan, plan_sla
from aftersales.servicedesk.services.sweep import SweepResult, sla_sweep
from aftersales.servicedesk.services.transitions import (
    service_request_cancel,
    service_request_finish,
    service_request_override_category,
    service_request_record_arrival,
    service_request_record_contact,
    service_request_record_set_out,
    service_request_transition,
)

__all__ = [
    "Classification",
    "RequestInput",
    "SlaPlan",
    "SweepResult",
    "classify",
    "open_calls_for_equipment",
    "plan_sla",
    "service_request_cancel",
    "service_request_chase",
    "service_request_finish",
    "service_request_override_category",
    "service_request_record_arrival",
    "service_request_record_contact",
    "service_request_record_set_out",
    "service_request_register",
    "service_request_transition",
    "sla_sweep",
]
