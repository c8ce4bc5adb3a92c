//! Connection strings, kept out of argv's reach.
//!
//! libpq accepts `key=value` strings, `postgres://` URIs and bare database
//! names (see "Connection Strings" in the libpq docs). pgbag hands everything
//! to pg_dump and psql unchanged except the secrets: anything in argv is
//! visible to every local user via /proc/<pid>/cmdline.
//!
//! - The password goes into the child's `PGPASSWORD`.
//! - libpq reads no environment variable for the other secrets
//!   ([`SECRET_FIELDS`]: `sslpassword`, libpq 18's `oauth_client_secret`).
//!   They go into a one-section service file, mode 0600 in a private 0700
//!   temporary directory, named to the child by `PGSERVICEFILE` and
//!   `PGSERVICE`. libpq takes from a service only what the `-d` string leaves
//!   out ("The Connection Service File" in the libpq docs), so `-d` keeps
//!   everything else. The file lives as long as the `Conninfo` (and its
//!   clones) and is removed with it.
//! - A service of the user's own (`service=` or `PGSERVICE`) cannot be
//!   combined with ours, so such a string is refused: the secret belongs in
//!   the user's service file then.

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use crate::error::{Error, IoContext, Result};

/// Connection fields that must stay out of argv and have no environment
/// variable of their own.
pub const SECRET_FIELDS: [&str; 2] = ["sslpassword", "oauth_client_secret"];

/// The name of the service section pgbag writes.
const SERVICE_NAME: &str = "pgbag";

/// A connection target split into what may be shown and what may not.
#[derive(Clone)]
pub struct Conninfo {
    /// A `key=value` conninfo string without any secret, for `-d`.
    pub public: String,
    /// The password, if the string carried one.
    pub password: Option<String>,
    /// The other secrets, in their private service file.
    pub secrets: Option<Arc<SecretService>>,
}

impl PartialEq for Conninfo {
    fn eq(&self, other: &Self) -> bool {
        let fields = |c: &Conninfo| c.secrets.as_ref().map(|s| s.fields.clone());
        self.public == other.public && self.password == other.password && fields(self) == fields(other)
    }
}

impl Eq for Conninfo {}

impl std::fmt::Debug for Conninfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Conninfo")
            .field("public", &self.public)
            .field("password", &self.password.as_ref().map(|_| "REDACTED"))
            .field("service_file", &self.secrets)
            .finish()
    }
}

/// A service file holding the secrets of one connection string. Removed
/// (with its directory) when the last `Conninfo` holding it goes.
pub struct SecretService {
    /// Deleted on drop.
    dir: tempfile::TempDir,
    file: PathBuf,
    fields: Vec<(String, String)>,
}

impl std::fmt::Debug for SecretService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys: Vec<&str> = self.fields.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("SecretService").field("file", &self.file).field("fields", &keys).finish()
    }
}

impl SecretService {
    fn write(fields: Vec<(String, String)>) -> Result<SecretService> {
        for (k, v) in &fields {
            // The service file format has no quoting: a line ends at a
            // newline and loses its trailing blanks.
            if v.contains(['\n', '\r']) || v.ends_with(char::is_whitespace) {
                return Err(Error::usage(format!(
                    "connection string: {k} holds a line break or ends in a blank, which pgbag cannot pass to libpq \
                     outside argv; put it in your service file and use service=NAME"
                )));
            }
        }
        let dir = tempfile::Builder::new()
            .prefix("pgbag-conn-")
            .permissions(std::fs::Permissions::from_mode(0o700))
            .tempdir()
            .context(|| "creating a private directory for the connection's secrets".to_string())?;
        let file = dir.path().join("pg_service.conf");
        let mut text = format!("[{SERVICE_NAME}]\n");
        for (k, v) in &fields {
            text.push_str(&format!("{k}={v}\n"));
        }
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&file)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .context(|| format!("writing {}", file.display()))?;
        Ok(SecretService { dir, file, fields })
    }

    /// The service file (tests look at it while a child runs).
    pub fn path(&self) -> &Path {
        &self.file
    }

    /// The private directory holding it.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Conninfo {
    pub fn parse(s: &str) -> Result<Conninfo> {
        let s = s.trim();
        if s.is_empty() {
            // libpq reads "" as "all defaults": a typo or an unset variable
            // (`--target "$STAGING_URL"`) would reach whatever PGHOST and
            // the user name point at.
            return Err(Error::usage(
                "the connection string is empty (an unset variable?); libpq would connect with its defaults. Give a conninfo or URI, e.g. dbname=catalog or postgresql://host/db",
            ));
        }
        let pairs = if s.starts_with("postgresql://") || s.starts_with("postgres://") {
            parse_uri(s)?
        } else if s.contains('=') {
            parse_keywords(s)?
        } else {
            vec![("dbname".to_string(), s.to_string())]
        };
        let mut password = None;
        let mut public = Vec::new();
        let mut secrets = Vec::new();
        for (k, v) in pairs {
            if k == "password" {
                password = Some(v);
            } else if SECRET_FIELDS.contains(&k.as_str()) {
                secrets.retain(|(s, _): &(String, String)| *s != k);
                secrets.push((k, v));
            } else {
                public.push((k, v));
            }
        }
        let secrets = match secrets.first() {
            None => None,
            Some((field, _)) => {
                if public.iter().any(|(k, _)| k == "service") || std::env::var_os("PGSERVICE").is_some() {
                    return Err(Error::usage(format!(
                        "connection string: {field} cannot be combined with a service (service= or PGSERVICE): \
                         pgbag would have to put {field} in argv, where every local user can read it; \
                         put {field} in that service's section of your service file (PGSERVICEFILE or ~/.pg_service.conf)"
                    )));
                }
                Some(Arc::new(SecretService::write(secrets)?))
            }
        };
        let public = public.iter().map(|(k, v)| format!("{k}={}", quote_value(v))).collect::<Vec<_>>().join(" ");
        Ok(Conninfo { public, password, secrets })
    }

    /// Sets up `cmd` (a libpq program) to receive this string's secrets
    /// outside argv: `PGPASSWORD`, and the service file of the others.
    pub fn pass_secrets(&self, cmd: &mut Command) {
        if let Some(p) = &self.password {
            cmd.env("PGPASSWORD", p);
        }
        if let Some(s) = &self.secrets {
            cmd.env("PGSERVICEFILE", &s.file).env("PGSERVICE", SERVICE_NAME);
        }
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
        Conninfo { public: public.join(" "), password: self.password.clone(), secrets: self.secrets.clone() }
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
        for empty in ["", "  "] {
            let e = Conninfo::parse(empty).unwrap_err();
            assert!(e.to_string().contains("connection string is empty"), "{e}");
        }
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
    fn sslpassword_moves_into_a_private_service_file() {
        let c = Conninfo::parse("host=h sslkey=/k sslpassword='s3 Qx9' dbname=d oauth_client_secret=O2zz").unwrap();
        assert_eq!(c.public, "host=h sslkey=/k dbname=d");
        let s = c.secrets.clone().unwrap();
        assert_eq!(
            std::fs::read_to_string(s.path()).unwrap(),
            "[pgbag]\nsslpassword=s3 Qx9\noauth_client_secret=O2zz\n"
        );
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!((mode(s.dir()), mode(s.path())), (0o700, 0o600));
        let debug = format!("{c:?}");
        assert!(!debug.contains("Qx9") && !debug.contains("O2zz"), "{debug}");
        let mut cmd = Command::new("psql");
        c.pass_secrets(&mut cmd);
        let env: Vec<_> = cmd.get_envs().map(|(k, v)| (k.to_owned(), v.map(|v| v.to_owned()))).collect();
        assert!(env.contains(&("PGSERVICE".into(), Some("pgbag".into()))));
        assert!(env.contains(&("PGSERVICEFILE".into(), Some(s.path().into()))));
        // Another database, the same secrets; the file goes with the last holder.
        let other = c.with_dbname("x");
        assert_eq!(other.public, "host=h sslkey=/k dbname=x");
        let (file, dir) = (s.path().to_path_buf(), s.dir().to_path_buf());
        drop((c, s));
        assert!(file.exists());
        drop(other);
        assert!(!file.exists() && !dir.exists());
        let c = Conninfo::parse("postgres://u@h/db?sslpassword=p%20w").unwrap();
        assert_eq!(c.public, "user=u host=h dbname=db");
        assert!(c.secrets.is_some());
        assert!(Conninfo::parse("host=h dbname=d").unwrap().secrets.is_none());
    }

    #[test]
    fn a_secret_with_a_service_of_the_users_own_is_refused() {
        let e = Conninfo::parse("service=prod sslpassword=s3cret").unwrap_err().to_string();
        assert!(e.contains("put sslpassword in that service's section") && !e.contains("s3cret"), "{e}");
        let e = Conninfo::parse("sslpassword='a\nb'").unwrap_err().to_string();
        assert!(e.contains("line break") && !e.contains("a\nb"), "{e}");
    }

    #[test]
    fn redaction() {
        assert_eq!(redact("--dbname=postgres://u:pw@h/db"), "--dbname=postgres://u:REDACTED@h/db");
        assert_eq!(redact("host=h password=pw user=u"), "host=h password=REDACTED user=u");
        assert_eq!(redact("--no-owner"), "--no-owner");
        assert_eq!(redact("host=h sslpassword=pw"), "host=h sslpassword=REDACTED");
    }
}
