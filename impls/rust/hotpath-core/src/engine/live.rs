//! Our live (resting) orders per venue × instrument × side, in fill priority: price
//! (BUY highest first, SELL lowest first), then order id, then account id.
//!
//! A trade walks one list from the front; a book delta finds the orders at one price by
//! binary search. Lists are short (a market maker keeps a few orders per side), so a
//! sorted `Vec` beats any tree, and it stops allocating once it has held its most orders.

use super::book::SideIx;
use super::orders::OrderStore;
use crate::format::Side;

/// Sort key of a resting order's price: ascending keys are price priority on both sides.
/// Order prices are > 0, so the negation cannot overflow.
#[inline]
pub fn priority_key(side: Side, price: i64) -> i64 {
    match side {
        Side::Buy => -price,
        Side::Sell => price,
    }
}

/// One live order in a priority list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LiveEntry {
    /// [`priority_key`] of the order's price.
    pub key: i64,
    /// Order id.
    pub id: u64,
    /// Account id.
    pub account: u16,
    /// Slot in the [`OrderStore`].
    pub slot: u32,
}

impl LiveEntry {
    #[inline]
    fn rank(&self) -> (i64, u64, u16) {
        (self.key, self.id, self.account)
    }
}

/// Every live order, grouped by [`SideIx`].
#[derive(Clone, Debug)]
pub struct LiveOrders {
    lists: Vec<Vec<LiveEntry>>,
    count: usize,
}

impl LiveOrders {
    /// No live orders, for `n_instruments` × `n_venues`.
    pub fn new(n_instruments: usize, n_venues: usize) -> LiveOrders {
        LiveOrders {
            lists: (0..SideIx::count(n_instruments, n_venues)).map(|_| Vec::new()).collect(),
            count: 0,
        }
    }

    /// Adds a live order in priority position.
    pub fn insert(&mut self, ix: SideIx, entry: LiveEntry) {
        let list = &mut self.lists[ix.ix];
        let rank = entry.rank();
        let at = list.partition_point(|e| e.rank() < rank);
        list.insert(at, entry);
        self.count += 1;
    }

    /// Removes a live order; returns whether it was there.
    pub fn remove(&mut self, ix: SideIx, entry: LiveEntry) -> bool {
        let list = &mut self.lists[ix.ix];
        let rank = entry.rank();
        match list.binary_search_by(|e| e.rank().cmp(&rank)) {
            Ok(at) => {
                list.remove(at);
                self.count -= 1;
                true
            }
            Err(_) => false,
        }
    }

    /// The live orders of one side of one book, in priority order.
    #[inline]
    pub fn list(&self, ix: SideIx) -> &[LiveEntry] {
        &self.lists[ix.ix]
    }

    /// Removes the first `n` orders of a list (those a trade filled completely).
    #[inline]
    pub fn drop_front(&mut self, ix: SideIx, n: usize) {
        let list = &mut self.lists[ix.ix];
        let n = n.min(list.len());
        list.drain(..n);
        self.count -= n;
    }

    /// After a delta left `qty` visible at `price` on `side`: no more than that can be
    /// ahead of our orders resting there.
    #[inline]
    pub fn cap_queue(&self, ix: SideIx, side: Side, price: i64, qty: i64, orders: &mut OrderStore) {
        let list = &self.lists[ix.ix];
        let key = priority_key(side, price);
        // Most deltas are at prices where we have no order; the list's ends rule many out.
        match (list.first(), list.last()) {
            (Some(first), Some(last)) if first.key <= key && key <= last.key => {}
            _ => return,
        }
        let from = list.partition_point(|e| e.key < key);
        for e in list[from..].iter().take_while(|e| e.key == key) {
            if let Some(o) = orders.get_mut(e.slot) {
                if o.queue_ahead > qty {
                    o.queue_ahead = qty;
                }
            }
        }
    }

    /// Appends `(id, slot)` of every live order of `account` to `out` (unordered).
    pub fn collect_account(&self, account: u16, out: &mut Vec<(u64, u32)>) {
        for list in &self.lists {
            out.extend(list.iter().filter(|e| e.account == account).map(|e| (e.id, e.slot)));
        }
    }

    /// Number of live orders.
    pub fn len(&self) -> usize {
        self.count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(side: Side, price: i64, id: u64, account: u16) -> LiveEntry {
        LiveEntry { key: priority_key(side, price), id, account, slot: id as u32 }
    }

    #[test]
    fn lists_keep_price_then_id_then_account_priority() {
        let mut live = LiveOrders::new(1, 2);
        let bids = SideIx::new(0, 1, Side::Buy, 2);
        let asks = SideIx::new(0, 1, Side::Sell, 2);
        for (p, id, a) in [(100, 5, 0), (101, 9, 0), (100, 2, 1), (100, 2, 0), (99, 1, 0)] {
            live.insert(bids, entry(Side::Buy, p, id, a));
            live.insert(asks, entry(Side::Sell, p, id, a));
        }
        let order = |live: &LiveOrders, ix| {
            live.list(ix).iter().map(|e| (e.key.abs(), e.id, e.account)).collect::<Vec<_>>()
        };
        assert_eq!(order(&live, bids), [(101, 9, 0), (100, 2, 0), (100, 2, 1), (100, 5, 0), (99, 1, 0)]);
        assert_eq!(order(&live, asks), [(99, 1, 0), (100, 2, 0), (100, 2, 1), (100, 5, 0), (101, 9, 0)]);
        assert_eq!(live.len(), 10);
        assert!(live.remove(bids, entry(Side::Buy, 100, 2, 1)));
        assert!(!live.remove(bids, entry(Side::Buy, 100, 2, 1)), "already gone");
        live.drop_front(asks, 2);
        assert_eq!(order(&live, asks), [(100, 2, 1), (100, 5, 0), (101, 9, 0)]);
        assert_eq!(live.len(), 7);
        let mut out = Vec::new();
        live.collect_account(1, &mut out);
        assert_eq!(out, [(2, 2)]);
    }
}
