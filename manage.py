#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if os.environ.get("AFTERSALES_TEST_CLOCK"):
        # Started by a test that runs at another moment (pytest --now / --at-dates): keep the test's clock.
        from aftersales.testing.child_clock import travel_from_environment

        travel_from_environment()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
