"""Money: ``Decimal`` yuan with two places, rounded half up, the same way everywhere."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value) -> Decimal:
    """``value`` as yuan with two decimals (half up: 0.125 → 0.13)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LineAmounts:
    list_amount: Decimal  # quantity × unit price
    discount: Decimal
    net: Decimal  # what the customer pays before tax
    tax: Decimal
    total: Decimal


def line_amounts(*, quantity: Decimal, unit_price: Decimal, tax_rate: Decimal, discount: Decimal = ZERO, payable: bool = True) -> LineAmounts:
    """The amounts of one line. Tax is computed on the line's net and rounded per line, so a
    document's tax is the sum of its lines' tax and its total the sum of its lines' totals.
    A line the customer does not pay (warranty, contract …) has zero net, tax and total.
    """
    list_amount = money(Decimal(quantity) * Decimal(unit_price))
    if not payable:
        return LineAmounts(list_amount, ZERO, ZERO, ZERO, ZERO)
    discount = money(discount)
    net = list_amount - discount
    tax = money(net * Decimal(tax_rate))
    return LineAmounts(list_amount, discount, net, tax, net + tax)


def fmt_qty(value) -> str:
    """A quantity as people write it: 10, 2.5 (no trailing zeros, no exponent)."""
    text = format(Decimal(value).normalize(), "f")
    return text
