//! The risk desk (a hybrid build's Rust risk): fed what happened to the orders, it answers
//! as the engine's own risk stage does, and it owns the kill switch's flag, not its reports.

use super::super::{RiskCheck, RiskDesk, Verdict};
use super::*;
use crate::CoreError;
use Reason::*;

fn desk_with(adjust: impl FnOnce(&mut ScenarioMeta)) -> RiskDesk {
    let mut m = meta();
    adjust(&mut m);
    RiskDesk::new(&m).expect("valid test metadata")
}

/// The desk's view of a LIMIT/IOC of account 0 on instrument 0 at `ts`.
fn check(side: Side, price: i64, qty: i64, ts: u64, new_limit: bool) -> RiskCheck {
    RiskCheck { account: 0, instrument: 0, side, price, qty, ts, new_limit, replacing: None }
}

fn outcome(desk: &mut RiskDesk, rq: RiskCheck) -> Result<(), Reason> {
    let v = desk.check(&rq).expect("known account and instrument");
    assert!(!v.tripped, "{rq:?} tripped the kill switch");
    v.outcome
}

#[test]
fn each_rule_answers_as_the_engine_does() {
    // (limits adjustment, price, qty, the engine's answer)
    type Case = (fn(&mut ScenarioMeta), i64, i64, Result<(), Reason>);
    let cases: [Case; 5] = [
        (|_| {}, 1000, 5, Ok(())),
        (|_| {}, 1101, 1, Err(PriceBand)),
        (|m| m.accounts[0].limits.max_order_notional = 4_999, 1000, 5, Err(MaxNotional)),
        (|m| m.accounts[0].limits.max_position = vec![4, 4], 1000, 5, Err(PositionLimit)),
        (|m| m.accounts[0].limits.max_gross_notional = 4_999, 1000, 5, Err(ExposureLimit)),
    ];
    for (adjust, price, qty, want) in cases {
        let mut lab = Lab::with(adjust);
        lab.quote(990, 1010);
        let engine = match lab.send(limit(1, BUY, price, qty, 1)).last() {
            Some(r) if r.kind == ReportKind::Reject as u8 => Err(Reason::from_u8(r.reason).expect("known")),
            _ => Ok(()),
        };
        assert_eq!(engine, want, "the engine, price {price} qty {qty}");
        let mut desk = desk_with(adjust);
        desk.on_market_data(&delta(0, 0, BUY, 990, 100));
        desk.on_market_data(&delta(0, 0, SELL, 1010, 100));
        assert_eq!(
            outcome(&mut desk, check(BUY, price, qty, 1, true)),
            want,
            "the desk, price {price} qty {qty}"
        );
    }
}

#[test]
fn open_orders_count_and_the_throttle_admits_only_what_passed() {
    let mut desk = desk_with(|m| {
        m.accounts[0].limits.max_open_orders = 1;
        m.accounts[0].limits.rate_limit_count = 2;
        m.accounts[0].limits.rate_limit_window_ns = 100;
    });
    assert_eq!(outcome(&mut desk, check(BUY, 1000, 1, 10, true)), Ok(()));
    desk.open(0, 0, BUY, 1000, 1).expect("known ids");
    assert_eq!(outcome(&mut desk, check(BUY, 1000, 1, 20, true)), Err(MaxOpenOrders), "one resting already");
    assert_eq!(outcome(&mut desk, check(BUY, 1000, 1, 30, false)), Ok(()), "an IOC is not capped");
    assert_eq!(outcome(&mut desk, check(BUY, 1000, 1, 40, false)), Err(RateLimit), "10 and 30 count");
    assert_eq!(outcome(&mut desk, check(BUY, 1000, 1, 110, false)), Ok(()), "10 left the window");
    desk.release(0, 0, BUY, 1000, 1).expect("known ids");
    assert_eq!(desk.account(0).map(|a| (a.open_orders(), a.open_notional())), Some((0, 0)));
}

#[test]
fn a_replacement_leaves_the_original_out_of_the_position_check() {
    let mut desk = desk_with(|m| m.accounts[0].limits.max_position = vec![10, 10]);
    desk.open(0, 0, BUY, 1000, 8).expect("known ids");
    let bigger = check(BUY, 1000, 9, 1, false);
    assert_eq!(outcome(&mut desk, bigger), Err(PositionLimit), "8 open + 9 > 10 as a new order");
    assert_eq!(outcome(&mut desk, RiskCheck { replacing: Some((8, 1000)), ..bigger }), Ok(()));
}

#[test]
fn fills_move_the_position_and_a_taker_fill_takes_from_the_desks_book() {
    let mut desk = desk_with(|_| {});
    desk.on_market_data(&delta(0, 0, BUY, 990, 100));
    desk.on_market_data(&delta(0, 0, SELL, 1010, 100));
    desk.on_market_data(&delta(0, 0, SELL, 1020, 100));
    assert_eq!(desk.reference_price(0), Some(1000));
    desk.taker_fill(0, 0, 0, BUY, 1010, 100).expect("known ids"); // the whole best ask
    assert_eq!(desk.reference_price(0), Some(1005), "the next ask is the best");
    desk.open(0, 0, SELL, 1030, 40).expect("known ids");
    desk.maker_fill(0, 0, SELL, 1030, 40, true).expect("known ids");
    let a = desk.account(0).expect("account 0");
    assert_eq!(a.holding(0).map(|h| h.position), Some(60));
    assert_eq!(a.cash().to_i128(), Some(-101_000 + 41_200));
    assert_eq!((a.open_orders(), a.open_notional()), (0, 0));
    desk.on_market_data(&trade(0, BUY, 995, 1));
    desk.on_market_data(&delta(0, 0, BUY, 990, 0));
    assert_eq!(desk.reference_price(0), Some(995), "one-sided: the last trade");
    desk.on_market_data(&delta(9, 0, BUY, 990, 5)); // unknown instrument: ignored, as by the engine
}

#[test]
fn the_loss_check_halts_once_and_the_caller_owes_the_reports() {
    let mut desk = desk_with(|m| m.accounts[0].limits.max_loss = 1_000);
    desk.on_market_data(&delta(0, 0, BUY, 990, 100));
    desk.on_market_data(&delta(0, 0, SELL, 1010, 100));
    desk.taker_fill(0, 0, 0, BUY, 1010, 50).expect("known ids"); // long 50 at 1010, marked at 1000: −500
    assert!(!desk.loss_check(0).expect("known ids"), "−500 is within the limit");
    desk.on_market_data(&delta(0, 0, BUY, 980, 100));
    desk.on_market_data(&delta(0, 0, BUY, 990, 0)); // reference 995: −750
    desk.on_market_data(&delta(0, 0, SELL, 1010, 0));
    desk.on_market_data(&delta(0, 0, SELL, 990, 100)); // reference 985: −1,250
    let v = desk.check(&check(SELL, 985, 1, 1, false)).expect("known ids");
    assert_eq!(v, Verdict { tripped: true, outcome: Err(TradingHalted) });
    let again = desk.check(&check(SELL, 985, 1, 2, false)).expect("known ids");
    assert_eq!(again, Verdict { tripped: false, outcome: Err(TradingHalted) }, "trips once");
    assert!(!desk.loss_check(0).expect("known ids"));
    assert!(desk.account(0).is_some_and(|a| a.is_halted()));
    let mut other = desk_with(|m| m.accounts[0].limits.max_loss = 1_000);
    other.taker_fill(0, 0, 0, BUY, 1010, 50).expect("known ids");
    other.on_market_data(&trade(0, SELL, 980, 1)); // −1,500 after a fill: the post-fill check
    assert!(other.loss_check(0).expect("known ids"));
}

#[test]
fn unknown_accounts_instruments_and_venues_are_errors_not_panics() {
    let mut desk = desk_with(|_| {});
    let bad_account = RiskCheck { account: 3, ..check(BUY, 1, 1, 1, true) };
    let bad_instrument = RiskCheck { instrument: 2, ..check(BUY, 1, 1, 1, true) };
    for rq in [bad_account, bad_instrument] {
        assert!(matches!(desk.check(&rq), Err(CoreError::OutOfRange { .. })), "{rq:?}");
    }
    assert!(matches!(desk.taker_fill(0, 0, 3, BUY, 1, 1), Err(CoreError::OutOfRange { what: "venue", .. })));
    assert!(desk.loss_check(3).is_err());
    assert!(desk.open(0, 2, BUY, 1, 1).is_err());
    let msg = desk.release(7, 0, BUY, 1, 1).expect_err("account 7 is unknown").to_string();
    assert_eq!(msg, "account 7 is out of range: the scenario has 3");
}
