//! The one URL form the drop-copy accepts: `redis://host:port[/db]`.
//!
//! No credentials, no TLS, no defaults: the lab's Redis is a local server, and a URL that
//! says more (or less) than host, port and database is more likely a mistake than a wish.

use crate::error::DropCopyError;

/// A parsed `redis://host:port[/db]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedisUrl {
    /// The URL as given, for messages.
    pub url: String,
    /// Host name or address (an IPv6 address without its brackets).
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// Database to `SELECT`, if the URL names one.
    pub db: Option<u32>,
}

impl RedisUrl {
    /// Parses `url`.
    ///
    /// # Errors
    /// [`DropCopyError::Url`] naming the URL and what is wrong with it.
    pub fn parse(url: &str) -> Result<RedisUrl, DropCopyError> {
        let refuse = |reason: &str| DropCopyError::Url { url: url.to_owned(), reason: reason.to_owned() };
        let rest = url.strip_prefix("redis://").ok_or_else(|| {
            refuse(if url.starts_with("rediss://") { "TLS is not supported" } else { "not a redis:// URL" })
        })?;
        let (authority, db) = match rest.split_once('/') {
            Some((authority, db)) => (authority, Some(db)),
            None => (rest, None),
        };
        if authority.contains('@') {
            return Err(refuse("credentials are not supported"));
        }
        let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
            let (host, after) =
                bracketed.split_once(']').ok_or_else(|| refuse("unclosed '[' in the host"))?;
            (host, after.strip_prefix(':').ok_or_else(|| refuse("no port"))?)
        } else {
            authority.rsplit_once(':').ok_or_else(|| refuse("no port"))?
        };
        if host.is_empty() {
            return Err(refuse("no host"));
        }
        if host.contains(':') && !authority.starts_with('[') {
            return Err(refuse("an IPv6 host must be in brackets"));
        }
        let port = port
            .parse::<u16>()
            .ok()
            .filter(|p| *p > 0 && port.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| refuse(&format!("port {port:?} is not a number in 1..=65535")))?;
        let db = match db {
            None => None,
            Some(d) => Some(
                d.parse::<u32>()
                    .ok()
                    .filter(|_| d.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or_else(|| refuse(&format!("database {d:?} is not a number")))?,
            ),
        };
        Ok(RedisUrl { url: url.to_owned(), host: host.to_owned(), port, db })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_port_and_optional_database() {
        let u = RedisUrl::parse("redis://127.0.0.1:6379").expect("valid");
        assert_eq!((u.host.as_str(), u.port, u.db), ("127.0.0.1", 6379, None));
        let u = RedisUrl::parse("redis://localhost:7000/3").expect("valid");
        assert_eq!((u.host.as_str(), u.port, u.db), ("localhost", 7000, Some(3)));
        let u = RedisUrl::parse("redis://[::1]:6380/0").expect("valid");
        assert_eq!((u.host.as_str(), u.port, u.db), ("::1", 6380, Some(0)));
    }

    #[test]
    fn other_forms_are_refused_with_the_url_named() {
        for (url, needle) in [
            ("http://localhost:6379", "not a redis:// URL"),
            ("rediss://localhost:6379", "TLS"),
            ("redis://user:pw@localhost:6379", "credentials"),
            ("redis://localhost", "no port"),
            ("redis://:6379", "no host"),
            ("redis://localhost:0", "port"),
            ("redis://localhost:99999", "port"),
            ("redis://localhost:+80", "port"),
            ("redis://localhost:6379/", "database"),
            ("redis://localhost:6379/x", "database"),
            ("redis://::1:6379", "brackets"),
            ("redis://[::1:6379", "unclosed"),
        ] {
            let err = RedisUrl::parse(url).expect_err(url).to_string();
            assert!(err.contains(needle), "{url}: {err}");
            assert!(err.contains(&format!("{url:?}")), "{url}: the message names the URL: {err}");
        }
    }
}
