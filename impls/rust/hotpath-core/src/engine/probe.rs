//! Stage hooks: let a harness timestamp the end of validation, risk and execution of an
//! order request without the engine knowing about clocks.

/// Called at the end of each pipeline stage that runs for an order request.
///
/// A request rejected in validation calls only [`validated`](StageProbe::validated); one
/// rejected in risk calls `validated` and `risk_checked`; an accepted one calls all three.
/// A CANCEL skips risk, so it calls `risk_checked` right after `validated`. Market data and
/// ignored events call none.
pub trait StageProbe {
    /// Validation finished (the request passed or was rejected).
    fn validated(&mut self);
    /// Pre-trade risk finished.
    fn risk_checked(&mut self);
    /// Execution finished: all the request's reports are out.
    fn executed(&mut self);
}

/// A probe that does nothing; compiles away.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoProbe;

impl StageProbe for NoProbe {
    #[inline(always)]
    fn validated(&mut self) {}
    #[inline(always)]
    fn risk_checked(&mut self) {}
    #[inline(always)]
    fn executed(&mut self) {}
}

impl<P: StageProbe + ?Sized> StageProbe for &mut P {
    #[inline(always)]
    fn validated(&mut self) {
        (**self).validated();
    }
    #[inline(always)]
    fn risk_checked(&mut self) {
        (**self).risk_checked();
    }
    #[inline(always)]
    fn executed(&mut self) {
        (**self).executed();
    }
}
