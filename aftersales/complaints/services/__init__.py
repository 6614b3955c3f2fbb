"""Writes of complaint cases, split by concern: register and route, steps, close, responsibility and penalties, sweep."""

from aftersales.complaints.services.cases import (
    ComplaintInput,
    complaint_close,
    complaint_record_improvement,
    complaint_register,
    complaint_step_assign,
    complaint_survey_report,
)
from aftersales.complaints.services.penalties import (
    ShareInput,
    allocate,
    complaint_set_loss,
    complaint_set_responsibility,
    penalties_approve,
    penalty_instalments_run,
    proposed_penalties,
    statistics_confirm,
)
from aftersales.complaints.services.steps import StepInput, complaint_step_complete
from aftersales.complaints.services.sweep import chase_slip_answer, complaint_sweep

__all__ = [
    "ComplaintInput",
    "ShareInput",
    "StepInput",
    "allocate",
    "chase_slip_answer",
    "complaint_close",
    "complaint_record_improvement",
    "complaint_register",
    "complaint_set_loss",
    "complaint_set_responsibility",
    "complaint_step_assign",
    "complaint_step_complete",
    "complaint_survey_report",
    "complaint_sweep",
    "penalties_approve",
    "penalty_instalments_run",
    "proposed_penalties",
    "statistics_confirm",
]
