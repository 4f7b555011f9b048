//! Market data: the queue model, passive fills and their priority, book deltas, and
//! events that must be ignored.

use super::*;

#[test]
fn prints_at_our_price_consume_queue_ahead_before_filling_us() {
    let mut lab = Lab::new();
    lab.level(0, BUY, 1000, 30).level(0, SELL, 1010, 100);
    lab.ok(limit(1, BUY, 1000, 10, 0));
    let queue = |lab: &Lab| lab.engine.order(0, 1).map(|o| (o.queue_ahead, o.remaining));
    assert_eq!(queue(&lab), Some((30, 10)));
    lab.quiet(trade(0, SELL, 1000, 20));
    assert_eq!(queue(&lab), Some((10, 10)));
    lab.level(0, BUY, 1000, 5);
    assert_eq!(queue(&lab), Some((5, 10)), "a delta caps the queue at the visible qty");
    assert_eq!(lab.send(trade(0, SELL, 1000, 8)), [maker(1, BUY, 1000, 3, 0)]);
    assert_eq!(queue(&lab), Some((0, 7)));
    lab.level(0, BUY, 1000, 50);
    assert_eq!(queue(&lab), Some((0, 7)), "a larger level never pushes us back");
    lab.quiet(trade(0, BUY, 1000, 100)); // a buyer lifts offers: our bid is not hit
    lab.quiet(trade(1, SELL, 990, 100)); // another venue
    lab.quiet(trade(0, SELL, 1001, 5)); // printed above our bid
                                        // Printed through our price: we are filled at our own price, no queue involved.
    assert_eq!(lab.send(trade(0, SELL, 990, 100)), [maker(1, BUY, 1000, 7, 0)]);
    assert_eq!(lab.status(0, 1), Some(OrderStatus::Filled));
    assert_eq!(lab.engine.live_orders(), 0);
    let a = lab.engine.account(0).expect("account");
    assert_eq!(
        (a.holding(0).map(|h| (h.position, h.open_buy)), a.cash().to_i128()),
        (Some((10, 0)), Some(-10_000))
    );
    assert_eq!(lab.engine.last_trade(0), Some(990));
    assert_eq!(lab.engine.book_levels(0, 0, BUY), [(1000, 50)], "trades do not change the book copies");
}

#[test]
fn prints_fill_in_price_then_order_id_then_account_priority() {
    let mut lab = Lab::new();
    lab.ok(limit(5, BUY, 1000, 2, 0).acct(2));
    lab.ok(limit(6, BUY, 1000, 2, 0)); // account 0, but a higher id
    lab.ok(limit(5, BUY, 1000, 2, 0).acct(1));
    lab.ok(limit(9, BUY, 1001, 2, 0));
    lab.ok(limit(1, BUY, 999, 2, 0));
    assert_eq!(
        lab.send(trade(0, SELL, 1000, 7)),
        [
            maker(9, BUY, 1001, 2, 0),
            maker(5, BUY, 1000, 2, 0).acct(1),
            maker(5, BUY, 1000, 2, 0).acct(2),
            maker(6, BUY, 1000, 1, 0),
        ]
    );
    assert_eq!(lab.engine.live_orders(), 2);
    assert_eq!(lab.engine.order(0, 6).map(|o| (o.status, o.remaining)), Some((OrderStatus::Live, 1)));
    assert_eq!(lab.send(trade(0, SELL, 999, 10)), [maker(6, BUY, 1000, 1, 0), maker(1, BUY, 999, 2, 0)]);
    assert_eq!(lab.engine.live_orders(), 0);
    // Sells: lowest price first, filled by buy-aggressor prints at or above them.
    lab.ok(limit(20, SELL, 1003, 2, 1));
    lab.ok(limit(21, SELL, 1002, 2, 1));
    lab.ok(limit(22, SELL, 1004, 2, 1));
    assert_eq!(lab.send(trade(1, BUY, 1003, 3)), [maker(21, SELL, 1002, 2, 1), maker(20, SELL, 1003, 1, 1)]);
    let pos = |a: u16| lab.engine.account(a).and_then(|a| a.holding(0)).map(|h| h.position);
    assert_eq!((pos(0), pos(1), pos(2)), (Some(4 + 2 - 3), Some(2), Some(2)));
}

#[test]
fn a_delta_caps_queue_ahead_even_when_it_removes_an_absent_level() {
    let mut lab = Lab::new();
    lab.level(0, BUY, 1000, 10).level(0, SELL, 1010, 10);
    lab.ok(limit(1, BUY, 1000, 5, 0));
    lab.ok(ioc(2, SELL, 1000, 10, 0)); // our own sweep removes the public 1000 bid
    assert_eq!(lab.engine.book_levels(0, 0, BUY), []);
    assert_eq!(lab.engine.order(0, 1).map(|o| o.queue_ahead), Some(10));
    lab.level(0, BUY, 1000, 0);
    assert_eq!(lab.engine.book_levels(0, 0, BUY), []);
    assert_eq!(lab.engine.order(0, 1).map(|o| o.queue_ahead), Some(0));
    // Deltas on other prices, sides or venues leave it alone.
    let mut lab = Lab::new();
    lab.level(1, BUY, 1000, 10);
    lab.ok(limit(1, BUY, 1000, 5, 1));
    for ev in [
        delta(0, 1, BUY, 999, 0),
        delta(0, 1, SELL, 1000, 0),
        delta(0, 0, BUY, 1000, 0),
        delta(1, 1, BUY, 1000, 0),
    ] {
        lab.quiet(ev);
    }
    assert_eq!(lab.engine.order(0, 1).map(|o| o.queue_ahead), Some(10));
}

#[test]
fn invalid_market_data_and_unknown_kinds_are_ignored_entirely() {
    let mut lab = Lab::new();
    lab.level(0, BUY, 990, 10).level(0, SELL, 1010, 10);
    lab.ok(limit(1, BUY, 1000, 5, 0));
    let snapshot = |lab: &Lab| {
        (
            lab.engine.book_levels(0, 0, BUY),
            lab.engine.book_levels(0, 0, SELL),
            lab.engine.last_trade(0),
            lab.engine.order(0, 1).copied(),
            lab.engine.last_seq(),
        )
    };
    let before = snapshot(&lab);
    let bad: Vec<EventRecord> = vec![
        delta(0, 3, BUY, 1000, 5),
        delta(0, ANY, BUY, 1000, 5),
        delta(2, 0, BUY, 1000, 5),
        EventRecord { side: 0, ..delta(0, 0, BUY, 1000, 5) },
        EventRecord { side: 3, ..delta(0, 0, BUY, 1000, 5) },
        delta(0, 0, BUY, 0, 5),
        delta(0, 0, BUY, -1000, 5),
        delta(0, 0, BUY, i64::MIN, 5),
        delta(0, 0, BUY, 990, -1),
        delta(0, 0, BUY, 990, i64::MIN),
        trade(3, SELL, 1000, 5),
        trade(ANY, SELL, 1000, 5),
        trade(0, SELL, 1000, 5).instr(2),
        EventRecord { side: 0, ..trade(0, SELL, 1000, 5) },
        EventRecord { side: 255, ..trade(0, SELL, 1000, 5) },
        trade(0, SELL, 0, 5),
        trade(0, SELL, -1000, 5),
        trade(0, SELL, 1000, 0),
        trade(0, SELL, 1000, -5),
    ];
    for ev in bad {
        lab.quiet(ev);
        assert_eq!(snapshot(&lab), before, "{ev:?} changed state");
    }
    // Unknown kinds, even carrying a well-formed request or market data, do nothing.
    for kind in [0u8, 6, 7, 31, 32, 63, 64, 200, 255] {
        lab.quiet(EventRecord { kind, ..limit(77, SELL, 990, 5, 0) });
        lab.quiet(EventRecord { kind, ..trade(0, SELL, 1000, 5) });
        lab.quiet(EventRecord { kind, ..cancel(78, 1) });
        assert_eq!(snapshot(&lab), before, "kind {kind} changed state");
    }
    assert!(!lab.engine.account(0).is_some_and(|a| a.has_used(77) || a.has_used(78)));
    assert_eq!(lab.engine.live_orders(), 1);
}

#[test]
fn a_print_that_queue_ahead_absorbs_fills_nobody_behind_it() {
    let mut lab = Lab::new();
    lab.level(2, SELL, 1005, 4);
    lab.ok(limit(1, SELL, 1005, 3, 2)); // queue 4
    lab.ok(limit(2, SELL, 1005, 3, 2).acct(1)); // queue 4
    lab.ok(limit(3, SELL, 1006, 3, 2)); // worse price
    lab.quiet(trade(2, BUY, 1005, 4)); // order 1's queue absorbs everything
    assert_eq!(lab.engine.order(0, 1).map(|o| o.queue_ahead), Some(0));
    assert_eq!(lab.engine.order(1, 2).map(|o| o.queue_ahead), Some(4), "only orders visited pay");
    assert_eq!(
        lab.send(trade(2, BUY, 1006, 10)),
        [maker(1, SELL, 1005, 3, 2), maker(2, SELL, 1005, 3, 2).acct(1), maker(3, SELL, 1006, 3, 2)]
    );
    assert_eq!(
        lab.engine.order(1, 2).map(|o| o.queue_ahead),
        Some(4),
        "better than the print: queue untouched"
    );
}
