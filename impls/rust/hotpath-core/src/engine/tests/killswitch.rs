//! The kill switch in its three trip places (risk rule 0, after a sweep, after a trade's
//! passive fills), the mass cancel, and the halted account afterwards.

use super::*;
use CancelReason::*;

/// Band 100 % on instrument 0 so that wide books are tradable; accounts 0–2 may lose
/// `max_loss` before halting.
fn lab(max_loss: i64) -> Lab {
    Lab::with(|m| {
        m.instruments[0].band_bps = 10_000;
        for a in &mut m.accounts {
            a.limits.max_loss = max_loss;
        }
    })
}

#[test]
fn a_losing_sweep_halts_cancels_everything_live_then_the_remainder() {
    for (order_type, remainder) in [(OrderType::Limit, KillSwitch), (OrderType::Ioc, Unfilled)] {
        let mut lab = lab(50);
        lab.level(0, BUY, 500, 100).level(0, SELL, 1000, 10).level(1, SELL, 1100, 100);
        lab.ok(limit(3, SELL, 1200, 1, 2));
        lab.ok(limit(1, BUY, 600, 1, 2));
        lab.ok(limit(2, SELL, 1150, 2, 1));
        lab.ok(limit(1, BUY, 600, 1, 2).acct(1));
        // Buys 10 at 1000; the reference becomes ⌊(500 + 1100) / 2⌋ = 800: PnL −2 000.
        let out = lab.send(new(7, BUY, order_type, 1000, 15, ANY));
        assert_eq!(
            out,
            [
                ack(7, BUY, 1000, 15, ANY),
                taker(7, BUY, 1000, 10, 0),
                halt(7, 0, 0),
                cancelled(1, BUY, 600, 1, 2, KillSwitch, 0),
                cancelled(2, SELL, 1150, 2, 1, KillSwitch, 0),
                cancelled(3, SELL, 1200, 1, 2, KillSwitch, 0),
                cancelled(7, BUY, 1000, 5, ANY, remainder, 0),
            ],
            "{order_type:?}"
        );
        assert_eq!(lab.engine.pnl(0).and_then(|p| p.to_i128()), Some(-2000));
        assert!(lab.engine.account(0).is_some_and(|a| a.is_halted() && a.open_orders() == 0));
        assert_eq!(lab.status(0, 7), Some(OrderStatus::Cancelled));
        // Halted: NEW and REPLACE are refused without a second HALT; CANCEL finds nothing.
        assert_eq!(
            lab.send(limit(8, SELL, 700, 1, 0)),
            [reject(&limit(8, SELL, 700, 1, 0), Reason::TradingHalted)]
        );
        assert_eq!(lab.reason(replace(9, 1, 600, 1)), Reason::UnknownOrder);
        assert_eq!(lab.reason(cancel(10, 2)), Reason::UnknownOrder);
        // Other accounts carry on.
        assert_eq!(lab.status(1, 1), Some(OrderStatus::Live));
        lab.ok(limit(2, BUY, 600, 1, 2).acct(1));
    }
}

#[test]
fn the_loss_check_at_the_start_of_risk_halts_before_the_reject() {
    let mut lab = lab(500);
    lab.level(0, BUY, 990, 100).level(0, SELL, 1010, 100);
    lab.ok(ioc(1, BUY, 1010, 10, 0)); // PnL −100: inside the limit
    for id in [30, 10, 20] {
        lab.ok(limit(id, SELL, 1200, 1, 1));
    }
    lab.ok(limit(5, BUY, 900, 1, 2).acct(1));
    // The market falls: reference ⌊(500 + 1010) / 2⌋ = 755, PnL −2 550. Market data alone
    // runs no loss check, nor does a rejected request or a cancel.
    lab.level(0, BUY, 990, 0).level(0, BUY, 500, 100);
    assert_eq!(lab.reason(limit(40, SELL, 800, 0, 0)), Reason::InvalidQty);
    assert_eq!(lab.send(cancel(41, 30)), [cancelled(30, SELL, 1200, 1, 1, Requested, 41)]);
    assert!(!lab.engine.account(0).is_some_and(|a| a.is_halted()));
    // The next NEW (here on instrument 1: HALT names the event's instrument).
    let ev = limit(42, SELL, 800, 10, 1).instr(1);
    assert_eq!(
        lab.send(ev),
        [
            halt(42, 1, 0),
            cancelled(10, SELL, 1200, 1, 1, KillSwitch, 0),
            cancelled(20, SELL, 1200, 1, 1, KillSwitch, 0),
            reject(&ev, Reason::TradingHalted),
        ]
    );
    assert_eq!(lab.reason(limit(43, SELL, 800, 1, 0)), Reason::TradingHalted);
    assert_eq!(lab.status(1, 5), Some(OrderStatus::Live));
}

#[test]
fn a_trade_that_fills_losing_orders_halts_each_account_in_ascending_order() {
    let mut lab = lab(50);
    lab.level(0, BUY, 500, 100).level(0, SELL, 1010, 100); // reference 755
    lab.ok(limit(5, BUY, 1000, 3, 1).acct(2));
    lab.ok(limit(5, BUY, 1000, 3, 1).acct(1));
    lab.ok(limit(9, SELL, 1500, 1, 0).acct(1));
    lab.ok(limit(1, BUY, 1000, 1, 2)); // other venue: not filled
    assert_eq!(
        lab.send(trade(1, SELL, 1000, 10)),
        [
            maker(5, BUY, 1000, 3, 1).acct(1),
            maker(5, BUY, 1000, 3, 1).acct(2),
            halt(0, 0, 1),
            cancelled(9, SELL, 1500, 1, 0, KillSwitch, 0).acct(1),
            halt(0, 0, 2),
        ]
    );
    assert!(!lab.engine.account(0).is_some_and(|a| a.is_halted()));
    assert_eq!(lab.engine.pnl(1).and_then(|p| p.to_i128()), Some(-3000 + 3 * 755));
    // A later losing print cannot halt them twice (and they have nothing live).
    lab.quiet(trade(1, SELL, 900, 10));
}

#[test]
fn a_replacement_that_trips_the_switch_cancels_at_the_original_venue() {
    let mut lab = lab(50);
    lab.level(0, BUY, 500, 100).level(1, SELL, 1000, 10).level(0, SELL, 1100, 100);
    lab.ok(limit(1, BUY, 700, 15, 1)); // rests at v1 under the 1000 ask
    lab.ok(limit(2, SELL, 1300, 1, 0));
    let out = lab.send(replace(3, 1, 1000, 15));
    assert_eq!(
        out,
        [
            replaced(3, 1, BUY, 1000, 15, 1),
            taker(3, BUY, 1000, 10, 1),
            halt(3, 0, 0),
            cancelled(2, SELL, 1300, 1, 0, KillSwitch, 0),
            cancelled(3, BUY, 1000, 5, 1, KillSwitch, 0),
        ]
    );
    assert_eq!(lab.status(0, 1), Some(OrderStatus::Replaced), "the original is not live: not mass-cancelled");
}
