from django import template

from aftersales.feedback.models import Level

register = template.Library()


@register.simple_tag
def levels():
    """The four levels, best first, as on the paper card."""
    return sorted(Level.choices, key=lambda c: -c[0])
