"""Reading manifest values with errors that name the file and the key.

Reading is translation only: a value must have the type its generator-config field holds
(a string, a number, an integer that fits, a time that is not negative) and display units
must convert exactly; whether the value is *sensible* (ranges, cross-field rules) is for
the generator's config rules to say, once (``origins.refusal``).

Manifests state prices and quantities in display units (``60000.5`` USD, ``0.001`` BTC);
files and the generator use integer units (``price_decimals`` / ``qty_decimals``). The
conversion is exact (``Decimal`` of the value as written), and a value finer than the
instrument's decimals is an error, not a silent rounding.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

I64_MAX = 2**63 - 1
U32_MAX = 2**32 - 1
U64_MAX = 2**64 - 1


class ManifestError(ValueError):
    """A scenario manifest that cannot be used; the message names the file and the key.

    ``config_path`` is set when the generator's config rules refused the value: the path of
    the field it was translated into (``market.phases[2].ramp_ns``).
    """

    def __init__(
        self, file: Path | str, key: str, message: str, *, config_path: str | None = None
    ) -> None:
        self.file = str(file)
        self.key = key
        self.config_path = config_path
        super().__init__(f"{file}: {key}: {message}" if key else f"{file}: {message}")


class Table:
    """A TOML table with its key path, so every error can say where it is."""

    __slots__ = ("data", "file", "path", "seen")

    def __init__(self, data: dict[str, Any], file: Path, path: str = "") -> None:
        self.data = data
        self.file = file
        self.path = path
        self.seen: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def error(self, name: str, message: str) -> ManifestError:
        return ManifestError(self.file, self.key(name), message)

    def has(self, name: str) -> bool:
        return name in self.data

    def raw(self, name: str, default: Any = None, *, required: bool = True) -> Any:
        self.seen.add(name)
        if name in self.data:
            return self.data[name]
        if required and default is None:
            raise self.error(name, "is missing")
        return default

    def string(self, name: str, default: str | None = None) -> str:
        v = self.raw(name, default)
        if not isinstance(v, str) or not v:
            raise self.error(name, f"must be a non-empty string, got {v!r}")
        return v

    def integer(self, name: str, default: int | None = None, *, minimum: int | None = None,
                maximum: int | None = None) -> int:  # fmt: skip
        v = self.raw(name, default)
        if not isinstance(v, int) or isinstance(v, bool):
            raise self.error(name, f"must be an integer, got {v!r}")
        if minimum is not None and v < minimum:
            raise self.error(name, f"must be >= {minimum}, got {v}")
        if maximum is not None and v > maximum:
            raise self.error(name, f"must be <= {maximum}, got {v}")
        return v

    def u32(self, name: str, default: int | None = None) -> int:
        """An integer for an unsigned 32-bit field (a count)."""
        return self.integer(name, default, minimum=0, maximum=U32_MAX)

    def u64(self, name: str, default: int | None = None) -> int:
        """An integer for an unsigned 64-bit field."""
        return self.integer(name, default, minimum=0, maximum=U64_MAX)

    def i64(self, name: str, default: int | None = None) -> int:
        """An integer for a signed 64-bit field (ticks)."""
        return self.integer(name, default, minimum=-I64_MAX - 1, maximum=I64_MAX)

    def number(self, name: str, default: float | None = None) -> float:
        """A finite number (TOML's inf and nan have no JSON form)."""
        v = self.raw(name, default)
        if not isinstance(v, int | float) or isinstance(v, bool) or not math.isfinite(v):
            raise self.error(name, f"must be a finite number, got {v!r}")
        return float(v)

    def time_ns(self, name: str, unit_s: float, default: float | None = None) -> int:
        """A time written in the key's unit (``unit_s`` seconds) as integer ns."""
        return self._ns(name, self.number(name, default), unit_s)

    def _ns(self, name: str, value: float, unit_s: float) -> int:
        if value < 0:
            raise self.error(name, f"must be >= 0 (a time), got {value}")
        t = ns(value * unit_s)
        if t > U64_MAX:
            raise self.error(name, "is too long for a u64 count of ns")
        return t

    def boolean(self, name: str, default: bool | None = None) -> bool:
        v = self.raw(name, default)
        if not isinstance(v, bool):
            raise self.error(name, f"must be true or false, got {v!r}")
        return v

    def decimal(self, name: str, default: str | None = None) -> Decimal:
        """A decimal written as a number or a string (``"0.10"``)."""
        v = self.raw(name, default)
        if isinstance(v, bool) or not isinstance(v, int | float | str):
            raise self.error(name, f"must be a number or a decimal string, got {v!r}")
        try:
            d = Decimal(str(v))
        except InvalidOperation:
            raise self.error(name, f"is not a decimal number: {v!r}") from None
        if not d.is_finite():
            raise self.error(name, f"must be a finite number, got {v!r}")
        return d

    def units(self, name: str, decimals: int, *, what: str, default: str | None = None) -> int:
        """A display value converted exactly to integer units of ``10^-decimals``."""
        d = self.decimal(name, default)
        scaled = d.scaleb(decimals)
        if scaled != scaled.to_integral_value():
            raise self.error(name, f"{d} is finer than {what}_decimals = {decimals}")
        units = int(scaled)
        if not -I64_MAX - 1 <= units <= I64_MAX:
            raise self.error(name, f"does not fit in an i64 of {what} units")
        return units

    def table(self, name: str, *, required: bool = True) -> Table:
        v = self.raw(name, {} if not required else None, required=required)
        if not isinstance(v, dict):
            raise self.error(name, "must be a table")
        return Table(v, self.file, self.key(name))

    def tables(self, name: str) -> list[Table]:
        v = self.raw(name)
        if not isinstance(v, list) or not v or not all(isinstance(x, dict) for x in v):
            raise self.error(name, "must be a non-empty array of tables ([[...]])")
        return [Table(x, self.file, f"{self.key(name)}[{i}]") for i, x in enumerate(v)]

    def pair(self, name: str, default: list[float] | None = None) -> tuple[float, float]:
        v = self.raw(name, default)
        ok = isinstance(v, list) and len(v) == 2
        if not ok or not all(
            isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) for x in v
        ):
            raise self.error(name, f"must be a pair [low, high] of numbers, got {v!r}")
        return float(v[0]), float(v[1])

    def time_pair_ns(self, name: str, unit_s: float) -> list[int]:
        """A pair of times written in the key's unit, as integer ns."""
        lo, hi = self.pair(name)
        return [self._ns(name, lo, unit_s), self._ns(name, hi, unit_s)]

    def done(self) -> None:
        """Refuses keys nobody read: a typo must not silently fall back to a default."""
        unknown = sorted(set(self.data) - self.seen)
        if unknown:
            raise self.error(unknown[0], "is not a known key here")


def ns(seconds: float) -> int:
    """Seconds (as written in a manifest) to integer nanoseconds."""
    return int(Decimal(str(seconds)).scaleb(9).to_integral_value())
