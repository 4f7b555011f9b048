//! The loss check and the kill switch it trips: `HALT`, then every live order of the
//! account cancelled in ascending id. An account trips at most once per session.

use super::risk::loss_gate;
use super::sink::{Emitter, ReportSink};
use super::{reports, Engine};
use crate::format::CancelReason;

impl Engine {
    /// The loss check after the fills of one input event: trips the kill switch if the
    /// account is not halted and its PnL is below `−max_loss`. Returns whether it tripped.
    ///
    /// `order_id` is the request being handled (0 after a trade), `instrument` the event's.
    pub(super) fn loss_check<S: ReportSink>(
        &mut self,
        account: u16,
        order_id: u64,
        instrument: u16,
        em: &mut Emitter<'_, S>,
    ) -> bool {
        if !loss_gate(&self.accounts[usize::from(account)], &self.books).0 {
            return false;
        }
        self.trip_kill_switch(account, order_id, instrument, em);
        true
    }

    /// Halts the account: `HALT`, then a `CANCELLED` (reason KILL_SWITCH) for each live
    /// order in ascending id.
    pub(super) fn trip_kill_switch<S: ReportSink>(
        &mut self,
        account: u16,
        order_id: u64,
        instrument: u16,
        em: &mut Emitter<'_, S>,
    ) {
        self.accounts[usize::from(account)].halted = true;
        em.emit(reports::halt(order_id, instrument, account));
        let mut victims = std::mem::take(&mut self.scratch_victims);
        victims.clear();
        self.live.collect_account(account, &mut victims);
        // Ids are unique within an account.
        victims.sort_unstable_by_key(|&(id, _)| id);
        for &(_, slot) in &victims {
            self.cancel_live(slot, CancelReason::KillSwitch, 0, em);
        }
        self.scratch_victims = victims;
    }
}
