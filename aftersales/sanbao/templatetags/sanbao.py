"""``{% sanbao_entitlement equipment %}``: what the customer is entitled to today under 三包, for the call and voucher pages."""

from django import template

from aftersales.sanbao.entitlement import entitlement

register = template.Library()


@register.inclusion_tag("sanbao/_entitlement.html")
def sanbao_entitlement(equipment):
    return {"e": entitlement(equipment) if equipment is not None else None, "equipment": equipment}
