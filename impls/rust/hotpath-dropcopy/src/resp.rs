//! RESP2, the part a publisher needs: commands out as arrays of bulk strings, replies in
//! (simple strings, errors, integers, bulk strings, arrays, and their nil forms).

use std::io::{self, BufRead};

/// Largest bulk string or array a reply may announce: far above anything the publisher
/// asks for, low enough that a corrupt length cannot make it allocate the machine away.
const MAX_LEN: usize = 512 << 20;
/// Deepest nesting of arrays accepted (an `XREVRANGE` reply is three deep).
const MAX_DEPTH: usize = 8;

/// One reply from the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// `+OK`
    Simple(String),
    /// `-ERR …`: the command was refused.
    Error(String),
    /// `:42`
    Integer(i64),
    /// `$n` followed by n bytes; `None` for the nil bulk string `$-1`.
    Bulk(Option<Vec<u8>>),
    /// `*n` followed by n replies; `None` for the nil array `*-1`.
    Array(Option<Vec<Reply>>),
}

/// Appends `args` to `out` as one command (an array of bulk strings).
pub fn encode(out: &mut Vec<u8>, args: &[&[u8]]) {
    push_header(out, b'*', args.len());
    for arg in args {
        push_header(out, b'$', arg.len());
        out.extend_from_slice(arg);
        out.extend_from_slice(b"\r\n");
    }
}

fn push_header(out: &mut Vec<u8>, kind: u8, len: usize) {
    out.push(kind);
    out.extend_from_slice(len.to_string().as_bytes());
    out.extend_from_slice(b"\r\n");
}

/// Reads one reply.
///
/// # Errors
/// The reader's I/O error (a timeout, a closed connection: `UnexpectedEof`), or
/// `InvalidData` for bytes that are not RESP2.
pub fn read_reply<R: BufRead>(r: &mut R) -> io::Result<Reply> {
    read_nested(r, 0)
}

fn read_nested<R: BufRead>(r: &mut R, depth: usize) -> io::Result<Reply> {
    let mut line = Vec::with_capacity(32);
    read_line(r, &mut line)?;
    let (&kind, body) = line.split_first().ok_or_else(|| invalid("an empty line"))?;
    let text = || String::from_utf8_lossy(body).into_owned();
    match kind {
        b'+' => Ok(Reply::Simple(text())),
        b'-' => Ok(Reply::Error(text())),
        b':' => Ok(Reply::Integer(parse_int(body)?)),
        b'$' => match length(body)? {
            None => Ok(Reply::Bulk(None)),
            Some(n) => {
                let mut data = vec![0; n + 2];
                r.read_exact(&mut data)?;
                if !data.ends_with(b"\r\n") {
                    return Err(invalid("a bulk string not followed by CRLF"));
                }
                data.truncate(n);
                Ok(Reply::Bulk(Some(data)))
            }
        },
        b'*' => match length(body)? {
            None => Ok(Reply::Array(None)),
            Some(n) => {
                if depth >= MAX_DEPTH {
                    return Err(invalid("arrays nested too deep"));
                }
                let mut items = Vec::with_capacity(n.min(1024));
                for _ in 0..n {
                    items.push(read_nested(r, depth + 1)?);
                }
                Ok(Reply::Array(Some(items)))
            }
        },
        other => Err(invalid(&format!("reply type byte {:?}", char::from(other)))),
    }
}

/// One CRLF-terminated line, without its CRLF.
fn read_line<R: BufRead>(r: &mut R, line: &mut Vec<u8>) -> io::Result<()> {
    let n = r.read_until(b'\n', line)?;
    if n == 0 {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the server closed the connection"));
    }
    if !line.ends_with(b"\r\n") {
        return Err(if line.ends_with(b"\n") {
            invalid("a line ending in LF without CR")
        } else {
            io::Error::new(io::ErrorKind::UnexpectedEof, "the server closed the connection mid-reply")
        });
    }
    line.truncate(line.len() - 2);
    Ok(())
}

fn parse_int(body: &[u8]) -> io::Result<i64> {
    std::str::from_utf8(body)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| invalid(&format!("integer {:?}", String::from_utf8_lossy(body))))
}

/// A bulk or array length: `None` for -1 (nil).
fn length(body: &[u8]) -> io::Result<Option<usize>> {
    match parse_int(body)? {
        -1 => Ok(None),
        n if (0..=MAX_LEN as i64).contains(&n) => Ok(Some(n as usize)),
        n => Err(invalid(&format!("length {n}"))),
    }
}

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("not RESP2: {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(bytes: &[u8]) -> io::Result<Reply> {
        read_reply(&mut &bytes[..])
    }

    #[test]
    fn commands_are_arrays_of_bulk_strings_binary_safe() {
        let mut out = Vec::new();
        encode(&mut out, &[b"XADD", b"k", b"7-0", b"records", b"\r\n\0"]);
        encode(&mut out, &[b"PING"]);
        assert_eq!(
            out,
            b"*5\r\n$4\r\nXADD\r\n$1\r\nk\r\n$3\r\n7-0\r\n$7\r\nrecords\r\n$3\r\n\r\n\0\r\n*1\r\n$4\r\nPING\r\n"
        );
    }

    #[test]
    fn every_reply_type_and_its_nil() {
        assert_eq!(parse(b"+PONG\r\n").expect("simple"), Reply::Simple("PONG".into()));
        assert_eq!(
            parse(b"-ERR The ID specified in XADD is equal or smaller\r\n").expect("error"),
            Reply::Error("ERR The ID specified in XADD is equal or smaller".into())
        );
        assert_eq!(parse(b":-42\r\n").expect("int"), Reply::Integer(-42));
        assert_eq!(parse(b"$5\r\na\r\nbc\r\n").expect("bulk"), Reply::Bulk(Some(b"a\r\nbc".to_vec())));
        assert_eq!(parse(b"$0\r\n\r\n").expect("empty"), Reply::Bulk(Some(Vec::new())));
        assert_eq!(parse(b"$-1\r\n").expect("nil bulk"), Reply::Bulk(None));
        assert_eq!(parse(b"*-1\r\n").expect("nil array"), Reply::Array(None));
        assert_eq!(parse(b"*0\r\n").expect("empty array"), Reply::Array(Some(Vec::new())));
        let xrevrange = b"*1\r\n*2\r\n$5\r\n256-0\r\n*2\r\n$5\r\nfirst\r\n$1\r\n1\r\n";
        assert_eq!(
            parse(xrevrange).expect("nested"),
            Reply::Array(Some(vec![Reply::Array(Some(vec![
                Reply::Bulk(Some(b"256-0".to_vec())),
                Reply::Array(Some(vec![
                    Reply::Bulk(Some(b"first".to_vec())),
                    Reply::Bulk(Some(b"1".to_vec()))
                ])),
            ]))]))
        );
    }

    #[test]
    fn replies_are_read_one_at_a_time_from_a_pipeline() {
        let mut input = &b"$3\r\n9-0\r\n-ERR no\r\n:1\r\n"[..];
        assert_eq!(read_reply(&mut input).expect("1"), Reply::Bulk(Some(b"9-0".to_vec())));
        assert_eq!(read_reply(&mut input).expect("2"), Reply::Error("ERR no".into()));
        assert_eq!(read_reply(&mut input).expect("3"), Reply::Integer(1));
        assert_eq!(read_reply(&mut input).expect_err("end").kind(), io::ErrorKind::UnexpectedEof);
    }

    #[test]
    fn malformed_and_truncated_input_is_an_error_not_a_panic() {
        for (bytes, kind) in [
            (&b"?x\r\n"[..], io::ErrorKind::InvalidData),
            (b"\r\n", io::ErrorKind::InvalidData),
            (b":12a\r\n", io::ErrorKind::InvalidData),
            (b"$-2\r\n", io::ErrorKind::InvalidData),
            (b"$99999999999\r\n", io::ErrorKind::InvalidData),
            (b"$3\r\nabcd\r\n", io::ErrorKind::InvalidData),
            (b"+OK\n", io::ErrorKind::InvalidData),
            (b"+OK", io::ErrorKind::UnexpectedEof),
            (b"$5\r\nab", io::ErrorKind::UnexpectedEof),
            (b"*2\r\n:1\r\n", io::ErrorKind::UnexpectedEof),
            (b"*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n", io::ErrorKind::InvalidData),
        ] {
            let err = parse(bytes).expect_err("refused");
            assert_eq!(err.kind(), kind, "{:?}: {err}", String::from_utf8_lossy(bytes));
        }
    }
}
