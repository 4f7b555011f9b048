//! The driver's side of publication: after the engine handled an event, read the top of
//! book of the event's instrument and publish it if it changed. The engine itself is not
//! touched, so its reports (and their digests) are the same with or without a board.

use hotpath_core::engine::Engine;
use hotpath_core::format::{EventRecord, ScenarioMeta};

use crate::board::BoardWriter;
use crate::top::TopOfBook;

/// Publishes the engine's top of book through a board writer, only when it changed.
pub struct BookPublisher<W: BoardWriter> {
    writer: W,
    venues: u8,
    /// The last top published per instrument, so that unchanged books are not republished.
    last: Vec<Option<TopOfBook>>,
    published: u64,
}

impl<W: BoardWriter> BookPublisher<W> {
    /// A publisher for the instruments and venues of `meta`, through `writer` (whose board
    /// must hold `meta`'s instruments).
    pub fn new(writer: W, meta: &ScenarioMeta) -> Self {
        BookPublisher {
            writer,
            // Validated metadata has at most 255 venues (`docs/formats.md`); saturate
            // rather than trust it, so a bad count reads fewer venues, not a wrapped one.
            venues: u8::try_from(meta.venues.len()).unwrap_or(u8::MAX),
            last: vec![None; meta.instruments.len()],
            published: 0,
        }
    }

    /// After `engine` handled event `index` (`ev`): publishes the top of book of `ev`'s
    /// instrument if it differs from the last published (a book delta, a trade print or one
    /// of our sweeps can change it). Returns the published top, if any. Events naming an
    /// unknown instrument publish nothing, as the engine ignores or rejects them.
    #[inline]
    pub fn after_event(&mut self, engine: &Engine, index: u64, ev: &EventRecord) -> Option<TopOfBook> {
        let instrument = usize::from(ev.instrument);
        let last = self.last.get_mut(instrument)?;
        let top = TopOfBook::of(engine, ev.instrument, self.venues, index, ev.ts);
        if last.is_some_and(|l| l.same_levels(&top)) {
            return None;
        }
        // The board holds the metadata's instruments, and `instrument` is one of them.
        self.writer.publish(instrument, top).ok()?;
        *last = Some(top);
        self.published += 1;
        Some(top)
    }

    /// Publications so far.
    pub fn published(&self) -> u64 {
        self.published
    }
}

#[cfg(all(test, not(crossbeam_loom)))]
mod tests {
    use super::*;
    use crate::board::{Board, BoardReader};
    use crate::epoch::EpochBoard;
    use crate::sync::Arc;
    use crate::top::tests::{delta, meta};

    #[test]
    fn publishes_each_change_of_the_top_once_and_the_engine_is_untouched() {
        let meta = meta(2, 2);
        let board = Arc::new(EpochBoard::new(2));
        let mut publisher = BookPublisher::new(EpochBoard::writer(&board), &meta);
        let mut reader = EpochBoard::reader(&board);
        let (mut engine, mut plain) =
            (Engine::new(&meta).expect("valid"), Engine::new(&meta).expect("valid"));
        let events = [
            delta(0, 0, 1, 100, 5), // new bid: publish
            delta(0, 1, 1, 99, 5),  // below the best: top unchanged
            delta(0, 1, 2, 105, 3), // new ask: publish
            delta(0, 0, 1, 100, 6), // more at the best bid: publish
            delta(9, 0, 1, 100, 6), // unknown instrument: nothing
        ];
        let (mut out, mut plain_out) = (Vec::new(), Vec::new());
        let mut seqs = Vec::new();
        for (i, ev) in events.iter().enumerate() {
            engine.handle(i as u64, ev, &mut out);
            plain.handle(i as u64, ev, &mut plain_out);
            if let Some(t) = publisher.after_event(&engine, i as u64, ev) {
                seqs.push(t.seq);
            }
        }
        assert_eq!(seqs, [0, 2, 3]);
        assert_eq!(publisher.published(), 3);
        let top = reader.top(0).expect("published");
        assert_eq!((top.bid(), top.ask(), top.seq), (Some((100, 6)), Some((105, 3)), 3));
        assert_eq!(reader.top(1), None);
        assert_eq!(out, plain_out, "publication does not change what the engine reports");
    }
}
