"""Money as integer minor units with an ISO-4217 currency; never a float.

Arithmetic stays in integers (or Decimal where a rate is applied); formatting goes through babel.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.numbers import format_currency, get_currency_precision


class CurrencyMismatchError(ValueError):
    code = "currency_mismatch"


@lru_cache(maxsize=256)
def currency_exponent(currency: str) -> int:
    """Digits after the decimal point for a currency (EUR 2, JPY 0, KWD 3)."""
    return int(get_currency_precision(currency.upper()))


@lru_cache(maxsize=16_384)
def _formatted(amount_minor: int, currency: str, locale: str) -> str:
    """Babel's formatting (~0.1 ms a call) remembered: a chat turn formats the same prices again
    and again (cards, cart lines, totals)."""
    value = Decimal(amount_minor).scaleb(-currency_exponent(currency))
    return str(format_currency(value, currency, locale=locale))


@dataclass(frozen=True, slots=True, order=False)
class Money:
    amount_minor: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount_minor, int) or isinstance(self.amount_minor, bool):
            raise TypeError("Money.amount_minor must be an int (minor units), never a float")
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise ValueError(f"currency must be an upper-case ISO-4217 code, got {self.currency!r}")

    # -- construction ---------------------------------------------------------------------------
    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency.upper())

    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str) -> Money:
        """From a major-unit amount written as text or Decimal ("19.99" EUR -> 1999)."""
        if isinstance(amount, float):
            raise TypeError("refusing a float amount; pass a string or Decimal")
        cur = currency.upper()
        exp = currency_exponent(cur)
        minor = (Decimal(amount) * (Decimal(10) ** exp)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return cls(int(minor), cur)

    # -- arithmetic -----------------------------------------------------------------------------
    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatchError(f"{self.currency} vs {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount_minor + other.amount_minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount_minor - other.amount_minor, self.currency)

    def __mul__(self, factor: int) -> Money:
        if not isinstance(factor, int) or isinstance(factor, bool):
            raise TypeError("multiply Money by an int; use .scaled() for rates")
        return Money(self.amount_minor * factor, self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.amount_minor, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount_minor < other.amount_minor

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount_minor <= other.amount_minor

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount_minor > other.amount_minor

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.amount_minor >= other.amount_minor

    def scaled(self, rate: Decimal | str) -> Money:
        """Multiply by a Decimal rate (tax 0.23, discount 0.1), rounding half-even to a minor unit."""
        value = (Decimal(self.amount_minor) * Decimal(rate)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
        return Money(int(value), self.currency)

    def allocate(self, weights: list[int]) -> list[Money]:
        """Split into parts proportional to weights; the remainder goes to the first parts, so the
        sum is exact."""
        total = sum(weights)
        if total <= 0:
            raise ValueError("weights must sum to a positive number")
        shares = [self.amount_minor * w // total for w in weights]
        remainder = self.amount_minor - sum(shares)
        for i in range(remainder):
            shares[i % len(shares)] += 1
        return [Money(s, self.currency) for s in shares]

    def is_zero(self) -> bool:
        return self.amount_minor == 0

    # -- presentation ---------------------------------------------------------------------------
    @property
    def decimal(self) -> Decimal:
        return Decimal(self.amount_minor).scaleb(-currency_exponent(self.currency))

    def format(self, locale: str = "en") -> str:
        return _formatted(self.amount_minor, self.currency, locale)

    def to_dict(self) -> dict[str, object]:
        return {"amount_minor": self.amount_minor, "currency": self.currency}

    def __str__(self) -> str:
        return f"{self.decimal} {self.currency}"
