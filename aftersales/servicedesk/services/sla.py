"""DISP-02/03/05: the deadlines a request carries from the moment it is registered.

- arrival: ``arrival_hours(zone)`` working hours after the call, on the centre's calendar
  (6 urban / 7 suburban by default). If the customer asked for a later time, the deadline is
  that time: nobody is late for an appointment the customer chose.
- contact: when the customer gave no time, the technician must call within
  ``contact_hours_allowed()`` clock hours (24 by default, DISP-05 says "24 h").
- carry-over: a request still undispatched at the end of the working day on which it arrived
  (or, after hours, the next working day) carries over and sorts first (DISP-03).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from aftersales.accounts.models import ServiceCenter


@dataclass(frozen=True)
class SlaPlan:
    arrival_hours: int
    arrival_due_at: dt.datetime
    arrival_due_confirmed: bool
    contact_due_at: dt.datetime | None
    carry_over_at: dt.datetime


def agreed_arrival_hours(*, customer, equipment, zone: str, on: dt.date) -> int | None:
    """DISP-10: the shortest arrival promise of the customer's SLA level and the active contract's, or None."""
    from aftersales.servicedesk.services.classify import active_contract

    levels = [getattr(customer, "sla_level", None)]
    if equipment is not None:
        contract = active_contract(equipment, on)
        levels.append(contract.sla_level if contract else None)
    hours = [h for h in (level.hours_for(zone) for level in levels if level is not None) if h]
    return min(hours) if hours else None


def plan_sla(*, center: ServiceCenter, zone: str, received_at: dt.datetime, requested_time: dt.datetime | None,
             agreed_hours: int | None = None) -> SlaPlan:
    """The deadlines of a call; ``agreed_hours`` (an SLA level, DISP-10) replaces the centre's allowance when shorter."""
    calendar = center.calendar
    hours = center.arrival_hours(zone)
    if agreed_hours is not None and agreed_hours < hours:
        hours = agreed_hours
    deadline = calendar.add_working_hours(received_at, hours)
    arrival_due = deadline.at
    if requested_time is not None and requested_time > arrival_due:
        arrival_due = requested_time
    contact_due = None if requested_time else received_at + dt.timedelta(hours=center.contact_hours_allowed())
    first_working_moment = calendar.add_working_hours(received_at, 0).at
    carry_over = calendar.end_of_working_day(first_working_moment) or first_working_moment
    return SlaPlan(
        arrival_hours=hours,
        arrival_due_at=arrival_due,
        arrival_due_confirmed=deadline.confirmed,
        contact_due_at=contact_due,
        carry_over_at=carry_over,
    )


@dataclass(frozen=True)
class ArrivalResult:
    """How the arrival deadline went, in working time on the centre's calendar."""

    met: bool
    used_minutes: int
    late_minutes: int


def arrival_result(request) -> ArrivalResult | None:
    """The SLA result of a call whose technician has arrived; None before the first arrival.

    ``used_minutes``: working time from the call to the arrival. ``late_minutes``: working time
    from the deadline to the arrival, 0 when on time (an arrival at the customer's own later
    appointment is on time, as the deadline then is the appointment).
    """
    if request.arrived_at is None:
        return None
    calendar = request.service_center.calendar
    used = calendar.working_time_between(request.received_at, request.arrived_at)
    late = calendar.working_time_between(request.arrival_due_at, request.arrived_at) if request.arrived_at > request.arrival_due_at else dt.timedelta(0)
    return ArrivalResult(met=late <= dt.timedelta(0), used_minutes=int(used.total_seconds() // 60), late_minutes=int(late.total_seconds() // 60))
