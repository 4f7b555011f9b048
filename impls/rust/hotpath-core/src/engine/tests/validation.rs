//! Stage 1: every validation rule, their precedence, used ids, MARKET conversion.

use super::*;
use Reason::*;

fn with(ev: EventRecord, f: impl FnOnce(&mut EventRecord)) -> EventRecord {
    let mut ev = ev;
    f(&mut ev);
    ev
}

#[test]
fn each_validation_rule_rejects_with_its_reason() {
    let mut lab = Lab::new();
    lab.quote(990, 1010);
    lab.ok(limit(1, BUY, 900, 1, 0));
    // Each request fails exactly one rule and passes every earlier one.
    let cases: Vec<(EventRecord, Reason)> = vec![
        (limit(10, BUY, 900, 1, 0).instr(2), UnknownInstrument),
        (cancel(11, 1).instr(9), UnknownInstrument),
        (replace(12, 1, 900, 1).instr(u16::MAX), UnknownInstrument),
        (limit(13, BUY, 900, 1, 0).acct(3), UnknownAccount),
        (cancel(14, 1).acct(3), UnknownAccount),
        (replace(15, 1, 900, 1).acct(u16::MAX), UnknownAccount),
        (limit(16, BUY, 900, 1, 3), UnknownVenue),
        (limit(17, BUY, 900, 1, 254), UnknownVenue),
        (with(limit(18, BUY, 900, 1, 0), |e| e.side = 0), InvalidRequest),
        (with(limit(19, BUY, 900, 1, 0), |e| e.side = 3), InvalidRequest),
        (with(limit(20, BUY, 900, 1, 0), |e| e.order_type = 0), InvalidRequest),
        (with(limit(21, BUY, 900, 1, 0), |e| e.order_type = 4), InvalidRequest),
        (limit(22, BUY, 900, 0, 0), InvalidQty),
        (limit(23, BUY, 900, -1, 0), InvalidQty),
        (limit(24, BUY, 900, i64::MIN, 0), InvalidQty),
        (limit(25, BUY, 900, 15, 0).instr(1), InvalidQty), // lot 10
        (market(26, SELL, 0, 0), InvalidQty),
        (replace(27, 1, 900, 0), InvalidQty),
        (limit(28, BUY, 900, 1_000_001, 0), QtyTooLarge),
        (market(29, BUY, 1010, 0).instr(1), QtyTooLarge),
        (replace(30, 1, 900, 1_000_001), QtyTooLarge),
        (limit(31, BUY, 0, 1, 0), InvalidPrice),
        (limit(32, BUY, -5, 1, 0), InvalidPrice),
        (limit(33, BUY, 1_000_001, 1, 0), InvalidPrice),
        (limit(34, BUY, 903, 10, 0).instr(1), InvalidPrice), // tick 5
        (ioc(35, SELL, i64::MIN, 1, 0), InvalidPrice),
        (replace(36, 1, 0, 1), InvalidPrice),
        (replace(37, 1, 1_000_005, 1), InvalidPrice),
        (limit(1, BUY, 900, 1, 0), DuplicateId),
        (cancel(1, 1), DuplicateId),
        (replace(1, 1, 900, 1), DuplicateId),
        (market(1, BUY, 1, ANY), DuplicateId),
        (cancel(38, 999), UnknownOrder),
        (replace(39, 999, 900, 1), UnknownOrder),
        (cancel(40, 1).instr(1), UnknownOrder), // order 1 is on instrument 0
        (cancel(41, 1).acct(1), UnknownOrder),  // and belongs to account 0
        (cancel(42, 22), UnknownOrder),         // a rejected request's id is no order
        (market(43, BUY, 10, 0).instr(1), NoReferencePrice),
    ];
    for (ev, want) in cases {
        assert_eq!(lab.reason(ev), want, "{ev:?}");
        assert_eq!(want.stage(), crate::format::Stage::Validation);
    }
    assert_eq!(lab.status(0, 1), Some(OrderStatus::Live), "the duplicates did not touch order 1");
}

#[test]
fn the_first_failing_rule_wins() {
    let mut lab = Lab::new();
    lab.ok(limit(1, BUY, 900, 1, 0));
    let junk =
        EventRecord { side: 9, order_type: 9, venue: 200, price: -1, qty: -1, ..limit(1, BUY, 1, 1, 0) };
    let cases: Vec<(EventRecord, Reason)> = vec![
        (junk.instr(7).acct(7), UnknownInstrument),
        (junk.acct(7), UnknownAccount),
        (junk, UnknownVenue),
        (EventRecord { venue: 0, ..junk }, InvalidRequest),
        (EventRecord { venue: 0, side: 1, order_type: 1, ..junk }, InvalidQty),
        (EventRecord { venue: 0, side: 1, order_type: 1, qty: 2_000_000, ..junk }, QtyTooLarge),
        (EventRecord { venue: 0, side: 1, order_type: 1, qty: 1, ..junk }, InvalidPrice),
        (EventRecord { venue: 0, side: 1, order_type: 1, qty: 1, price: 5, ..junk }, DuplicateId),
        (market(1, BUY, 10, 0).instr(1), DuplicateId), // before NO_REFERENCE_PRICE
        (replace(1, 999, 0, 0), InvalidQty),           // before DUPLICATE_ID and UNKNOWN_ORDER
        (replace(1, 999, 0, 1), InvalidPrice),
        (replace(1, 999, 5, 1), DuplicateId),
        (cancel(1, 999), DuplicateId),
        // CANCEL and REPLACE ignore side, order type and venue.
        (EventRecord { side: 9, order_type: 9, venue: 200, ..cancel(2, 999) }, UnknownOrder),
        (EventRecord { side: 9, order_type: 9, venue: 200, ..replace(3, 999, 5, 1) }, UnknownOrder),
    ];
    for (ev, want) in cases {
        assert_eq!(lab.reason(ev), want, "{ev:?}");
    }
}

#[test]
fn every_request_id_of_a_known_account_becomes_used() {
    let mut lab = Lab::new();
    lab.quote(990, 1010);
    // Rejected in validation, in risk, unknown instrument: all used afterwards.
    assert_eq!(lab.reason(limit(1, BUY, 900, 0, 0)), InvalidQty);
    assert_eq!(lab.reason(limit(2, BUY, 900, 1, 0).instr(5)), UnknownInstrument);
    assert_eq!(lab.reason(limit(3, BUY, 2000, 1, 0)), PriceBand);
    lab.ok(limit(4, BUY, 900, 1, 0));
    lab.ok(cancel(5, 4));
    lab.ok(ioc(6, BUY, 900, 1, 0));
    for id in 1..=6 {
        assert_eq!(lab.reason(limit(id, BUY, 900, 1, 0)), DuplicateId, "id {id}");
        assert!(lab.engine.account(0).is_some_and(|a| a.has_used(id)));
    }
    // An unknown account records nothing; ids are per account.
    assert_eq!(lab.reason(limit(7, BUY, 900, 1, 0).acct(3)), UnknownAccount);
    lab.ok(limit(7, BUY, 900, 1, 0));
    lab.ok(limit(7, BUY, 900, 1, 0).acct(1));
    assert_eq!(lab.engine.account(0).map(|a| a.used_ids()), Some(7));
    // A duplicate never replaces the order its id names.
    assert_eq!(lab.engine.order(0, 4).map(|o| o.status), Some(OrderStatus::Cancelled));
    assert_eq!(lab.engine.order(0, 1), None, "a reject creates no order");
}

#[test]
fn market_orders_become_iocs_at_the_collar() {
    let mut lab = Lab::new();
    lab.quote(990, 1010); // reference 1000, band 10 %: collar ±100
    let out = lab.send(market(5, BUY, 150, 0));
    assert_eq!(
        out,
        [
            ack(5, BUY, 1100, 150, 0),
            taker(5, BUY, 1010, 100, 0),
            cancelled(5, BUY, 1100, 50, 0, CancelReason::Unfilled, 0),
        ]
    );
    let o = lab.engine.order(0, 5).copied().expect("stored");
    assert_eq!(
        (o.order_type, o.price, o.remaining, o.status),
        (OrderType::Market, 1100, 50, OrderStatus::Cancelled)
    );
    // The sweep took the only ask: a bid alone and no trade yet give no reference.
    assert_eq!(lab.engine.reference_price(0), None);
    assert_eq!(lab.reason(market(6, SELL, 1, 0)), NoReferencePrice);
    // A trade alone gives a reference.
    lab.quiet(trade(1, BUY, 980, 1));
    assert_eq!(lab.engine.reference_price(0), Some(980));
    let out = lab.send(market(7, SELL, 10, ANY));
    // 980 − 98 = 882; sweeps the 990 bid.
    assert_eq!(out, [ack(7, SELL, 882, 10, ANY), taker(7, SELL, 990, 10, 0)]);
}

#[test]
fn collar_rounding_on_a_coarse_tick() {
    let mut lab = Lab::new();
    lab.quiet(delta(1, 2, BUY, 1000, 100));
    lab.quiet(delta(1, 2, SELL, 1005, 100));
    // Reference ⌊2005 / 2⌋ = 1002, off ⌊1002 × 500 / 10⁴⌋ = 50: BUY 1052 → 1050, SELL 952 → 955.
    let out = lab.send(market(1, SELL, 10, ANY).instr(1));
    assert_eq!(out, [ack(1, SELL, 955, 10, ANY).instr(1), taker(1, SELL, 1000, 10, 2).instr(1)]);
    let out = lab.send(market(2, BUY, 20, 1).instr(1));
    assert_eq!(
        out,
        [
            ack(2, BUY, 1050, 20, 1).instr(1),
            cancelled(2, BUY, 1050, 20, 1, CancelReason::Unfilled, 0).instr(1)
        ]
    );
}

#[test]
fn collar_outside_the_price_grid_is_an_invalid_price() {
    // Band 100 %: a SELL's r − off is 0.
    let mut lab = Lab::with(|m| m.instruments[0].band_bps = 10_000);
    lab.quote(990, 1010);
    let ev = EventRecord { price: 777, ..market(1, SELL, 1, 0) };
    assert_eq!(lab.reason(ev), InvalidPrice, "REJECT copies the request's own price field");
    // Band 99.9 %: collar ±999. BUY 1999 > max price 1998; SELL 1 is on the grid.
    let mut lab = Lab::with(|m| {
        m.instruments[0].band_bps = 9990;
        m.instruments[0].max_price = 1998;
    });
    lab.quote(990, 1010);
    assert_eq!(lab.reason(market(1, BUY, 1, 0)), InvalidPrice);
    assert_eq!(lab.send(market(2, SELL, 1, 0)), [ack(2, SELL, 1, 1, 0), taker(2, SELL, 990, 1, 0)]);
    // Tick larger than the collar: BUY rounds down to 0.
    let mut lab = Lab::with(|m| {
        m.instruments[0].band_bps = 0;
        m.instruments[0].tick_size = 1000;
    });
    lab.quiet(trade(0, BUY, 999, 1));
    assert_eq!(lab.reason(market(1, BUY, 1, 0)), InvalidPrice);
    // SELL rounds up to 1000, valid, but one tick off a zero-width band.
    assert_eq!(lab.reason(market(2, SELL, 1, 0)), PriceBand);
}
