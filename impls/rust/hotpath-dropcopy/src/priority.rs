//! The publisher thread yields to the order path: on Linux it runs under `SCHED_IDLE`,
//! so the scheduler gives it a core only when nothing else wants one, and never lets its
//! wake-ups preempt the engine's thread. On a machine where the engine and the publisher
//! share two cores (the lab's), a normal-priority publisher woken on the engine's core
//! delays the orders that arrive meanwhile; an idle one waits instead, which costs the
//! drop-copy latency, not the hot path (its ring absorbs the wait).
#![allow(unsafe_code)] // one FFI call, below

/// Puts the calling thread under `SCHED_IDLE`; `false` where the system refuses (or is not
/// Linux), and the thread keeps its priority.
pub fn yield_to_the_order_path() -> bool {
    #[cfg(target_os = "linux")]
    {
        let param = libc::sched_param { sched_priority: 0 };
        // SAFETY: pid 0 names the calling thread only; `param` is an initialised
        // `sched_param` that outlives the call, which only reads it.
        let rc = unsafe { libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) };
        rc == 0
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn the_calling_thread_becomes_idle_and_no_other_does() {
        let idle = std::thread::spawn(|| {
            let changed = yield_to_the_order_path();
            // SAFETY: a query of the calling thread's own policy, no pointers.
            (changed, unsafe { libc::sched_getscheduler(0) })
        })
        .join()
        .expect("thread");
        assert_eq!(idle, (true, libc::SCHED_IDLE));
        // SAFETY: as above.
        assert_eq!(unsafe { libc::sched_getscheduler(0) }, libc::SCHED_OTHER);
    }
}
