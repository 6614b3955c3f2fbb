"""``python -m aftersales.testing.run_manage <command> …``: ``manage.py`` for processes a test starts.

The process keeps the test's clock (``pytest --now`` / ``--at-dates``, see ``testing.clock``): Django is set up first —
so the settings see an ordinary installation, not a pytest run — then the clock moves to the test's moment plus the
time elapsed since, then the command runs. ``manage.py`` itself knows nothing of tests.
"""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from aftersales.testing.child_clock import travel_from_environment

    travel_from_environment()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["manage.py", *sys.argv[1:]])
