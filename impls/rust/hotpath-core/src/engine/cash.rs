//! Exact signed cash amounts wider than `i128`.
//!
//! Cash and PnL are sums of `price × qty` products (each below 2^126 in magnitude), and the
//! Python build computes them with unbounded integers. A plain `i128` could overflow after
//! a handful of fills against hostile prices, so cash is kept in 192 bits: exact for any
//! stream this engine could ever process (it would take 2^63 fills to wrap), at the cost of
//! one extra add-with-carry per fill.

use std::cmp::Ordering;
use std::fmt;

/// An exact signed amount in price × quantity units: `hi × 2^128 + lo` in two's complement.
///
/// Field order matters: the derived ordering compares `hi` (signed) first, then `lo`
/// (unsigned), which is the numeric order of the 192-bit value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cash {
    hi: i64,
    lo: u128,
}

impl Cash {
    /// Zero.
    pub const ZERO: Cash = Cash { hi: 0, lo: 0 };

    /// The amount `x`.
    #[inline]
    pub const fn from_i128(x: i128) -> Cash {
        Cash { hi: if x < 0 { -1 } else { 0 }, lo: x as u128 }
    }

    /// Adds `x` in place, exactly.
    #[inline]
    pub fn add(&mut self, x: i128) {
        let (lo, carry) = self.lo.overflowing_add(x as u128);
        self.lo = lo;
        // `x as u128` is `x + 2^128` for negative `x`: take that 2^128 back out of `hi`.
        self.hi = self.hi.wrapping_add(i64::from(carry)).wrapping_sub(i64::from(x < 0));
    }

    /// Subtracts `x` in place, exactly.
    #[inline]
    pub fn sub(&mut self, x: i128) {
        match x.checked_neg() {
            Some(neg) => self.add(neg),
            // -i128::MIN = 2^127 = i128::MAX + 1.
            None => {
                self.add(i128::MAX);
                self.add(1);
            }
        }
    }

    /// The amount plus `x`.
    #[inline]
    #[must_use]
    pub fn plus(mut self, x: i128) -> Cash {
        self.add(x);
        self
    }

    /// The amount as an `i128`, if it fits.
    pub const fn to_i128(self) -> Option<i128> {
        let fits =
            (self.hi == 0 && self.lo <= i128::MAX as u128) || (self.hi == -1 && self.lo > i128::MAX as u128);
        if fits {
            Some(self.lo as i128)
        } else {
            None
        }
    }

    /// Whether the amount is below `x`.
    #[inline]
    pub fn lt_i128(self, x: i128) -> bool {
        self.cmp(&Cash::from_i128(x)) == Ordering::Less
    }
}

impl fmt::Display for Cash {
    /// Decimal, like Python's `int` prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(v) = self.to_i128() {
            return write!(f, "{v}");
        }
        // Only reached past ±2^127: long division of the magnitude by 10^18, digit groups
        // collected least significant first.
        let negative = self.hi < 0;
        let mut mag = if negative { Cash::ZERO.minus(*self) } else { *self };
        let mut groups = Vec::new();
        while mag != Cash::ZERO {
            let (q, r) = mag.div_rem_small(1_000_000_000_000_000_000);
            groups.push(r);
            mag = q;
        }
        if negative {
            f.write_str("-")?;
        }
        let mut it = groups.iter().rev();
        if let Some(first) = it.next() {
            write!(f, "{first}")?;
        }
        for g in it {
            write!(f, "{g:018}")?;
        }
        Ok(())
    }
}

impl Cash {
    /// `self − other` (used only for formatting).
    fn minus(self, other: Cash) -> Cash {
        let (lo, borrow) = self.lo.overflowing_sub(other.lo);
        Cash { hi: self.hi.wrapping_sub(other.hi).wrapping_sub(i64::from(borrow)), lo }
    }

    /// Quotient and remainder of a non-negative amount by a small divisor, via 64-bit limbs.
    fn div_rem_small(self, d: u64) -> (Cash, u64) {
        let limbs = [self.hi as u64, (self.lo >> 64) as u64, self.lo as u64];
        let mut q = [0u64; 3];
        let mut rem: u128 = 0;
        for (i, limb) in limbs.iter().enumerate() {
            let cur = (rem << 64) | u128::from(*limb);
            q[i] = (cur / u128::from(d)) as u64;
            rem = cur % u128::from(d);
        }
        (Cash { hi: q[0] as i64, lo: (u128::from(q[1]) << 64) | u128::from(q[2]) }, rem as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_values_round_trip_and_order_like_integers() {
        let values = [i128::MIN, -(1 << 100), -5, -1, 0, 1, 7, 1 << 100, i128::MAX];
        for a in values {
            assert_eq!(Cash::from_i128(a).to_i128(), Some(a));
            for b in values {
                assert_eq!(Cash::from_i128(a).cmp(&Cash::from_i128(b)), a.cmp(&b), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn add_and_sub_are_exact_across_the_i128_boundary() {
        let mut c = Cash::from_i128(i128::MAX);
        c.add(1);
        assert_eq!(c.to_i128(), None, "2^127 does not fit an i128");
        assert!(c > Cash::from_i128(i128::MAX));
        assert_eq!(c.to_string(), "170141183460469231731687303715884105728");
        c.sub(1);
        assert_eq!(c.to_i128(), Some(i128::MAX));
        let mut n = Cash::from_i128(i128::MIN);
        n.sub(1);
        assert!(n < Cash::from_i128(i128::MIN));
        assert_eq!(n.to_string(), "-170141183460469231731687303715884105729");
        n.add(1);
        assert_eq!(n.to_i128(), Some(i128::MIN));
        let mut m = Cash::ZERO;
        m.sub(i128::MIN);
        assert_eq!(m.to_string(), "170141183460469231731687303715884105728");
    }

    #[test]
    fn many_large_adds_match_a_reference_sum() {
        // Four adds of ~2^126 overflow an i128; compare against a sum done in two halves.
        let big = (1i128 << 126) + 12345;
        let mut c = Cash::ZERO;
        for _ in 0..4 {
            c.add(big);
        }
        assert_eq!(c.to_string(), "340282366920938463463374607431768260836");
        for _ in 0..4 {
            c.sub(big);
        }
        assert_eq!(c, Cash::ZERO);
        assert!(c.lt_i128(1) && !c.lt_i128(0) && !c.lt_i128(-1));
    }
}
