//! Stage 2: every pre-trade risk rule at its boundary, their order, and the throttle.

use super::*;
use Reason::*;

#[test]
fn price_band_is_inclusive_and_needs_a_reference() {
    let mut lab = Lab::new();
    // No reference yet: any price passes the band.
    lab.ok(limit(1, BUY, 999_999, 1, 1));
    lab.ok(cancel(2, 1));
    lab.quote(990, 1010); // reference 1000, band 10 %
    lab.ok(limit(3, BUY, 1100, 1, 1));
    assert_eq!(lab.reason(limit(4, BUY, 1101, 1, 1)), PriceBand);
    lab.ok(limit(5, SELL, 900, 1, 1));
    assert_eq!(lab.reason(limit(6, SELL, 899, 1, 1)), PriceBand);
    assert_eq!(lab.reason(ioc(7, SELL, 1, 1, 0)), PriceBand, "IOCs too");
    assert_eq!(lab.reason(replace(8, 3, 1101, 1)), PriceBand, "and replacements, at the new price");
    lab.ok(replace(9, 3, 1099, 1));
}

#[test]
fn max_notional_is_inclusive() {
    let mut lab = Lab::with(|m| m.accounts[0].limits.max_order_notional = 100_000);
    lab.ok(limit(1, BUY, 1000, 100, 1));
    assert_eq!(lab.reason(limit(2, BUY, 1000, 101, 1)), MaxNotional);
    assert_eq!(lab.reason(replace(3, 1, 1001, 100)), MaxNotional);
    lab.ok(limit(4, BUY, 1000, 100, 1).acct(1));
}

#[test]
fn position_limit_counts_position_and_open_orders_on_the_same_side() {
    let mut lab = Lab::with(|m| m.accounts[0].limits.max_position = vec![10, 10]);
    lab.quote(990, 1010);
    lab.ok(ioc(1, BUY, 1010, 4, 0)); // position 4
    lab.ok(limit(2, BUY, 1000, 6, 1)); // 4 + 0 + 6 = 10
    assert_eq!(lab.reason(limit(3, BUY, 1000, 1, 1)), PositionLimit);
    assert_eq!(lab.reason(ioc(4, BUY, 1000, 1, 1)), PositionLimit);
    lab.ok(limit(5, SELL, 1005, 14, 1)); // 4 − 0 − 14 = −10
    assert_eq!(lab.reason(limit(6, SELL, 1005, 1, 1)), PositionLimit);
    // A replacement leaves the original's remaining out.
    lab.ok(replace(7, 2, 1000, 6));
    assert_eq!(lab.reason(replace(8, 7, 1000, 7)), PositionLimit);
    lab.ok(replace(9, 5, 1005, 14));
    // Per instrument: instrument 1 has its own cap.
    lab.ok(limit(10, BUY, 1000, 10, 1).instr(1));
    assert_eq!(lab.reason(limit(11, BUY, 1000, 10, 1).instr(1)), PositionLimit);
    let a = lab.engine.account(0).and_then(|a| a.holding(0).copied()).expect("holding");
    assert_eq!((a.position, a.open_buy, a.open_sell), (4, 6, 14));
}

#[test]
fn exposure_limit_sums_gross_positions_open_notional_and_the_new_order() {
    let mut lab = Lab::with(|m| m.accounts[0].limits.max_gross_notional = 30_000);
    lab.quote(990, 1010);
    lab.ok(ioc(1, BUY, 1010, 10, 0)); // position 10 valued at 1000
    lab.ok(limit(2, BUY, 1000, 10, 1)); // 10 000 + 0 + 10 000
    lab.ok(limit(3, SELL, 1000, 10, 1)); // 10 000 + 10 000 + 10 000 = 30 000
    assert_eq!(lab.reason(limit(4, SELL, 1000, 1, 1)), ExposureLimit);
    // Replacing order 2 leaves its 10 000 out.
    lab.ok(replace(5, 2, 1000, 10));
    assert_eq!(lab.reason(replace(6, 5, 1001, 10)), ExposureLimit);
    // The position is valued at the reference: a lower one frees room.
    lab.level(0, BUY, 990, 0).level(0, BUY, 790, 1); // reference ⌊(790 + 1010) / 2⌋ = 900
    lab.ok(limit(7, SELL, 990, 1, 1)); // 9 000 + 20 000 + 990
    assert_eq!(lab.engine.account(0).map(|a| a.open_notional()), Some(20_990));
}

#[test]
fn max_open_orders_applies_to_new_limit_orders_only() {
    let mut lab = Lab::with(|m| m.accounts[0].limits.max_open_orders = 2);
    lab.quote(990, 1010);
    lab.ok(limit(1, BUY, 980, 1, 0));
    lab.ok(limit(2, BUY, 980, 1, 0));
    assert_eq!(lab.reason(limit(3, BUY, 980, 1, 0)), MaxOpenOrders);
    lab.ok(ioc(4, BUY, 980, 1, 0));
    lab.ok(market(5, BUY, 1, 0));
    lab.ok(replace(6, 1, 981, 1));
    lab.ok(cancel(7, 2));
    lab.ok(limit(8, BUY, 980, 1, 0));
    assert_eq!(lab.engine.account(0).map(|a| a.open_orders()), Some(2));
}

#[test]
fn risk_rules_apply_in_order() {
    // Every limit tight: each request breaks every rule from one point on and must get
    // the first of them.
    let tight = |m: &mut ScenarioMeta| {
        let l = &mut m.accounts[0].limits;
        l.max_order_notional = 5000;
        l.max_position = vec![1, 1];
        l.max_gross_notional = 500;
        l.rate_limit_count = 1;
        l.max_open_orders = 0;
    };
    let mut lab = Lab::with(tight);
    lab.quote(990, 1010);
    assert_eq!(lab.reason(limit(2, BUY, 2000, 5, 1)), PriceBand);
    assert_eq!(lab.reason(limit(3, BUY, 1000, 6, 1)), MaxNotional);
    assert_eq!(lab.reason(limit(4, BUY, 1000, 2, 1)), PositionLimit);
    assert_eq!(lab.reason(limit(5, BUY, 1000, 1, 1)), ExposureLimit);
    let mut lab = Lab::with(|m| {
        tight(m);
        m.accounts[0].limits.max_gross_notional = 10_000;
    });
    lab.ok(ioc(1, BUY, 1000, 1, 1)); // unfilled, but enters the throttle window
    assert_eq!(lab.reason(limit(2, BUY, 1000, 1, 1)), RateLimit);
    let mut lab = Lab::with(|m| {
        tight(m);
        m.accounts[0].limits.max_gross_notional = 10_000;
        m.accounts[0].limits.rate_limit_count = 5;
    });
    assert_eq!(lab.reason(limit(1, BUY, 1000, 1, 1)), MaxOpenOrders);
}

#[test]
fn throttle_window_counts_accepted_new_and_replace_only() {
    let mut lab = Lab::with(|m| {
        m.accounts[0].limits.rate_limit_count = 2;
        m.accounts[0].limits.rate_limit_window_ns = 100;
    });
    let window = |lab: &Lab| lab.engine.account(0).map(|a| a.throttle().entries().collect::<Vec<_>>());
    lab.at(1000).ok(limit(1, BUY, 900, 1, 1));
    lab.at(1010).ok(limit(2, BUY, 900, 1, 1));
    assert_eq!(lab.at(1020).reason(limit(3, BUY, 900, 1, 1)), RateLimit);
    assert_eq!(lab.at(1030).reason(limit(4, BUY, 900, 0, 1)), InvalidQty);
    assert_eq!(window(&lab), Some(vec![1000, 1010]), "rejects never enter");
    lab.at(1100).ok(limit(5, BUY, 900, 1, 1)); // 1000 ≤ 1100 − 100 drops
    assert_eq!(lab.at(1105).reason(limit(6, BUY, 900, 1, 1)), RateLimit);
    lab.at(1106).ok(cancel(7, 1)); // cancels are not throttled
    lab.at(1110).ok(replace(8, 2, 901, 1)); // 1010 drops; replaces count
    assert_eq!(window(&lab), Some(vec![1100, 1110]));
    assert_eq!(lab.at(1111).reason(ioc(9, SELL, 900, 1, 1)), RateLimit);
    lab.at(1111).ok(limit(9, BUY, 900, 1, 1).acct(1)); // per account
                                                       // MAX_OPEN_ORDERS comes after the throttle: such a reject does not enter either.
    let mut lab = Lab::with(|m| {
        m.accounts[0].limits.rate_limit_count = 2;
        m.accounts[0].limits.max_open_orders = 1;
    });
    lab.ok(limit(1, BUY, 900, 1, 1));
    assert_eq!(lab.reason(limit(2, BUY, 900, 1, 1)), MaxOpenOrders);
    lab.ok(ioc(3, BUY, 900, 1, 1));
    assert_eq!(lab.reason(ioc(4, BUY, 900, 1, 1)), RateLimit);
}
