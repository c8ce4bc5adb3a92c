//! A TCP proxy on 127.0.0.1 in front of a test server, which damages what
//! the server answers in one chosen way: slowly, with one byte flipped, or
//! cut off (or not at all). Requests pass untouched, so uploads through it
//! arrive whole and only reads suffer: what a flaky network or a faulty
//! store does to a client, with real HTTP on both sides.
//!
//! It also records every HTTP request it passes on (method and target), so
//! a test can count what a client asked for without reading the server's
//! log. For that it follows HTTP/1.1 framing on the way in: a request head,
//! then a body of `Content-Length` bytes or in chunks.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// What the proxy does to each connection's response stream. Offsets count
/// the bytes the server sent on that one connection, headers included.
#[derive(Debug, Clone, Copy)]
pub enum Fault {
    /// Passes everything on as it comes.
    None,
    /// Passes bytes on at about this rate.
    Slow { bytes_per_sec: u64 },
    /// Flips every bit of the byte at this offset.
    Flip { at: u64 },
    /// Closes the connection once this many bytes have passed.
    Cut { after: u64 },
}

/// One request the proxy passed on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The request target as sent: `/bucket/key?query` for path-style S3.
    pub target: String,
}

impl Request {
    /// The target without its query string.
    pub fn path(&self) -> &str {
        self.target.split_once('?').map_or(&self.target, |(path, _)| path)
    }
}

/// A running proxy. It lives as long as the test binary; its threads only
/// ever block on accept and on their connections.
pub struct Proxy {
    port: u16,
    passed: Arc<AtomicU64>,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Proxy {
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT`, for AWS_ENDPOINT_URL.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Response bytes passed on so far, over all connections.
    pub fn bytes_passed(&self) -> u64 {
        self.passed.load(Ordering::Relaxed)
    }

    /// Every request passed on so far, in the order their heads arrived.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// How many `method` requests went to exactly `path` (any query).
    pub fn count(&self, method: &str, path: &str) -> usize {
        self.requests().iter().filter(|r| r.method == method && r.path() == path).count()
    }
}

/// Starts a proxy to 127.0.0.1:`upstream` that does `fault` to the answers.
pub fn start(upstream: u16, fault: Fault) -> Proxy {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let proxy = Proxy { port, passed: Arc::default(), requests: Arc::default() };
    let (passed, requests) = (proxy.passed.clone(), proxy.requests.clone());
    thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(client) = client else { return };
            let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else { continue };
            let (from_client, mut to_server) = (client.try_clone().unwrap(), server.try_clone().unwrap());
            let requests = requests.clone();
            thread::spawn(move || {
                // A request the proxy cannot frame is passed on as it is,
                // with the rest of the connection; it is still recorded.
                let mut from_client = BufReader::new(from_client);
                let _ = forward_requests(&mut from_client, &mut to_server, &requests);
                let _ = io::copy(&mut from_client, &mut to_server);
                let _ = to_server.shutdown(Shutdown::Write);
            });
            let passed = passed.clone();
            thread::spawn(move || relay(server, client, fault, &passed));
        }
    });
    proxy
}

/// Copies requests from `from` to `to` one by one, recording each head,
/// until the client closes its side (`Ok`) or a request cannot be framed.
fn forward_requests(from: &mut impl BufRead, to: &mut impl Write, log: &Mutex<Vec<Request>>) -> io::Result<()> {
    loop {
        let mut head = Vec::new();
        while !head.ends_with(b"\r\n\r\n") {
            if from.read_until(b'\n', &mut head)? == 0 {
                to.write_all(&head)?;
                return Ok(());
            }
        }
        let text = String::from_utf8_lossy(&head).into_owned();
        let mut line = text.split("\r\n").next().unwrap_or_default().split(' ');
        let (method, target) = (line.next().unwrap_or_default(), line.next().unwrap_or_default());
        log.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Request { method: method.to_string(), target: target.to_string() });
        to.write_all(&head)?;
        let header = |name: &str| {
            text.split("\r\n").skip(1).find_map(|h| {
                let (n, v) = h.split_once(':')?;
                n.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_ascii_lowercase())
            })
        };
        if header("transfer-encoding").is_some_and(|te| te.ends_with("chunked")) {
            forward_chunks(from, to)?;
        } else if let Some(len) = header("content-length") {
            let len: u64 = len.parse().map_err(|_| io::Error::other(format!("Content-Length {len}")))?;
            let copied = io::copy(&mut (&mut *from).take(len), to)?;
            if copied < len {
                return Ok(()); // the client went away mid-body
            }
        }
    }
}

/// A chunked body: `SIZE[;ext]\r\n DATA\r\n` ... `0\r\n` trailers `\r\n`.
fn forward_chunks(from: &mut impl BufRead, to: &mut impl Write) -> io::Result<()> {
    loop {
        let mut line = Vec::new();
        from.read_until(b'\n', &mut line)?;
        to.write_all(&line)?;
        let size = String::from_utf8_lossy(&line);
        let size = size.split(';').next().unwrap_or_default().trim();
        let size = u64::from_str_radix(size, 16).map_err(|_| io::Error::other(format!("chunk size {size:?}")))?;
        if size == 0 {
            // Trailer lines up to an empty one.
            loop {
                line.clear();
                if from.read_until(b'\n', &mut line)? == 0 || line == b"\r\n" {
                    return to.write_all(&line);
                }
                to.write_all(&line)?;
            }
        }
        io::copy(&mut (&mut *from).take(size + 2), to)?; // the data and its CRLF
    }
}

fn relay(mut from_server: TcpStream, mut to_client: TcpStream, fault: Fault, counter: &AtomicU64) {
    let mut buf = [0u8; 4096];
    let mut offset = 0u64;
    loop {
        let want = match fault {
            Fault::Cut { after } => (after - offset).min(buf.len() as u64) as usize,
            _ => buf.len(),
        };
        if want == 0 {
            // Both ways, as a dropped connection looks to the client.
            let _ = to_client.shutdown(Shutdown::Both);
            let _ = from_server.shutdown(Shutdown::Both);
            return;
        }
        let n = match from_server.read(&mut buf[..want]) {
            Ok(n @ 1..) => n,
            _ => break,
        };
        if let Fault::Flip { at } = fault
            && (offset..offset + n as u64).contains(&at)
        {
            buf[(at - offset) as usize] ^= 0xff;
        }
        if to_client.write_all(&buf[..n]).is_err() {
            break;
        }
        offset += n as u64;
        counter.fetch_add(n as u64, Ordering::Relaxed);
        if let Fault::Slow { bytes_per_sec } = fault {
            thread::sleep(Duration::from_secs_f64(n as f64 / bytes_per_sec as f64));
        }
    }
    let _ = to_client.shutdown(Shutdown::Write);
}

#[test]
fn requests_are_counted_across_bodies_that_look_like_requests() {
    // An upstream that reads whatever comes and answers nothing.
    let upstream = TcpListener::bind("127.0.0.1:0").unwrap();
    let up = upstream.local_addr().unwrap().port();
    let sink = thread::spawn(move || {
        let (mut conn, _) = upstream.accept().unwrap();
        let mut all = Vec::new();
        conn.read_to_end(&mut all).unwrap();
        all
    });
    let proxy = start(up, Fault::None);
    let body = b"GET /b/k HTTP/1.1\r\n\r\n"; // inside a body: not a request
    let sent = [
        format!("PUT /b/k HTTP/1.1\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes(),
        body.to_vec(),
        b"POST /b/k?uploads HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec(),
        format!("{:x}\r\n", body.len()).into_bytes(),
        body.to_vec(),
        b"\r\n0\r\n\r\n".to_vec(),
        b"GET /b/k?x=1 HTTP/1.1\r\nRange: bytes=0-1\r\n\r\n".to_vec(),
        b"HEAD /b/k HTTP/1.1\r\n\r\n".to_vec(),
    ]
    .concat();
    let mut client = TcpStream::connect(("127.0.0.1", proxy.port())).unwrap();
    client.write_all(&sent).unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    assert_eq!(sink.join().unwrap(), sent, "the proxy changed the requests");
    let methods: Vec<String> = proxy.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(methods, ["PUT", "POST", "GET", "HEAD"]);
    assert_eq!((proxy.count("GET", "/b/k"), proxy.count("GET", "/b/other")), (1, 0));
}
