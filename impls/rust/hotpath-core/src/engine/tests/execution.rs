//! Stage 3: sweeps and routing, resting and queue position, IOC remainders, cancels.

use super::*;
use CancelReason::*;

/// Asks: v0 {1001: 2, 1003: 5}, v1 {1001: 4}, v2 {1000: 3, 1002: 10}; bid v0 990.
fn ladder() -> Lab {
    let mut lab = Lab::new();
    lab.level(0, SELL, 1001, 2).level(0, SELL, 1003, 5).level(1, SELL, 1001, 4);
    lab.level(2, SELL, 1000, 3).level(2, SELL, 1002, 10).level(0, BUY, 990, 100);
    lab
}

#[test]
fn any_sweeps_every_venue_in_price_then_venue_order() {
    let mut lab = ladder();
    let out = lab.send(limit(1, BUY, 1002, 14, ANY));
    assert_eq!(
        out,
        [
            ack(1, BUY, 1002, 14, ANY),
            taker(1, BUY, 1000, 3, 2),
            taker(1, BUY, 1001, 2, 0),
            taker(1, BUY, 1001, 4, 1),
            taker(1, BUY, 1002, 5, 2),
        ]
    );
    assert_eq!(lab.status(0, 1), Some(OrderStatus::Filled));
    assert_eq!(lab.engine.live_orders(), 0);
    assert_eq!(lab.engine.book_levels(0, 0, SELL), [(1003, 5)]);
    assert_eq!(lab.engine.book_levels(0, 1, SELL), []);
    assert_eq!(lab.engine.book_levels(0, 2, SELL), [(1002, 5)], "taken levels shrink locally");
    let a = lab.engine.account(0).expect("account");
    assert_eq!(a.holding(0).map(|h| h.position), Some(14));
    assert_eq!(a.cash().to_i128(), Some(-(3 * 1000 + 2 * 1001 + 4 * 1001 + 5 * 1002)));
}

#[test]
fn a_named_venue_sweeps_only_that_venue_and_the_remainder_rests_there() {
    let mut lab = ladder();
    let out = lab.send(limit(2, BUY, 1002, 10, 1));
    assert_eq!(out, [ack(2, BUY, 1002, 10, 1), taker(2, BUY, 1001, 4, 1)]);
    let o = lab.engine.order(0, 2).copied().expect("stored");
    assert_eq!((o.status, o.venue, o.remaining, o.queue_ahead), (OrderStatus::Live, 1, 6, 0));
    assert_eq!(lab.engine.book_levels(0, 2, SELL), [(1000, 3), (1002, 10)], "other venues untouched");
    let h = lab.engine.account(0).and_then(|a| a.holding(0).copied()).expect("holding");
    assert_eq!((h.position, h.open_buy), (4, 6));
    assert_eq!(lab.engine.account(0).map(|a| (a.open_notional(), a.open_orders())), Some((6 * 1002, 1)));
}

#[test]
fn sell_sweeps_take_the_highest_bid_first_ties_to_the_lowest_venue() {
    let mut lab = Lab::new();
    lab.level(2, BUY, 999, 5).level(0, BUY, 999, 5).level(1, BUY, 999, 5).level(1, BUY, 1000, 1);
    lab.level(2, SELL, 1010, 5);
    let out = lab.send(ioc(1, SELL, 999, 13, ANY));
    assert_eq!(
        out,
        [
            ack(1, SELL, 999, 13, ANY),
            taker(1, SELL, 1000, 1, 1),
            taker(1, SELL, 999, 5, 0),
            taker(1, SELL, 999, 5, 1),
            taker(1, SELL, 999, 2, 2),
        ]
    );
    assert_eq!(lab.engine.book_levels(0, 2, BUY), [(999, 3)]);
}

#[test]
fn limit_at_any_rests_where_the_best_same_side_price_is_after_the_sweep() {
    let mut lab = Lab::new();
    lab.level(0, BUY, 995, 7).level(2, BUY, 998, 4).level(1, BUY, 998, 3).level(0, SELL, 1005, 5);
    // (request, resting venue, queue_ahead)
    let cases = [
        (limit(1, BUY, 997, 5, ANY), 1, 0),   // best bid 998 on v1 and v2: lowest id
        (limit(2, BUY, 998, 5, ANY), 1, 3),   // queue behind v1's 998 level
        (limit(3, SELL, 1006, 5, ANY), 0, 0), // best ask is on v0
        (limit(4, BUY, 1005, 8, ANY), 1, 0),  // sweeps v0's ask, then rests by the bids
        (limit(5, SELL, 1006, 5, ANY), 0, 0), // no ask left anywhere: venue 0
    ];
    for (ev, venue, queue) in cases {
        let out = lab.send(ev);
        assert_eq!(out[0], ack(ev.id, Side::from_u8(ev.side).expect("side"), ev.price, ev.qty, ANY));
        let o = lab.engine.order(0, ev.id).copied().expect("stored");
        assert_eq!((o.status, o.venue, o.queue_ahead), (OrderStatus::Live, venue, queue), "{ev:?}");
    }
    assert_eq!(lab.engine.order(0, 4).map(|o| o.remaining), Some(3));
    // Nothing on either side at all (instrument 1): venue 0.
    lab.ok(limit(6, BUY, 1000, 10, ANY).instr(1));
    assert_eq!(lab.engine.order(0, 6).map(|o| o.venue), Some(0));
}

#[test]
fn ioc_remainders_are_cancelled_at_the_requested_venue() {
    let mut lab = ladder();
    assert_eq!(
        lab.send(ioc(1, BUY, 1000, 5, ANY)),
        [ack(1, BUY, 1000, 5, ANY), taker(1, BUY, 1000, 3, 2), cancelled(1, BUY, 1000, 2, ANY, Unfilled, 0)]
    );
    assert_eq!(
        lab.send(ioc(2, BUY, 1003, 5, 1)),
        [ack(2, BUY, 1003, 5, 1), taker(2, BUY, 1001, 4, 1), cancelled(2, BUY, 1003, 1, 1, Unfilled, 0)]
    );
    assert_eq!(
        lab.send(ioc(3, SELL, 991, 5, 0)),
        [ack(3, SELL, 991, 5, 0), cancelled(3, SELL, 991, 5, 0, Unfilled, 0)]
    );
    assert_eq!(lab.send(ioc(4, BUY, 1003, 2, 0)), [ack(4, BUY, 1003, 2, 0), taker(4, BUY, 1001, 2, 0)]);
    for id in 1..=3 {
        assert_eq!(lab.status(0, id), Some(OrderStatus::Cancelled));
    }
    assert_eq!(lab.status(0, 4), Some(OrderStatus::Filled));
    assert_eq!(lab.engine.live_orders(), 0);
    assert_eq!(lab.engine.account(0).map(|a| (a.open_notional(), a.open_orders())), Some((0, 0)));
}

#[test]
fn cancel_reports_the_remaining_qty_and_the_cancel_request_id() {
    let mut lab = Lab::new();
    lab.ok(limit(1, BUY, 1000, 10, 1));
    assert_eq!(lab.send(trade(1, SELL, 1000, 4)), [maker(1, BUY, 1000, 4, 1)]);
    assert_eq!(lab.send(cancel(5, 1)), [cancelled(1, BUY, 1000, 6, 1, Requested, 5)]);
    assert_eq!(lab.status(0, 1), Some(OrderStatus::Cancelled));
    assert_eq!(lab.reason(cancel(6, 1)), Reason::UnknownOrder);
    let a = lab.engine.account(0).expect("account");
    assert_eq!((a.open_notional(), a.open_orders(), a.holding(0).map(|h| h.open_buy)), (0, 0, Some(0)));
    assert_eq!(a.holding(0).map(|h| h.position), Some(4));
    assert_eq!(lab.reason(cancel(7, 5)), Reason::UnknownOrder, "a cancel's own id names no order");
}

#[test]
fn taking_shrinks_levels_but_never_touches_our_queue_ahead() {
    let mut lab = Lab::new();
    lab.level(0, BUY, 1000, 10).level(0, SELL, 1010, 10);
    lab.ok(limit(1, BUY, 1000, 5, 0));
    assert_eq!(lab.engine.order(0, 1).map(|o| o.queue_ahead), Some(10));
    assert_eq!(lab.send(ioc(2, SELL, 1000, 4, 0)), [ack(2, SELL, 1000, 4, 0), taker(2, SELL, 1000, 4, 0)]);
    assert_eq!(lab.engine.book_levels(0, 0, BUY), [(1000, 6)]);
    assert_eq!(lab.engine.order(0, 1).map(|o| o.queue_ahead), Some(10));
    // The next delta for the level overwrites the local copy and caps the queue.
    lab.level(0, BUY, 1000, 8);
    assert_eq!(lab.engine.book_levels(0, 0, BUY), [(1000, 8)]);
    assert_eq!(lab.engine.order(0, 1).map(|o| o.queue_ahead), Some(8));
    // A sweep that empties a level removes it.
    lab.ok(ioc(3, SELL, 1000, 8, 0));
    assert_eq!(lab.engine.book_levels(0, 0, BUY), []);
}
