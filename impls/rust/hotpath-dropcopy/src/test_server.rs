//! A real redis-server for tests, started on a free loopback port with a data folder of
//! its own, stopped (and the folder removed) when dropped. The drop-copy is tested
//! against the real thing, never a mock; tests of the crates that use it do the same.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use crate::client::Connection;

/// A redis-server process owned by a test.
pub struct RedisServer {
    /// Its port on 127.0.0.1.
    pub port: u16,
    dir: PathBuf,
    appendonly: bool,
    child: Option<Child>,
}

impl RedisServer {
    /// Starts a server (with the append-only file if `appendonly`), or prints a skip line
    /// and returns `None` when redis-server is not installed.
    ///
    /// # Panics
    /// If the server does not start or does not answer `PING` within 10 s.
    pub fn start(appendonly: bool) -> Option<RedisServer> {
        if Command::new("redis-server").arg("--version").stdout(Stdio::null()).status().is_err() {
            eprintln!(
                "SKIPPED: redis-server is not on PATH; the drop-copy integration tests need a real server"
            );
            return None;
        }
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "hotpath-dropcopy-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port();
        let mut server = RedisServer { port, dir, appendonly, child: None };
        server.spawn();
        Some(server)
    }

    /// `redis://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    fn spawn(&mut self) {
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1", "--save", ""])
            .args(["--appendonly", if self.appendonly { "yes" } else { "no" }])
            .arg("--dir")
            .arg(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Connection::connect(&self.url()).is_err() {
            assert!(Instant::now() < deadline, "redis-server on port {} did not answer PING", self.port);
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops the server with `signal` and waits for it to exit.
    pub fn stop(&mut self, signal: &str) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill").args([signal, &child.id().to_string()]).status();
            let _ = child.wait();
        }
    }

    /// Stops it (SIGTERM: Redis writes its append-only file) and starts it again on the
    /// same port and folder.
    pub fn restart(&mut self) {
        self.stop("-TERM");
        self.spawn();
    }

    /// Starts it again after [`RedisServer::stop`].
    pub fn start_again(&mut self) {
        self.spawn();
    }

    /// A client connection.
    ///
    /// # Panics
    /// If the server does not accept it.
    pub fn connect(&self) -> Connection {
        Connection::connect(&self.url()).expect("connect")
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
