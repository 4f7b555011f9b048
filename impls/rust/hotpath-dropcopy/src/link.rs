//! The publisher's connection to Redis over time: connect, resume on every connection,
//! back off after a failure (10 ms doubling to 500 ms), and account the outage.

use std::time::{Duration, Instant};

use crate::client::{Connection, IO_TIMEOUT};
use crate::error::DropCopyError;
use crate::outbox::Outbox;
use crate::url::RedisUrl;

/// First wait after a failure.
pub(crate) const BACKOFF_MIN: Duration = Duration::from_millis(10);
/// Longest wait between attempts.
pub(crate) const BACKOFF_MAX: Duration = Duration::from_millis(500);

/// A connection that may be down, and the history of its outages.
pub(crate) struct Link {
    target: RedisUrl,
    conn: Option<Connection>,
    backoff: Duration,
    retry_at: Instant,
    down_since: Option<Instant>,
    outage: Duration,
    pub reconnects: u64,
    /// The last connection failure, for the pass's error if reports remain unpublished.
    pub last_error: Option<String>,
}

impl Link {
    /// Opens the first connection and resumes `outbox` from the servers' tops.
    ///
    /// # Errors
    /// Whatever [`Connection::open`] or [`Connection::stream_tops`] fails with.
    pub fn open(target: RedisUrl, outbox: &mut Outbox) -> Result<Link, DropCopyError> {
        let conn = connect(&target, outbox)?;
        Ok(Link {
            target,
            conn: Some(conn),
            backoff: BACKOFF_MIN,
            retry_at: Instant::now(),
            down_since: None,
            outage: Duration::ZERO,
            reconnects: 0,
            last_error: None,
        })
    }

    /// The server's URL.
    pub fn url(&self) -> &str {
        &self.target.url
    }

    /// When the next attempt (to connect, or to retry a refused write) may be made.
    pub fn retry_at(&self) -> Instant {
        self.retry_at
    }

    /// A connection ready to write on, reconnecting (and resuming) if it is due; `None`
    /// while down or backing off.
    pub fn ready(&mut self, outbox: &mut Outbox) -> Option<&mut Connection> {
        if Instant::now() < self.retry_at {
            return None;
        }
        if self.conn.is_none() {
            match connect(&self.target, outbox) {
                Ok(conn) => {
                    self.conn = Some(conn);
                    self.backoff = BACKOFF_MIN;
                    if let Some(since) = self.down_since.take() {
                        self.outage += since.elapsed();
                        self.reconnects += 1;
                    }
                }
                Err(e) => {
                    self.broke(&e);
                    return None;
                }
            }
        }
        self.conn.as_mut()
    }

    /// The connection failed: drop it, start (or continue) the outage, back off.
    pub fn broke(&mut self, e: &DropCopyError) {
        self.conn = None;
        self.last_error = Some(e.to_string());
        self.down_since.get_or_insert_with(Instant::now);
        self.back_off();
    }

    /// Waits before the next attempt, without dropping the connection (a refused write).
    pub fn back_off(&mut self) {
        self.retry_at = Instant::now() + self.backoff;
        self.backoff = (self.backoff * 2).min(BACKOFF_MAX);
    }

    /// Bounds every read and write by `deadline` (used while finishing).
    pub fn limit_io(&mut self, deadline: Instant) {
        let left = deadline.saturating_duration_since(Instant::now()).min(IO_TIMEOUT);
        if let Some(conn) = self.conn.as_mut() {
            if let Err(e) = conn.set_io_timeout(left) {
                self.broke(&e);
            }
        }
    }

    /// Seconds without a connection so far, the current outage included.
    pub fn outage_s(&self) -> f64 {
        (self.outage + self.down_since.map_or(Duration::ZERO, |t| t.elapsed())).as_secs_f64()
    }
}

fn connect(target: &RedisUrl, outbox: &mut Outbox) -> Result<Connection, DropCopyError> {
    let mut conn = Connection::open(target)?;
    let keys = outbox.keys();
    let [reports, positions] = conn.stream_tops([keys.reports.as_str(), keys.positions.as_str()])?;
    outbox.resume(reports, positions);
    Ok(conn)
}
