//! Per-account index of every request id seen in the session, pointing at the order the
//! request created (if any).
//!
//! Real order flow numbers ids sequentially (per account or per session), so the index is
//! a direct-indexed table over a window of ids: a duplicate check or an `orig_id` lookup
//! is one bounds check and one load, usually from a cache line that recent requests
//! touched. Ids that would make the table too sparse (hostile or random ids) go to an
//! `FxHashMap` instead. The table only grows by doubling, keeping at most
//! [`DENSITY`] slots per id it holds, so its cost per request is amortised and bounded.

use rustc_hash::FxHashMap;

/// Slot value of an id whose request created no order (a reject, a CANCEL).
pub const NO_ORDER: u32 = u32::MAX - 1;
const ABSENT: u32 = u32::MAX;
/// Smallest table, and the granularity of its base id.
const MIN_DENSE: u64 = 1024;
/// Largest table (4 GiB of slots would be absurd; a session this long is sparse anyway).
const MAX_DENSE: u64 = 1 << 28;
/// The table may hold at most this many slots per id it indexes.
const DENSITY: u64 = 8;

/// Id → order slot (an index into the order store, or [`NO_ORDER`]).
#[derive(Clone, Debug, Default)]
pub struct IdIndex {
    /// Ids `base .. base + dense.len()`, [`ABSENT`] where unused.
    dense: Vec<u32>,
    base: u64,
    /// Ids outside the dense window.
    sparse: FxHashMap<u64, u32>,
    len: u64,
}

impl IdIndex {
    /// The slot of `id`, if the id has been used.
    #[inline]
    pub fn get(&self, id: u64) -> Option<u32> {
        let off = id.wrapping_sub(self.base);
        if off < self.dense.len() as u64 {
            let v = self.dense[off as usize];
            return (v != ABSENT).then_some(v);
        }
        if self.sparse.is_empty() {
            return None;
        }
        self.sparse.get(&id).copied()
    }

    /// Whether `id` has been used.
    #[inline]
    pub fn contains(&self, id: u64) -> bool {
        self.get(id).is_some()
    }

    /// Number of ids held.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Records `id` with `slot` unless it is already present (an earlier order keeps its
    /// slot). Returns whether it was inserted.
    #[inline]
    pub fn insert_if_absent(&mut self, id: u64, slot: u32) -> bool {
        debug_assert_ne!(slot, ABSENT);
        let off = id.wrapping_sub(self.base);
        if off < self.dense.len() as u64 || self.try_grow(id) {
            let off = id.wrapping_sub(self.base) as usize;
            if self.dense[off] != ABSENT {
                return false;
            }
            self.dense[off] = slot;
        } else {
            match self.sparse.entry(id) {
                std::collections::hash_map::Entry::Occupied(_) => return false,
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(slot);
                }
            }
        }
        self.len += 1;
        true
    }

    /// Grows the dense window to cover `id` if that keeps it dense enough.
    #[cold]
    fn try_grow(&mut self, id: u64) -> bool {
        let base = if self.dense.is_empty() { id & !(MIN_DENSE - 1) } else { self.base };
        let new_len =
            id.checked_sub(base).and_then(|off| off.checked_add(1)).and_then(u64::checked_next_power_of_two);
        let Some(new_len) = new_len.map(|n| n.max(MIN_DENSE)) else {
            return false;
        };
        if new_len > MAX_DENSE || new_len > MIN_DENSE.max(DENSITY.saturating_mul(self.len + 1)) {
            return false;
        }
        self.base = base;
        self.dense.resize(new_len as usize, ABSENT);
        let dense = &mut self.dense;
        self.sparse.retain(|&k, &mut v| {
            let off = k.wrapping_sub(base);
            if off < new_len {
                dense[off as usize] = v;
                false
            } else {
                true
            }
        });
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    #[test]
    fn sequential_ids_stay_dense_and_keep_first_slot() {
        let mut ix = IdIndex::default();
        for id in 1..5000u64 {
            assert!(ix.insert_if_absent(id, id as u32));
        }
        assert!(ix.sparse.is_empty(), "sequential ids never spill");
        assert!(!ix.insert_if_absent(7, 99), "present ids keep their slot");
        assert_eq!(ix.get(7), Some(7));
        assert_eq!(ix.get(0), None);
        assert_eq!(ix.get(5000), None);
        assert_eq!(ix.len(), 4999);
    }

    #[test]
    fn sparse_ids_spill_to_the_map_and_migrate_when_the_window_grows() {
        let mut ix = IdIndex::default();
        assert!(ix.insert_if_absent(u64::MAX, NO_ORDER));
        assert!(ix.insert_if_absent(1 << 40, 3));
        assert!(ix.insert_if_absent(5000, 4)); // too far for an empty table
        assert_eq!(ix.get(u64::MAX), Some(NO_ORDER));
        assert_eq!(ix.get(5000), Some(4));
        // Filling ids from 4096 up grows a dense window that takes 5000 over.
        for id in 4096..4600u64 {
            ix.insert_if_absent(id, 1);
        }
        assert!(!ix.dense.is_empty());
        assert_eq!(ix.get(5000), Some(4));
        assert!(!ix.insert_if_absent(5000, 9));
        assert_eq!(ix.get(1 << 40), Some(3));
    }

    #[test]
    fn ids_whose_window_would_not_fit_a_u64_go_to_the_map() {
        let mut ix = IdIndex::default();
        for id in [0, 1 << 63, (1 << 63) + 1, u64::MAX, u64::MAX - 1, 1] {
            assert!(ix.insert_if_absent(id, 1), "{id}");
            assert_eq!(ix.get(id), Some(1));
        }
        assert_eq!(ix.len(), 6);
    }

    proptest! {
        #[test]
        fn behaves_like_a_hash_map(ops in proptest::collection::vec((0u64..3, any::<u64>(), 0u32..1000), 1..400)) {
            let mut ix = IdIndex::default();
            let mut model: HashMap<u64, u32> = HashMap::new();
            for (mode, raw, slot) in ops {
                // Mix dense-looking, clustered-far and arbitrary ids.
                let id = match mode { 0 => raw % 3000, 1 => (1 << 33) + raw % 500, _ => raw };
                let inserted = ix.insert_if_absent(id, slot);
                prop_assert_eq!(inserted, !model.contains_key(&id));
                model.entry(id).or_insert(slot);
                prop_assert_eq!(ix.get(id), model.get(&id).copied());
                prop_assert_eq!(ix.get(id ^ 1), model.get(&(id ^ 1)).copied());
            }
            prop_assert_eq!(ix.len(), model.len() as u64);
            for (id, slot) in &model {
                prop_assert_eq!(ix.get(*id), Some(*slot));
            }
        }
    }
}
