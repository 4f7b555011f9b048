//! `--engine thread`: the engine on its own OS thread, fed and drained through two bounded
//! lock-free SPSC rings (`rtrb`). The I/O task only moves frames; the engine thread only
//! runs the pipeline. When the inbound ring is full the I/O task stops reading (the
//! socket, then the client, hold the rest); when the outbound ring is full the engine
//! waits for the I/O task. Nothing grows without bound and nothing is dropped.

use std::sync::Arc;
use std::thread;
use std::time::Duration;

use bytes::Bytes;
use rtrb::RingBuffer;
use tokio::sync::Notify;

use crate::error::GatewayError;
use crate::lines::Stopped;
use crate::router::Router;
use crate::runtime::StopSignals;
use crate::session::Session;

/// How long the engine thread spins on an empty ring before it parks: long enough to
/// catch the next frame of a stream without a wake-up, short enough not to hold a core of
/// this 2-core lab machine when the stream pauses.
const SPIN_BEFORE_PARK: Duration = Duration::from_micros(50);

/// A frame for the engine, or the I/O task's "no more frames".
enum Inbound {
    Frame(Bytes, Bytes),
    End,
}

/// Serves until SIGINT/SIGTERM, then lets the engine finish what it was given and sends
/// every reply before returning.
///
/// # Errors
/// [`GatewayError::Socket`] if the socket fails, [`GatewayError::Runtime`] if the engine
/// thread cannot be started or panics.
pub async fn serve(
    router: &mut Router,
    session: Session,
    capacity: usize,
    stop: &mut StopSignals,
) -> Result<Stopped, GatewayError> {
    let (mut to_engine, mut engine_in) = RingBuffer::<Inbound>::new(capacity);
    let (mut engine_out, mut from_engine) = RingBuffer::<(Bytes, Vec<u8>)>::new(capacity);
    let replies_ready = Arc::new(Notify::new());
    let room_made = Arc::new(Notify::new());
    let (ready, room) = (replies_ready.clone(), room_made.clone());
    let engine = thread::Builder::new()
        .name("hotpath-engine".into())
        .spawn(move || {
            let mut session = session;
            loop {
                let item = wait_pop(&mut engine_in);
                room.notify_one();
                let Inbound::Frame(peer, frame) = item else { break };
                let mut reply = Vec::with_capacity(64 + frame.len());
                session.handle(&frame, &mut reply);
                let mut pending = (peer, reply);
                loop {
                    match engine_out.push(pending) {
                        Ok(()) => break,
                        Err(rtrb::PushError::Full(back)) => {
                            pending = back;
                            ready.notify_one();
                            thread::park_timeout(Duration::from_micros(100));
                        }
                    }
                }
                ready.notify_one();
            }
            session
        })
        .map_err(|e| GatewayError::Runtime(format!("engine thread: {e}")))?;
    let engine_thread = engine.thread().clone();

    let mut undeliverable = 0u64;
    let mut max_queue = 0usize;
    let signal = loop {
        drain(router, &mut from_engine, &engine_thread, &mut undeliverable).await;
        if to_engine.is_full() {
            tokio::select! {
                biased;
                signal = stop.next() => break signal,
                _ = replies_ready.notified() => {}
                _ = room_made.notified() => {}
            }
            continue;
        }
        let incoming = tokio::select! {
            biased;
            signal = stop.next() => break signal,
            _ = replies_ready.notified() => continue,
            incoming = router.recv() => incoming?,
        };
        if to_engine.push(Inbound::Frame(incoming.peer, incoming.frame)).is_err() {
            unreachable!("the ring was checked not full and only this task pushes");
        }
        max_queue = max_queue.max(capacity - to_engine.slots());
        engine_thread.unpark();
    };

    // Stop: no more reads; the engine drains what it has, every reply is sent.
    loop {
        if to_engine.push(Inbound::End).is_ok() {
            engine_thread.unpark();
            break;
        }
        drain(router, &mut from_engine, &engine_thread, &mut undeliverable).await;
        tokio::task::yield_now().await;
    }
    while !engine.is_finished() {
        drain(router, &mut from_engine, &engine_thread, &mut undeliverable).await;
        tokio::task::yield_now().await;
    }
    drain(router, &mut from_engine, &engine_thread, &mut undeliverable).await;
    let mut session =
        engine.join().map_err(|_| GatewayError::Runtime("the engine thread panicked".into()))?;
    let drop_copy = session.finish_drop_copy();
    Ok(Stopped {
        signal,
        sessions: session.sessions,
        totals: session.totals,
        max_queue,
        undeliverable,
        drop_copy,
    })
}

async fn drain(
    router: &mut Router,
    from_engine: &mut rtrb::Consumer<(Bytes, Vec<u8>)>,
    engine: &thread::Thread,
    undeliverable: &mut u64,
) {
    while let Ok((peer, reply)) = from_engine.pop() {
        engine.unpark();
        if !router.send(peer, reply).await {
            *undeliverable += 1;
        }
    }
}

/// The next item, spinning briefly and then parking until the I/O task unparks us.
fn wait_pop(ring: &mut rtrb::Consumer<Inbound>) -> Inbound {
    let mut spun_since = None;
    loop {
        if let Ok(item) = ring.pop() {
            return item;
        }
        let since = *spun_since.get_or_insert_with(std::time::Instant::now);
        if since.elapsed() < SPIN_BEFORE_PARK {
            std::hint::spin_loop();
        } else {
            thread::park_timeout(Duration::from_millis(1));
        }
    }
}
