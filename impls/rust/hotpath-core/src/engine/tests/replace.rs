//! REPLACE: side and venue of the original, loss of queue priority, sweeping, and which
//! originals can be replaced.

use super::*;

#[test]
fn a_replacement_keeps_side_and_venue_and_queues_again() {
    let mut lab = Lab::new();
    lab.level(1, BUY, 1000, 7).level(1, SELL, 1010, 50);
    lab.ok(limit(1, BUY, 1000, 10, 1));
    lab.quiet(trade(1, SELL, 1000, 7)); // our queue is now 0
    assert_eq!(lab.engine.order(0, 1).map(|o| o.queue_ahead), Some(0));
    // Side, order type and venue of the request are ignored.
    let ev = EventRecord { side: 2, order_type: 3, venue: 0, ..replace(2, 1, 1000, 6) };
    assert_eq!(lab.send(ev), [replaced(2, 1, BUY, 1000, 6, 1)]);
    let orig = lab.engine.order(0, 1).copied().expect("kept for audit");
    assert_eq!((orig.status, orig.remaining), (OrderStatus::Replaced, 10));
    let new = lab.engine.order(0, 2).copied().expect("stored");
    assert_eq!(
        (new.status, new.side, new.order_type, new.venue, new.queue_ahead, new.qty),
        (OrderStatus::Live, BUY, OrderType::Limit, 1, 7, 6)
    );
    lab.quiet(trade(1, SELL, 1000, 7));
    assert_eq!(lab.send(trade(1, SELL, 1000, 2)), [maker(2, BUY, 1000, 2, 1)]);
    let a = lab.engine.account(0).expect("account");
    assert_eq!((a.holding(0).map(|h| h.open_buy), a.open_orders(), a.open_notional()), (Some(4), 1, 4000));
}

#[test]
fn a_marketable_replacement_sweeps_its_own_venue_then_rests() {
    let mut lab = Lab::new();
    lab.level(1, SELL, 1010, 3).level(0, SELL, 1005, 100).level(0, BUY, 990, 100);
    lab.ok(limit(1, BUY, 1000, 10, 1));
    assert_eq!(
        lab.send(replace(2, 1, 1010, 5)),
        [replaced(2, 1, BUY, 1010, 5, 1), taker(2, BUY, 1010, 3, 1)]
    );
    let new = lab.engine.order(0, 2).copied().expect("stored");
    assert_eq!((new.status, new.venue, new.remaining), (OrderStatus::Live, 1, 2));
    assert_eq!(lab.engine.book_levels(0, 0, SELL), [(1005, 100)], "v0's better ask is not touched");
    let a = lab.engine.account(0).expect("account");
    assert_eq!((a.holding(0).map(|h| (h.position, h.open_buy)), a.open_notional()), (Some((3, 2)), 2020));
}

#[test]
fn an_order_routed_to_any_is_replaced_at_the_venue_where_it_rests() {
    let mut lab = Lab::new();
    lab.level(2, BUY, 999, 5);
    lab.ok(limit(1, BUY, 998, 4, ANY));
    assert_eq!(lab.engine.order(0, 1).map(|o| o.venue), Some(2));
    assert_eq!(lab.send(replace(2, 1, 999, 4)), [replaced(2, 1, BUY, 999, 4, 2)]);
    assert_eq!(lab.engine.order(0, 2).map(|o| (o.venue, o.requested_venue, o.queue_ahead)), Some((2, 2, 5)));
}

#[test]
fn only_live_orders_of_the_account_on_the_instrument_can_be_replaced() {
    let mut lab = Lab::new();
    lab.level(0, SELL, 1000, 5);
    lab.ok(limit(1, BUY, 990, 1, 0));
    lab.ok(replace(2, 1, 991, 1)); // 1 is now replaced
    lab.ok(limit(3, BUY, 1000, 5, 0)); // filled
    lab.ok(limit(4, BUY, 990, 1, 0));
    lab.ok(cancel(5, 4)); // 4 is cancelled
    lab.ok(limit(6, BUY, 990, 1, 0));
    for (ev, why) in [
        (replace(10, 1, 990, 1), "replaced"),
        (replace(11, 3, 990, 1), "filled"),
        (replace(12, 4, 990, 1), "cancelled"),
        (replace(13, 6, 990, 10).instr(1), "other instrument"),
        (replace(14, 6, 990, 1).acct(1), "other account"),
        (replace(15, 5, 990, 1), "a cancel request's id"),
    ] {
        assert_eq!(lab.reason(ev), Reason::UnknownOrder, "{why}");
    }
    lab.ok(replace(16, 2, 992, 1));
    lab.ok(replace(17, 16, 993, 2));
    assert_eq!(lab.engine.live_orders(), 2);
}
