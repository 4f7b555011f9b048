//! A small blocking Redis client over `std::net::TcpStream`: connect (with `SELECT` and
//! `PING`), one command, a pipeline of commands, and the stream reads the publisher and
//! its readers need (`XREVRANGE … COUNT 1`, `XRANGE` in pages).

use std::io::{BufReader, Write as _};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use crate::error::DropCopyError;
use crate::layout::{parse_entry_id, StreamEntry};
use crate::resp::{encode, read_reply, Reply};
use crate::url::RedisUrl;

/// How long a connection attempt to one address may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_millis(500);
/// How long one read or write may block: long enough for a server writing its append-only
/// file, short enough that a dead server is noticed well within the finish deadline.
pub const IO_TIMEOUT: Duration = Duration::from_secs(2);
/// Entries per `XRANGE` page when a stream is read back.
const PAGE: usize = 1000;

/// One connection to a Redis server.
pub struct Connection {
    url: String,
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    out: Vec<u8>,
}

impl Connection {
    /// Connects to `url` (`redis://host:port[/db]`).
    ///
    /// # Errors
    /// [`DropCopyError::Url`] for a URL of another form; otherwise as [`Connection::open`].
    pub fn connect(url: &str) -> Result<Connection, DropCopyError> {
        Connection::open(&RedisUrl::parse(url)?)
    }

    /// Connects, sets `TCP_NODELAY` and the I/O timeouts, selects the URL's database and
    /// checks the server answers `PING`.
    ///
    /// # Errors
    /// [`DropCopyError::Connection`] naming the URL if no address accepts the connection or
    /// the connection breaks; [`DropCopyError::Server`] if `SELECT` or `PING` is refused.
    pub fn open(target: &RedisUrl) -> Result<Connection, DropCopyError> {
        let url = target.url.as_str();
        let addrs = (target.host.as_str(), target.port)
            .to_socket_addrs()
            .map_err(|e| DropCopyError::connection(url, format!("cannot resolve {}: {e}", target.host)))?;
        let mut last = None;
        let mut stream = None;
        for addr in addrs {
            match TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT) {
                Ok(s) => {
                    stream = Some(s);
                    break;
                }
                Err(e) => last = Some(format!("{addr}: {e}")),
            }
        }
        let stream = stream.ok_or_else(|| {
            DropCopyError::connection(url, last.unwrap_or_else(|| format!("{} has no address", target.host)))
        })?;
        let io = |e: std::io::Error| DropCopyError::connection(url, e);
        stream.set_nodelay(true).map_err(io)?;
        let writer = stream.try_clone().map_err(io)?;
        let mut conn = Connection {
            url: url.to_owned(),
            reader: BufReader::with_capacity(64 << 10, stream),
            writer,
            out: Vec::new(),
        };
        conn.set_io_timeout(IO_TIMEOUT)?;
        if let Some(db) = target.db {
            conn.expect_ok(&[b"SELECT", db.to_string().as_bytes()])?;
        }
        match conn.call(&[b"PING"])? {
            Reply::Simple(s) if s == "PONG" => Ok(conn),
            other => Err(DropCopyError::protocol(url, format!("PING answered {other:?}"))),
        }
    }

    /// The URL this connection was opened with.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Sets the read and write timeouts (at least 1 ms).
    ///
    /// # Errors
    /// [`DropCopyError::Connection`] if the socket refuses.
    pub fn set_io_timeout(&mut self, timeout: Duration) -> Result<(), DropCopyError> {
        let t = Some(timeout.max(Duration::from_millis(1)));
        let io = |e: std::io::Error| DropCopyError::connection(&self.url, e);
        self.writer.set_write_timeout(t).map_err(io)?;
        self.reader.get_ref().set_read_timeout(t).map_err(io)
    }

    /// Sends one command and reads its reply; an error reply is returned as
    /// [`Reply::Error`], not as an `Err`.
    ///
    /// # Errors
    /// [`DropCopyError::Connection`] or [`DropCopyError::Protocol`] if the exchange fails.
    pub fn call(&mut self, args: &[&[u8]]) -> Result<Reply, DropCopyError> {
        let mut cmd = std::mem::take(&mut self.out);
        cmd.clear();
        encode(&mut cmd, args);
        let result = self.pipeline(&cmd, 1);
        self.out = cmd;
        Ok(result?.pop().unwrap_or(Reply::Array(None)))
    }

    /// Writes `commands` (already encoded, `count` of them) in one go and reads their
    /// `count` replies in order.
    ///
    /// # Errors
    /// [`DropCopyError::Connection`] if writing or reading fails (a timeout, a closed
    /// connection); [`DropCopyError::Protocol`] for bytes that are not RESP2. Either way
    /// the connection is no longer usable.
    pub fn pipeline(&mut self, commands: &[u8], count: usize) -> Result<Vec<Reply>, DropCopyError> {
        self.writer.write_all(commands).map_err(|e| DropCopyError::connection(&self.url, e))?;
        (0..count)
            .map(|_| {
                read_reply(&mut self.reader).map_err(|e| match e.kind() {
                    std::io::ErrorKind::InvalidData => DropCopyError::protocol(&self.url, e),
                    _ => DropCopyError::connection(&self.url, e),
                })
            })
            .collect()
    }

    /// The seq of the newest entry of each stream in `keys` (0 for a stream that does not
    /// exist or is empty), read with `XREVRANGE key + - COUNT 1` in one pipeline.
    ///
    /// # Errors
    /// [`DropCopyError::Server`] if a key is not a stream; connection errors as
    /// [`Connection::pipeline`].
    pub fn stream_tops<const N: usize>(&mut self, keys: [&str; N]) -> Result<[u64; N], DropCopyError> {
        let mut cmd = Vec::new();
        for key in keys {
            encode(&mut cmd, &[b"XREVRANGE", key.as_bytes(), b"+", b"-", b"COUNT", b"1"]);
        }
        let replies = self.pipeline(&cmd, N)?;
        let mut tops = [0u64; N];
        for ((top, reply), key) in tops.iter_mut().zip(replies).zip(keys) {
            let entries = self.entries(reply, "XREVRANGE")?;
            *top = match entries.first() {
                None => 0,
                Some(e) => parse_entry_id(&e.id).ok_or_else(|| {
                    DropCopyError::protocol(&self.url, format!("{key}: entry id {:?} is not <seq>-0", e.id))
                })?,
            };
        }
        Ok(tops)
    }

    /// Every entry of stream `key`, oldest first, read in pages with `XRANGE`.
    ///
    /// # Errors
    /// [`DropCopyError::Server`] if `key` is not a stream; connection errors as
    /// [`Connection::pipeline`].
    pub fn read_stream(&mut self, key: &str) -> Result<Vec<StreamEntry>, DropCopyError> {
        let mut all = Vec::new();
        let mut start = "-".to_owned();
        loop {
            let page = PAGE.to_string();
            let reply =
                self.call(&[b"XRANGE", key.as_bytes(), start.as_bytes(), b"+", b"COUNT", page.as_bytes()])?;
            let entries = self.entries(reply, "XRANGE")?;
            let full = entries.len() == PAGE;
            if let Some(last) = entries.last() {
                start = format!("({}", last.id);
            }
            all.extend(entries);
            if !full {
                return Ok(all);
            }
        }
    }

    /// Sends a command whose only good answer is `+OK`.
    fn expect_ok(&mut self, args: &[&[u8]]) -> Result<(), DropCopyError> {
        match self.call(args)? {
            Reply::Simple(s) if s == "OK" => Ok(()),
            Reply::Error(message) => Err(self.refused(args, message)),
            other => Err(DropCopyError::protocol(&self.url, format!("{other:?} to {}", name_of(args)))),
        }
    }

    /// The entries of an `XRANGE`/`XREVRANGE` reply.
    fn entries(&self, reply: Reply, command: &str) -> Result<Vec<StreamEntry>, DropCopyError> {
        match reply {
            Reply::Error(message) => {
                Err(DropCopyError::Server { url: self.url.clone(), command: command.to_owned(), message })
            }
            reply => StreamEntry::list_from_reply(reply).ok_or_else(|| {
                DropCopyError::protocol(&self.url, format!("{command} reply is not a list of entries"))
            }),
        }
    }

    fn refused(&self, args: &[&[u8]], message: String) -> DropCopyError {
        DropCopyError::Server { url: self.url.clone(), command: name_of(args), message }
    }
}

fn name_of(args: &[&[u8]]) -> String {
    args.first().map(|a| String::from_utf8_lossy(a).into_owned()).unwrap_or_default()
}
