//! Connection strings, kept out of argv's reach.
//!
//! libpq accepts `key=value` strings, `postgres://` URIs and bare database
//! names (see "Connection Strings" in the libpq docs). pgbag hands everything
//! to pg_dump and psql unchanged except the password, which it moves into
//! the child's `PGPASSWORD`: a password in argv is visible to every user via
//! /proc/<pid>/cmdline.

use crate::error::{Error, Result};

/// A connection target split into what may be shown and what may not.
#[derive(Clone, PartialEq, Eq)]
pub struct Conninfo {
    /// A `key=value` conninfo string without any password, for `-d`.
    pub public: String,
    /// The password, if the string carried one.
    pub password: Option<String>,
}

impl std::fmt::Debug for Conninfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Conninfo")
            .field("public", &self.public)
            .field("password", &self.password.as_ref().map(|_| "REDACTED"))
            .finish()
    }
}

impl Conninfo {
    pub fn parse(s: &str) -> Result<Conninfo> {
        let s = s.trim();
        let pairs = if s.starts_with("postgresql://") || s.starts_with("postgres://") {
            parse_uri(s)?
        } else if s.contains('=') {
            parse_keywords(s)?
        } else {
            vec![("dbname".to_string(), s.to_string())]
        };
        let mut password = None;
        let mut public = Vec::new();
        for (k, v) in pairs {
            if k == "password" {
                password = Some(v);
            } else {
                public.push(format!("{k}={}", quote_value(&v)));
            }
        }
        Ok(Conninfo { public: public.join(" "), password })
    }

    /// The database this names, if it names one (else libpq falls back to
    /// PGDATABASE, then the user name).
    pub fn dbname(&self) -> Option<String> {
        let pairs = parse_keywords(&self.public).ok()?;
        pairs.into_iter().rev().find(|(k, _)| k == "dbname").map(|(_, v)| v)
    }

    /// The same server and credentials, another database.
    pub fn with_dbname(&self, db: &str) -> Conninfo {
        let pairs = parse_keywords(&self.public).unwrap_or_default();
        let mut public: Vec<String> =
            pairs.iter().filter(|(k, _)| k != "dbname").map(|(k, v)| format!("{k}={}", quote_value(v))).collect();
        public.push(format!("dbname={}", quote_value(db)));
        Conninfo { public: public.join(" "), password: self.password.clone() }
    }
}

/// Quotes a value for a keyword/value conninfo string.
fn quote_value(v: &str) -> String {
    if !v.is_empty() && !v.contains([' ', '\'', '\\', '\t', '\n']) {
        return v.to_string();
    }
    format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// `key = value` pairs; values may be single-quoted with backslash escapes.
fn parse_keywords(s: &str) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            return Ok(out);
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            key.push(c);
            chars.next();
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.next() != Some('=') {
            return Err(Error::usage(format!("connection string: missing \"=\" after \"{key}\"")));
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'\'') {
            chars.next();
            loop {
                match chars.next() {
                    None => return Err(Error::usage("connection string: unterminated quoted value")),
                    Some('\\') => value.extend(chars.next()),
                    Some('\'') => break,
                    Some(c) => value.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                chars.next();
                if c == '\\' {
                    value.extend(chars.next());
                } else {
                    value.push(c);
                }
            }
        }
        out.push((key, value));
    }
}

fn percent_decode(s: &str) -> Result<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok());
            let Some(v) = hex else {
                return Err(Error::usage("connection URI: invalid percent-encoding"));
            };
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| Error::usage("connection URI: percent-encoding is not UTF-8"))
}

/// `postgresql://[user[:password]@][host][:port][,...][/dbname][?k=v&...]`.
fn parse_uri(s: &str) -> Result<Vec<(String, String)>> {
    let rest = s.split_once("://").map(|(_, r)| r).unwrap_or(s);
    let (rest, query) = match rest.split_once('?') {
        Some((a, q)) => (a, Some(q)),
        None => (rest, None),
    };
    let (netloc, dbname) = match rest.split_once('/') {
        Some((n, d)) => (n, Some(d)),
        None => (rest, None),
    };
    let mut out = Vec::new();
    let hosts = match netloc.rsplit_once('@') {
        Some((userinfo, hosts)) => {
            let (user, pass) = match userinfo.split_once(':') {
                Some((u, p)) => (u, Some(p)),
                None => (userinfo, None),
            };
            if !user.is_empty() {
                out.push(("user".into(), percent_decode(user)?));
            }
            if let Some(p) = pass {
                out.push(("password".into(), percent_decode(p)?));
            }
            hosts
        }
        None => netloc,
    };
    if !hosts.is_empty() {
        let mut hs = Vec::new();
        let mut ports = Vec::new();
        for h in hosts.split(',') {
            // `[::1]:5432` or `host:5432`
            let (host, port) = if let Some(stripped) = h.strip_prefix('[') {
                let (addr, after) = stripped.split_once(']').unwrap_or((stripped, ""));
                (addr.to_string(), after.strip_prefix(':').unwrap_or("").to_string())
            } else {
                match h.rsplit_once(':') {
                    Some((a, p)) => (a.to_string(), p.to_string()),
                    None => (h.to_string(), String::new()),
                }
            };
            hs.push(percent_decode(&host)?);
            ports.push(port);
        }
        if hs.iter().any(|h| !h.is_empty()) {
            out.push(("host".into(), hs.join(",")));
        }
        if ports.iter().any(|p| !p.is_empty()) {
            out.push(("port".into(), ports.join(",")));
        }
    }
    if let Some(d) = dbname.filter(|d| !d.is_empty()) {
        out.push(("dbname".into(), percent_decode(d)?));
    }
    for kv in query.unwrap_or("").split('&').filter(|kv| !kv.is_empty()) {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        out.push((percent_decode(k)?, percent_decode(v)?));
    }
    Ok(out)
}

/// Replaces a password in a pg_dump argument (`--dbname=postgres://u:p@h/db`,
/// `password=x`) with `REDACTED`, for recording options.
pub fn redact(arg: &str) -> String {
    if let Some(i) = arg.find("password=") {
        let end = arg[i..].find([' ', '&']).map_or(arg.len(), |e| i + e);
        return format!("{}password=REDACTED{}", &arg[..i], &arg[end..]);
    }
    if let Some(scheme) = arg.find("://") {
        let after = &arg[scheme + 3..];
        if let Some(at) = after.find('@')
            && let Some(colon) = after[..at].find(':')
        {
            let start = scheme + 3 + colon + 1;
            return format!("{}REDACTED{}", &arg[..start], &arg[scheme + 3 + at..]);
        }
    }
    arg.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_password_moves_out() {
        let c = Conninfo::parse("postgres://app:s%3Acret@db.example:6543/catalog?sslmode=require").unwrap();
        assert_eq!(c.password.as_deref(), Some("s:cret"));
        assert_eq!(c.public, "user=app host=db.example port=6543 dbname=catalog sslmode=require");
        assert!(!format!("{c:?}").contains("cret"));
    }

    #[test]
    fn keyword_password_moves_out_and_quoting_survives() {
        let c = Conninfo::parse("host=/tmp/x dbname='my db' password='p w' user=a").unwrap();
        assert!(c.password.is_some());
        assert_eq!(c.public, "host=/tmp/x dbname='my db' user=a");
        let c = Conninfo::parse(r"password='a\'b' dbname=x").unwrap();
        assert_eq!(c.password.as_deref(), Some("a'b"));
    }

    #[test]
    fn bare_name_and_multi_host() {
        assert_eq!(Conninfo::parse("catalog").unwrap().public, "dbname=catalog");
        let c = Conninfo::parse("postgresql://h1:1,h2:2/db").unwrap();
        assert_eq!(c.public, "host=h1,h2 port=1,2 dbname=db");
        let c = Conninfo::parse("postgresql://[::1]:5433/db").unwrap();
        assert_eq!(c.public, "host=::1 port=5433 dbname=db");
    }

    #[test]
    fn switching_databases_keeps_the_rest() {
        let c = Conninfo::parse("postgres://u:pw@h:5/app").unwrap();
        assert_eq!(c.dbname().as_deref(), Some("app"));
        let m = c.with_dbname("my db");
        assert_eq!(m.public, "user=u host=h port=5 dbname='my db'");
        assert_eq!(m.dbname().as_deref(), Some("my db"));
        assert_eq!(m.password.as_deref(), Some("pw"));
    }

    #[test]
    fn redaction() {
        assert_eq!(redact("--dbname=postgres://u:pw@h/db"), "--dbname=postgres://u:REDACTED@h/db");
        assert_eq!(redact("host=h password=pw user=u"), "host=h password=REDACTED user=u");
        assert_eq!(redact("--no-owner"), "--no-owner");
    }
}
