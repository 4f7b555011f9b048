//! Counts heap allocations made while the engine handles a warmed-up synthetic stream:
//! market data must not allocate at all in steady state; order requests allocate only
//! for amortised growth of the session's history (order store, id index, throttle
//! window), reported as allocations per order request.
//!
//! Run with `--nocapture` to see the figures.
#![allow(unsafe_code)] // a counting global allocator is an `unsafe impl`

#[path = "../benches/support/synthetic.rs"]
mod synthetic;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

use hotpath_core::engine::{CountingSink, Engine, NoProbe};
use hotpath_core::format::EventKind;

/// Counts allocations (and bytes) made by threads that opted in.
struct CountingAlloc;

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

fn note(size: usize) {
    // `try_with`: the thread-local may be gone while a thread is torn down.
    if COUNTING.try_with(Cell::get).unwrap_or(false) {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(size as u64, Ordering::Relaxed);
    }
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so
// `System`'s guarantees carry over; the bookkeeping touches only atomics and a
// const-initialised thread-local, neither of which allocates.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

fn counted<T>(f: impl FnOnce() -> T) -> (T, u64, u64) {
    let (a0, b0) = (ALLOCS.load(Ordering::Relaxed), BYTES.load(Ordering::Relaxed));
    COUNTING.with(|c| c.set(true));
    let out = f();
    COUNTING.with(|c| c.set(false));
    (out, ALLOCS.load(Ordering::Relaxed) - a0, BYTES.load(Ordering::Relaxed) - b0)
}

#[test]
fn steady_state_market_data_does_not_allocate_and_orders_allocate_only_amortised_growth() {
    let events = synthetic::stream(60_000, 10, 7);
    let warm = events.len() / 3;
    let mut engine = Engine::new(&synthetic::meta()).expect("synthetic metadata is valid");
    let mut sink = CountingSink::default();
    for (i, ev) in events[..warm].iter().enumerate() {
        engine.on_event(i as u64, ev, &mut sink, &mut NoProbe);
    }
    let (mut md_allocs, mut md_events, mut order_allocs, mut order_bytes, mut orders) = (0, 0, 0, 0, 0);
    for (i, ev) in events.iter().enumerate().skip(warm) {
        let ((), allocs, bytes) = counted(|| engine.on_event(i as u64, ev, &mut sink, &mut NoProbe));
        if matches!(EventKind::from_u8(ev.kind), Some(EventKind::BookDelta | EventKind::Trade)) {
            md_allocs += allocs;
            md_events += 1;
        } else {
            order_allocs += allocs;
            order_bytes += bytes;
            orders += 1;
        }
    }
    let per_order = order_allocs as f64 / orders as f64;
    println!(
        "steady state over {md_events} market-data events and {orders} order requests \
         ({} reports): market data {md_allocs} allocations; orders {order_allocs} allocations \
         ({per_order:.5} per order request, {:.1} bytes per order request amortised)",
        sink.count,
        order_bytes as f64 / orders as f64
    );
    assert!(orders > 30_000 && md_events > 300_000, "the measured window is large enough");
    assert_eq!(md_allocs, 0, "market data allocated in steady state");
    // Doubling growth of the order store, the dense id tables and the throttle windows:
    // a handful of reallocations over tens of thousands of requests.
    assert!(per_order < 0.01, "{per_order} allocations per order request");
}
