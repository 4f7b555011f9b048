//! Deliberate slowdowns that the regression gate must catch (`docs/gate.md`).
//!
//! A gate is only as good as its proof that it fails on a real slowdown. A canary is such a
//! slowdown, built in and switched on from outside (`HOTPATH_CANARY`) without rebuilding,
//! so the gate's tests can run the same binary with and without it:
//!
//! - `uniform`: every order request that reaches pre-trade risk does extra work inside the
//!   risk stage, about a tenth of that stage's median cost (P50 moves);
//! - `tail`: every [`TAIL_EVERY`]th order request that reaches execution stalls inside the
//!   execution stage for tens of microseconds (P99.9 moves, P50 does not).
//!
//! The work is arithmetic the optimiser cannot remove, never a clock read or a sleep, so
//! a canary changes no report and costs the same number of instructions every time. Off
//! (the default), the engine pays one predictable branch per order request.

use crate::error::CoreError;

/// The environment variable every build reads when an engine is created.
pub const CANARY_ENV: &str = "HOTPATH_CANARY";

/// Which slowdown, if any, an engine carries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Canary {
    /// No slowdown.
    #[default]
    Off,
    /// Extra work in the risk stage of every order request.
    Uniform,
    /// A stall in the execution stage of one order request in [`TAIL_EVERY`].
    Tail,
}

/// Rounds of [`burn`] the uniform canary adds to a risk check: ~9 ns with the call here
/// (AMD EPYC, rustc 1.95), a tenth of the Rust risk stage's median (70–90 ns, stage
/// stamps included).
pub const UNIFORM_ROUNDS: u32 = 4;
/// One order request in this many (0.2 %) stalls under the tail canary.
pub const TAIL_EVERY: u64 = 500;
/// Rounds of [`burn`] of one tail stall: ~50 µs here, about forty times the rust-ffi
/// build's median service time, far beyond its P99. Half of it (~25 µs) sat at the edge of
/// what the wall tier can tell from this 2-core VM's own interruptions (3–17 µs typical):
/// its interval's lower bound, 16.2 µs, fell short of the 16.9 µs interruption at 4 pairs.
pub const TAIL_ROUNDS: u32 = 40_000;

impl Canary {
    /// `off` (or empty), `uniform` or `tail`.
    ///
    /// # Errors
    /// [`CoreError::Canary`] naming the variable and the value for anything else.
    pub fn parse(value: &str) -> Result<Canary, CoreError> {
        match value.trim() {
            "" | "off" => Ok(Canary::Off),
            "uniform" => Ok(Canary::Uniform),
            "tail" => Ok(Canary::Tail),
            other => Err(CoreError::Canary { value: other.to_owned() }),
        }
    }

    /// The canary [`CANARY_ENV`] asks for (off when unset).
    ///
    /// # Errors
    /// As [`parse`](Self::parse); a value that is not UTF-8 is refused too.
    pub fn from_env() -> Result<Canary, CoreError> {
        match std::env::var(CANARY_ENV) {
            Ok(value) => Canary::parse(&value),
            Err(std::env::VarError::NotPresent) => Ok(Canary::Off),
            Err(std::env::VarError::NotUnicode(v)) => {
                Err(CoreError::Canary { value: v.to_string_lossy().into_owned() })
            }
        }
    }
}

/// `rounds` dependent multiply-adds the optimiser must perform: deterministic work whose
/// cost grows linearly with `rounds`.
#[inline(never)]
pub fn burn(rounds: u32) -> u64 {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..rounds {
        x = std::hint::black_box(x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1));
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_settings_and_names_a_bad_one() {
        for (value, canary) in
            [("", Canary::Off), ("off", Canary::Off), (" uniform ", Canary::Uniform), ("tail", Canary::Tail)]
        {
            assert_eq!(Canary::parse(value).ok(), Some(canary), "{value:?}");
        }
        let err = Canary::parse("sometimes").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("HOTPATH_CANARY") && err.contains("sometimes"), "{err}");
    }

    #[test]
    fn burn_depends_on_every_round() {
        assert_ne!(burn(3), burn(4));
        assert_eq!(burn(0), 0x9E37_79B9_7F4A_7C15);
    }
}
