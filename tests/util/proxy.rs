//! A TCP proxy on 127.0.0.1 in front of a test server, which damages what
//! the server answers in one chosen way: slowly, with one byte flipped, or
//! cut off. Requests pass untouched, so uploads through it arrive whole and
//! only reads suffer: what a flaky network or a faulty store does to a
//! client, with real HTTP on both sides.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

/// What the proxy does to each connection's response stream. Offsets count
/// the bytes the server sent on that one connection, headers included.
#[derive(Debug, Clone, Copy)]
pub enum Fault {
    /// Passes bytes on at about this rate.
    Slow { bytes_per_sec: u64 },
    /// Flips every bit of the byte at this offset.
    Flip { at: u64 },
    /// Closes the connection once this many bytes have passed.
    Cut { after: u64 },
}

/// Starts a proxy to 127.0.0.1:`upstream`; returns its port and a count of
/// the response bytes passed on over all connections. It lives as long as
/// the test binary; it only ever blocks on accept.
pub fn start(upstream: u16, fault: Fault) -> (u16, Arc<AtomicU64>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let passed = Arc::new(AtomicU64::new(0));
    let counter = passed.clone();
    thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(client) = client else { return };
            let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else { continue };
            let (mut from_client, mut to_server) = (client.try_clone().unwrap(), server.try_clone().unwrap());
            thread::spawn(move || {
                let _ = std::io::copy(&mut from_client, &mut to_server);
                let _ = to_server.shutdown(Shutdown::Write);
            });
            let counter = counter.clone();
            thread::spawn(move || relay(server, client, fault, &counter));
        }
    });
    (port, passed)
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
