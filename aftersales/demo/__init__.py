"""The demo data set (``manage.py seed_demo``): every role, every state, deterministic."""

from aftersales.demo.builder import DemoBuilder, demo_signature, is_seeded
from aftersales.demo.data import DEMO_PASSWORD, STAFF

__all__ = ["DEMO_PASSWORD", "STAFF", "DemoBuilder", "demo_signature", "is_seeded"]
