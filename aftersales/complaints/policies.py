"""The complaints rules an administrator can change (see ``configuration.registry``)."""

from django.utils.translation import gettext_lazy as _

from aftersales.configuration.registry import BOOL, RuleSpec, declare

DEADLINE_MOVES = "complaints.deadline_moves_to_working_day"

declare(
    RuleSpec(
        key=DEADLINE_MOVES, area=_("Complaints and penalties"), kind=BOOL, default=True, catalogue="CMP-11",
        label=_("A closing deadline on a day off moves to the next working day"),
        description=_("The 13 / 17 days are calendar days. When the last day is a holiday or weekend, the case (and each step) is due "
                      "at the close of the next working day instead, as the Civil Code does for periods. A case keeps the choice it "
                      "was registered under."),
    ),
)
