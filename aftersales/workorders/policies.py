"""The technician app's rules an administrator can change (see ``configuration.registry``)."""

from django.utils.translation import gettext_lazy as _

from aftersales.configuration.registry import INT, RuleSpec, declare

CHECKIN_FAR_METRES = "workorders.checkin_far_metres"
SITE_LEARN_ACCURACY = "workorders.site_learn_accuracy_metres"

declare(
    RuleSpec(
        key=CHECKIN_FAR_METRES, area=_("Technician app"), kind=INT, default=1000, unit=_("metres"), minimum=50, maximum=100000,
        catalogue="KB-03", per_centre=True,
        label=_("A check-in farther than this from the machine's site is flagged"),
        description=_("The phone's position at check-in is compared with the machine's site; farther than this, the check-in is "
                      "flagged for the supervisor (travel claims are checked against it). Set it wider where sites are large, "
                      "such as farms or mines."),
    ),
    RuleSpec(
        key=SITE_LEARN_ACCURACY, area=_("Technician app"), kind=INT, default=150, unit=_("metres"), minimum=10, maximum=2000,
        catalogue="KB-03",
        label=_("A machine's site is learned from a check-in this precise"),
        description=_("A machine with no site position takes the first check-in whose phone position is at least this precise; "
                      "later check-ins are measured against it."),
    ),
)
