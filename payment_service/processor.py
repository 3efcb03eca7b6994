"""The simulated card processor: Stripe's test payment methods, answered at once and without side effects."""

from typing import Literal

PaymentMethod = Literal[
    "pm_card_visa",
    "pm_card_mastercard",
    "pm_card_chargeDeclined",
    "pm_card_chargeDeclinedInsufficientFunds",
]
DEFAULT_PAYMENT_METHOD: PaymentMethod = "pm_card_visa"

_DECLINE_REASONS: dict[str, str] = {
    "pm_card_chargeDeclined": "Your card was declined.",
    "pm_card_chargeDeclinedInsufficientFunds": "Your card has insufficient funds.",
}


def charge(payment_method: PaymentMethod) -> str | None:
    """Returns why the card was declined, or None when the charge went through."""
    return _DECLINE_REASONS.get(payment_method)
