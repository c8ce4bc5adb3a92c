//! Shared helpers for pgbag's integration tests.
//!
//! Use from a test file in tests/ with `mod util;`:
//!
//! ```ignore
//! mod util;
//! use util::Cluster;
//!
//! #[test]
//! fn something_with_postgres() {
//!     // None => PostgreSQL is not installed and this is not CI: skip, saying so.
//!     let Some(pg) = Cluster::shared() else { return };
//!     let db = pg.unique("fixture");
//!     pg.load_fixture(&db, false);
//!     assert_eq!(pg.psql(&db, "SELECT count(*) FROM public.books"), "1000");
//! }
//! ```

// Each tests/*.rs file compiles this module separately and uses only part of
// it; without this every test crate would warn about the rest.
#![allow(dead_code)]

pub mod ci;
pub mod pg;
pub mod proxy;
pub mod s3;

#[allow(unused_imports)] // re-exported for convenience; not every test file uses all
pub use ci::{unavailable, under_ci};
#[allow(unused_imports)] // re-exported for convenience; not every test file uses all
pub use pg::{Cluster, fixture_path, quote_ident};

/// Rows per table after loading samples/fixture.sql *without* `big=1`:
/// (schema, table, rows), sorted by schema then table like pg_dump orders
/// TABLE DATA entries. Partitions are listed individually; the partitioned
/// parent public.measurements holds no rows itself (36 + 36 through it).
/// samples/README.md carries the same table; keep both in sync with the fixture.
pub const FIXTURE_ROW_COUNTS: &[(&str, &str, u64)] = &[
    ("Mixed Case", "Tab\"le", 3),
    ("café", "données", 10),
    ("odd \"name\"; x", "weird \"table\"; name", 3),
    ("public", "audit_log", 5),
    ("public", "authors", 5),
    ("public", "books", 1000),
    ("public", "empty_table", 0),
    ("public", "measurements_2023", 36),
    ("public", "measurements_2024", 36),
    ("public", "secrets", 4),
    ("public", "tricky_values", 18),
];

/// Extra table present only when the fixture is loaded with `big=1`:
/// one row whose `payload` is this many bytes of hex text.
pub const FIXTURE_BIG_TABLE: (&str, &str, u64) = ("public", "big_values", 1);
pub const FIXTURE_BIG_PAYLOAD_BYTES: u64 = 3_200_000;

/// Materialized view public.author_book_counts: 5 rows (refreshed by the dump).
pub const FIXTURE_MATVIEW_ROWS: u64 = 5;

/// OID of the fixture's single large object and its 22-byte content.
pub const FIXTURE_LARGE_OBJECT_OID: u32 = 424242;
pub const FIXTURE_LARGE_OBJECT_BYTES: &[u8] = b"hello, large object\x00\x01\x02";

/// `SELECT count(*) FROM ONLY schema.table`, quoting both names.
pub fn count_rows_sql(schema: &str, table: &str) -> String {
    format!("SELECT count(*) FROM ONLY {}.{}", quote_ident(schema), quote_ident(table))
}

/// A port on 127.0.0.1 that refuses connections for as long as the returned
/// socket lives: bound, so nobody else can take it meanwhile, and never
/// listened on. (A port that was free a moment ago may not be by the time
/// the test connects: another test's moto_server may have it.)
pub fn refused_port() -> (std::os::fd::OwnedFd, u16) {
    use rustix::net::{AddressFamily, SocketType, bind, getsockname, socket};
    let sock = socket(AddressFamily::INET, SocketType::STREAM, None).expect("create a TCP socket");
    bind(&sock, &std::net::SocketAddr::from(([127, 0, 0, 1], 0))).expect("bind 127.0.0.1:0");
    let addr = std::net::SocketAddr::try_from(getsockname(&sock).expect("getsockname")).expect("an IPv4 address");
    (sock, addr.port())
}
