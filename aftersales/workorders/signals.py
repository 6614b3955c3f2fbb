"""Signals the voucher sends to the apps that follow it (billing prices the job) without importing them."""

from django.dispatch import Signal

#: Sent inside the transaction that finishes the work (completion on site, or the workshop repair recorded),
#: with ``actor`` and ``work_order``. A receiver that raises undoes the whole step.
work_finished = Signal()
