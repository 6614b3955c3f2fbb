"""Database functions Django lacks in a fast form."""

from __future__ import annotations

from django.db.models import DateTimeField, Func


class PlusDays(Func):
    """``expression`` + ``days`` days, computed by the database itself.

    Django's ``F(...) + timedelta`` calls a Python function per row on SQLite (slow on a million rows); this uses
    SQLite's ``datetime(x, '+N days')`` and PostgreSQL's interval arithmetic. SQLite's result drops the fraction of a
    second, which does not matter at a resolution of days.
    """

    output_field = DateTimeField()

    def __init__(self, expression, days: int, **extra) -> None:
        self.days = int(days)
        super().__init__(expression, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template=f"datetime(%(expressions)s, '+{self.days} days')", **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template=f"(%(expressions)s + interval '{self.days} days')", **extra_context)

    def as_sql(self, compiler, connection, function=None, template=None, **extra_context):
        if template is None:  # other databases: Django's own arithmetic
            from datetime import timedelta

            from django.db.models import ExpressionWrapper, Value
            from django.db.models.fields import DurationField

            wrapped = ExpressionWrapper(self.source_expressions[0] + Value(timedelta(days=self.days), output_field=DurationField()),
                                        output_field=DateTimeField())
            return compiler.compile(wrapped)
        return super().as_sql(compiler, connection, function=function, template=template, **extra_context)
