//! Deterministic elementary functions.
//!
//! Platform `exp`/`ln` (libm) are not correctly rounded and differ in the last bit between
//! C libraries and CPUs, which would make the same seed produce different scenario bytes on
//! different machines. Everything here uses only IEEE-754 basic operations (`+ − × ÷`),
//! which are exactly rounded everywhere, integer arithmetic, and bit manipulation; no
//! fused multiply-add, no `powf`, no libm. Accuracy is a few ulps, which is plenty for a
//! stochastic model; what matters is that it is the same everywhere.

/// `ln 2` split into a high part with trailing zero bits (so `k × LN2_HI` is exact for
/// the exponents used) and a low correction.
const LN2_HI: f64 = 6.931_471_803_691_238e-1;
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
const INV_LN2: f64 = std::f64::consts::LOG2_E;
const SQRT2: f64 = std::f64::consts::SQRT_2;
const MANTISSA_MASK: u64 = (1 << 52) - 1;

/// `floor(x)` as an integer, for finite `x` within the `i64` range (saturates outside).
#[inline]
pub fn floor_i64(x: f64) -> i64 {
    let t = x as i64;
    if (t as f64) > x {
        t - 1
    } else {
        t
    }
}

/// `x` rounded to the nearest integer, halves upwards.
#[inline]
pub fn round_i64(x: f64) -> i64 {
    floor_i64(x + 0.5)
}

/// `2^k` for `k` in the normal exponent range `-1022..=1023`.
#[inline]
fn pow2(k: i64) -> f64 {
    f64::from_bits(((k + 1023) as u64) << 52)
}

/// `e^x`, within a few ulps of the exact value.
pub fn exp(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x > 709.7 {
        return f64::INFINITY;
    }
    if x < -745.0 {
        return 0.0;
    }
    let k = round_i64(x * INV_LN2);
    let kf = k as f64;
    let r = (x - kf * LN2_HI) - kf * LN2_LO;
    // Taylor series of e^r on |r| <= ln2/2: the degree-13 term is below 2e-16.
    let mut p = 1.0 / 6_227_020_800.0;
    for d in
        [479_001_600.0, 39_916_800.0, 3_628_800.0, 362_880.0, 40_320.0, 5_040.0, 720.0, 120.0, 24.0, 6.0, 2.0]
    {
        p = p * r + 1.0 / d;
    }
    let er = (p * r + 1.0) * r + 1.0;
    if k < -1021 {
        // Subnormal result: scale in two steps so no intermediate underflows early.
        er * pow2(k + 1000) * pow2(-1000)
    } else if k > 1023 {
        er * pow2(k - 1000) * pow2(1000)
    } else {
        er * pow2(k)
    }
}

/// Natural logarithm of a positive finite `x` (`-inf` for 0, NaN for negative or NaN).
pub fn ln(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_infinite() {
        return x;
    }
    let (mut bits, mut e) = (x.to_bits(), 0i64);
    if (bits >> 52) & 0x7ff == 0 {
        // Subnormal: bring it into the normal range first.
        bits = (x * pow2(54)).to_bits();
        e = -54;
    }
    e += ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & MANTISSA_MASK) | (1023 << 52));
    if m > SQRT2 {
        m *= 0.5;
        e += 1;
    }
    // ln m = 2 atanh(s) with s = (m-1)/(m+1), |s| <= 0.1716: the series converges fast.
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut p = 1.0 / 23.0;
    for d in [21.0, 19.0, 17.0, 15.0, 13.0, 11.0, 9.0, 7.0, 5.0, 3.0] {
        p = p * s2 + 1.0 / d;
    }
    let ln_m = 2.0 * s + 2.0 * s * s2 * p;
    let ef = e as f64;
    ef * LN2_HI + (ef * LN2_LO + ln_m)
}

/// Clamps `x` into `[lo, hi]`.
#[inline]
pub fn clamp(x: f64, lo: f64, hi: f64) -> f64 {
    if x < lo {
        lo
    } else if x > hi {
        hi
    } else {
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(a: f64, b: f64) -> f64 {
        if a == b {
            0.0
        } else {
            ((a - b) / b).abs()
        }
    }

    #[test]
    fn exp_matches_the_platform_within_a_few_ulps() {
        let mut x = -700.0;
        while x < 700.0 {
            assert!(rel(exp(x), x.exp()) < 1e-14, "exp({x}) = {} vs {}", exp(x), x.exp());
            x += 0.731;
        }
        for x in [0.0, 1e-300, -1e-12, 0.5, -0.5, 1.0, 709.0, -708.0] {
            assert!(rel(exp(x), x.exp()) < 1e-14, "exp({x})");
        }
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(-800.0), 0.0);
        assert_eq!(exp(800.0), f64::INFINITY);
        assert!(rel(exp(-740.0), (-740.0f64).exp()) < 1e-6, "subnormal results stay close");
    }

    #[test]
    fn ln_matches_the_platform_within_a_few_ulps() {
        let mut x = 1e-300;
        while x < 1e300 {
            assert!((ln(x) - x.ln()).abs() <= 1e-14 * x.ln().abs().max(1.0), "ln({x})");
            x *= 1.37;
        }
        for x in [1.0, 2.0, 0.5, 1.0 - 1e-12, 1.0 + 1e-12, 5e-324, f64::MIN_POSITIVE / 3.0] {
            assert!((ln(x) - x.ln()).abs() <= 1e-14 * x.ln().abs().max(1e-12), "ln({x})");
        }
        assert_eq!(ln(1.0), 0.0);
        assert!(ln(-1.0).is_nan());
        assert_eq!(ln(0.0), f64::NEG_INFINITY);
    }

    #[test]
    fn the_ln2_split_is_exact() {
        assert_eq!(LN2_HI.to_bits(), 0x3fe6_2e42_fee0_0000);
        assert_eq!(LN2_LO.to_bits(), 0x3dea_39ef_3579_3c76);
        assert_eq!(LN2_HI + LN2_LO, std::f64::consts::LN_2);
    }

    #[test]
    fn floor_and_round_agree_with_the_definition() {
        for (x, f, r) in
            [(1.5, 1, 2), (-1.5, -2, -1), (2.0, 2, 2), (-2.0, -2, -2), (-0.2, -1, 0), (0.49, 0, 0)]
        {
            assert_eq!(floor_i64(x), f, "floor {x}");
            assert_eq!(round_i64(x), r, "round {x}");
        }
        assert_eq!(clamp(5.0, 0.0, 1.0), 1.0);
        assert_eq!(clamp(-5.0, 0.0, 1.0), 0.0);
    }
}
