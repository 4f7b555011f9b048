//! Report fields per kind (`docs/formats.md`): whatever a kind does not carry is zero,
//! and `seq` / `event_index` number the stream.

use super::*;

/// Fields every report of `kind` must leave at zero (or fixed), per the formats table.
fn check_fields(r: &ReportRecord) {
    let kind = ReportKind::from_u8(r.kind).unwrap_or_else(|| panic!("unknown kind in {r:?}"));
    assert_eq!(r.pad, [0; 6]);
    match kind {
        ReportKind::Ack => {
            assert_eq!((r.ref_id, r.stage, r.reason, r.liquidity), (0, 0, 0, 0), "{r:?}");
            assert!(r.price > 0 && r.qty > 0 && r.side != 0, "{r:?}");
        }
        ReportKind::Reject => {
            assert_eq!(r.liquidity, 0, "{r:?}");
            let reason = Reason::from_u8(r.reason).expect("a reject reason");
            assert_eq!(r.stage, reason.stage() as u8, "{r:?}");
        }
        ReportKind::Fill => {
            assert_eq!((r.ref_id, r.stage, r.reason), (0, 0, 0), "{r:?}");
            assert!(Liquidity::from_u8(r.liquidity).is_some() && r.qty > 0 && r.price > 0, "{r:?}");
            assert!(r.venue != ANY && r.side != 0, "{r:?}");
        }
        ReportKind::Cancelled => {
            assert_eq!((r.stage, r.liquidity), (0, 0), "{r:?}");
            let reason = CancelReason::from_u8(r.reason).expect("a cancel reason");
            assert_eq!(r.ref_id != 0, reason == CancelReason::Requested, "{r:?}");
            assert!(r.qty > 0 && r.side != 0, "{r:?}");
        }
        ReportKind::Replaced => {
            assert_eq!((r.stage, r.reason, r.liquidity), (0, 0, 0), "{r:?}");
            assert!(r.ref_id != 0 && r.venue != ANY && r.side != 0, "{r:?}");
        }
        ReportKind::Halt => {
            assert_eq!((r.ref_id, r.price, r.qty, r.side), (0, 0, 0, 0), "{r:?}");
            assert_eq!((r.stage, r.reason, r.liquidity, r.venue), (0, 0, 0, ANY), "{r:?}");
        }
    }
}

#[test]
fn a_session_with_every_report_kind_follows_the_field_table() {
    let mut lab = Lab::with(|m| {
        m.instruments[0].band_bps = 10_000;
        m.accounts[0].limits.max_loss = 50;
    });
    lab.level(0, BUY, 500, 100).level(0, SELL, 1000, 10).level(1, SELL, 1100, 100);
    lab.ok(limit(1, BUY, 600, 3, 2).acct(1));
    lab.send(trade(2, SELL, 600, 1));
    lab.send(limit(1, BUY, 600, 0, 2).acct(1));
    lab.send(replace(2, 1, 650, 3).acct(1));
    lab.send(cancel(3, 2).acct(1));
    lab.send(ioc(4, SELL, 400, 5, ANY).acct(2));
    lab.ok(limit(5, SELL, 1300, 1, 2));
    lab.send(limit(7, BUY, 1000, 15, ANY));
    lab.send(limit(8, BUY, 1000, 15, ANY));
    let kinds: std::collections::BTreeSet<u8> = lab.all.iter().map(|r| r.kind).collect();
    assert_eq!(kinds.len(), ReportKind::ALL.len(), "every kind appears: {kinds:?}");
    for (i, r) in lab.all.iter().enumerate() {
        assert_eq!(r.seq, i as u64 + 1);
        check_fields(r);
    }
    let indices: Vec<u64> = lab.all.iter().map(|r| r.event_index).collect();
    assert!(indices.windows(2).all(|w| w[0] <= w[1]), "reports follow input order");
    assert_eq!(lab.engine.last_seq(), lab.all.len() as u64);
}

#[test]
fn numbering_continues_across_calls_and_replay_uses_positions() {
    let events = [
        delta(0, 0, SELL, 1000, 5),
        limit(1, BUY, 1000, 2, 0),
        EventRecord { kind: 99, ..EventRecord::default() },
        limit(1, BUY, 1000, 2, 0),
    ];
    let mut e = Engine::new(&meta()).expect("meta");
    let mut out = Vec::new();
    e.replay(&events, &mut out);
    let got: Vec<(u64, u64, u8)> = out.iter().map(|r| (r.seq, r.event_index, r.kind)).collect();
    assert_eq!(
        got,
        [(1, 1, ReportKind::Ack as u8), (2, 1, ReportKind::Fill as u8), (3, 3, ReportKind::Reject as u8)]
    );
    e.handle(100, &limit(2, BUY, 1000, 2, 0), &mut out);
    assert_eq!(out.last().map(|r| (r.seq, r.event_index)), Some((5, 100)));
    // The same input always gives the same bytes, whatever sink is used.
    let mut again = Engine::new(&meta()).expect("meta");
    let mut digest = super::super::DigestSink::default();
    again.replay_into(&events, &mut digest);
    again.on_event(100, &limit(2, BUY, 1000, 2, 0), &mut digest, &mut super::super::NoProbe);
    assert_eq!(digest.count(), 5);
    assert_eq!(digest.finish_hex(), crate::digest::report_digest(&out));
}

#[test]
fn the_probe_hears_the_end_of_each_stage_that_ran() {
    #[derive(Default)]
    struct Tally(Vec<&'static str>);
    impl super::super::StageProbe for Tally {
        fn validated(&mut self) {
            self.0.push("V");
        }
        fn risk_checked(&mut self) {
            self.0.push("R");
        }
        fn executed(&mut self) {
            self.0.push("E");
        }
    }
    let mut e = Engine::new(&meta()).expect("meta");
    let mut out = Vec::new();
    let cases = [
        (delta(0, 0, SELL, 1000, 5), ""),
        (trade(0, SELL, 1000, 5), ""),
        (limit(1, BUY, 1000, 0, 0), "V"),
        (limit(2, BUY, 999, 1, 0), "VRE"),
        (limit(3, BUY, 5000, 1, 0), "VR"),
        (cancel(4, 2), "VRE"),
        (cancel(5, 2), "V"),
        (replace(6, 99, 10, 1), "V"),
        (EventRecord { kind: 0, ..limit(7, BUY, 999, 1, 0) }, ""),
    ];
    for (i, (ev, want)) in cases.iter().enumerate() {
        let mut t = Tally::default();
        e.on_event(i as u64, ev, &mut out, &mut t);
        assert_eq!(t.0.concat(), *want, "{ev:?}");
    }
}
