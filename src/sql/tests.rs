//! Scanner tests over adversarial snippets, fed through readers that return
//! 1..n bytes per read (tar-rs's `RandomReader` idea): every buffer boundary
//! must give the same items.

use std::io::{self, BufRead, BufReader, Read};

use proptest::prelude::*;

use super::*;

/// A reader that returns at most `step` bytes per call, cycling sizes 1..=step.
pub(crate) struct Dribble<'a> {
    data: &'a [u8],
    step: usize,
    next: usize,
}

impl<'a> Dribble<'a> {
    pub(crate) fn new(data: &'a [u8], step: usize) -> Self {
        Dribble { data, step: step.max(1), next: 1 }
    }
}

impl Read for Dribble<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.next.min(out.len()).min(self.data.len());
        out[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        self.next = self.next % self.step + 1;
        Ok(n)
    }
}

/// Scans `input` and returns a compact description of each item plus the
/// rejoined bytes.
fn scan<R: BufRead>(r: R) -> (Vec<String>, Vec<u8>) {
    let mut s = Scanner::new(r);
    let mut out = Vec::new();
    let mut joined = Vec::new();
    loop {
        if s.at_copy_data() {
            let item = s.copy_data_to(&mut joined).unwrap();
            let ItemKind::CopyData(c) = &item.kind else { unreachable!() };
            out.push(format!("{}:copy rows={} bytes={} term={}", item.line, c.rows, c.bytes, c.terminated));
            continue;
        }
        let Some(item) = s.next_item().unwrap() else { break };
        match &item.kind {
            ItemKind::Trivia(t) => joined.extend_from_slice(t),
            ItemKind::Statement(st) => {
                joined.extend_from_slice(&st.text);
                let toc = item.toc.as_ref().map(|t| t.to_string()).unwrap_or_default();
                out.push(format!(
                    "{}:stmt {} rows={} term={} [{toc}]",
                    item.line,
                    st.keyword(),
                    st.insert_rows(),
                    st.terminated
                ));
            }
            ItemKind::MetaCommand(m) => {
                joined.extend_from_slice(&m.text);
                out.push(format!("{}:meta {} {}", item.line, m.command, m.args));
            }
            ItemKind::CopyData(_) => unreachable!(),
        }
    }
    (out, joined)
}

const DUMP: &str = r#"--
-- PostgreSQL database dump
--

\restrict abc123

-- Dumped from database version 15.18
-- Dumped by pg_dump version 15.18

SET standard_conforming_strings = on;

--
-- Name: f(); Type: FUNCTION; Schema: public; Owner: app
--

CREATE FUNCTION public.f() RETURNS text
    LANGUAGE plpgsql
    AS $fn$
BEGIN
  -- a body line that looks like the end of COPY data:
\.
\! echo not a meta-command
  RETURN $q$;$q$ || ';';
END
$fn$;

--
-- Name: t; Type: TABLE; Schema: public; Owner: app
--

CREATE TABLE public.t (a text, "b;c" int);

--
-- Data for Name: t; Type: TABLE DATA; Schema: public; Owner: app
--

COPY public.t (a, "b;c") FROM stdin;
x	1
\\.	2
tab\there	\N
\.


INSERT INTO public.t VALUES ('a'), ('b;'), ('(c');
SELECT 1; \! touch /tmp/pwned
SELECT E'it\'s; fine';
SET standard_conforming_strings = off;
SELECT 'it\'s; fine';

--
-- PostgreSQL database dump complete
--

\unrestrict abc123

"#;

fn expected() -> Vec<String> {
    [
        "5:meta restrict abc123",
        "10:stmt set rows=0 term=true []",
        "16:stmt create rows=0 term=true [FUNCTION public.f()]",
        "31:stmt create rows=0 term=true [TABLE public.t]",
        "37:stmt copy rows=0 term=true [TABLE DATA public.t]",
        "38:copy rows=3 bytes=23 term=true",
        "44:stmt insert rows=3 term=true [TABLE DATA public.t]",
        "45:stmt select rows=0 term=true [TABLE DATA public.t]",
        "45:meta ! touch /tmp/pwned",
        "46:stmt select rows=0 term=true [TABLE DATA public.t]",
        "47:stmt set rows=0 term=true [TABLE DATA public.t]",
        "48:stmt select rows=0 term=true [TABLE DATA public.t]",
        "54:meta unrestrict abc123",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

#[test]
fn adversarial_dump_splits_like_psql_at_every_buffer_size() {
    for step in 1..=17 {
        let r = BufReader::with_capacity(step.max(2), Dribble::new(DUMP.as_bytes(), step));
        let (items, joined) = scan(r);
        assert_eq!(items, expected(), "read size {step}");
        assert_eq!(joined, DUMP.as_bytes(), "read size {step}");
    }
}

#[test]
fn header_and_footer_are_recognised() {
    let mut s = Scanner::new(DUMP.as_bytes());
    while s.next_item().unwrap().is_some() {}
    let h = s.header();
    assert!(h.banner);
    assert_eq!(h.dumped_from.as_deref(), Some("15.18"));
    assert_eq!(h.dumped_by.as_deref(), Some("15.18"));
    assert_eq!(h.footer_line, Some(51));
    assert!(!h.content_after_footer);
    assert!(!s.standard_conforming_strings());
}

#[test]
fn unterminated_copy_is_reported() {
    let (items, _) = scan(&b"COPY t (a) FROM stdin;\n1\n2\n"[..]);
    assert_eq!(items.last().unwrap(), "2:copy rows=2 bytes=4 term=false");
    // `\.` without its newline at EOF does not end the data (psql's rule).
    let (items, _) = scan(&b"COPY t (a) FROM stdin;\n1\n\\."[..]);
    assert_eq!(items.last().unwrap(), "2:copy rows=2 bytes=4 term=false");
}

#[test]
fn crlf_terminator_and_empty_copy() {
    let (items, _) = scan(&b"COPY t (a) FROM stdin;\r\n\\.\r\nSELECT 1;"[..]);
    assert_eq!(items[1], "2:copy rows=0 bytes=0 term=true");
    assert_eq!(items[2], "3:stmt select rows=0 term=true []");
}

#[test]
fn unterminated_statement_at_eof() {
    let (items, joined) = scan(&b"SELECT 'abc;"[..]);
    assert_eq!(items, vec!["1:stmt select rows=0 term=false []"]);
    assert_eq!(joined, b"SELECT 'abc;");
}

#[test]
fn meta_command_mid_statement_splits_it() {
    let (items, _) = scan(&b"SELECT 1 \\g /tmp/out\nSELECT 2;"[..]);
    assert_eq!(
        items,
        vec!["1:stmt select rows=0 term=false []", "1:meta g /tmp/out", "2:stmt select rows=0 term=true []"]
    );
}

#[test]
fn pagila_corpus_scans_cleanly() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/pagila-schema.sql");
    let data = std::fs::read(path).expect("../shared/corpus/pagila-schema.sql is part of the workspace");
    let (items, joined) = scan(BufReader::new(&data[..]));
    assert_eq!(joined, data);
    assert!(items.iter().all(|i| !i.contains(":meta ")), "pagila has no meta-commands");
    assert!(items.iter().all(|i| i.contains("term=true")));
    let functions = items.iter().filter(|i| i.contains("[FUNCTION ")).count();
    assert!(functions > 10, "{functions}");
    let mut s = Scanner::new(&data[..]);
    while s.next_item().unwrap().is_some() {}
    assert_eq!(s.header().dumped_from.as_deref(), Some("12.11"));
    assert!(s.header().footer_line.is_some());
}

proptest! {
    /// Any bytes at all: no panic, items tile the input, and every read size
    /// gives the same items.
    #[test]
    fn any_input_rejoins_and_is_chunking_independent(data in proptest::collection::vec(
        prop_oneof![Just(b';'), Just(b'\''), Just(b'"'), Just(b'$'), Just(b'\\'), Just(b'\n'),
                    Just(b'-'), Just(b'/'), Just(b'*'), Just(b'('), Just(b')'), Just(b'.'),
                    Just(b'e'), Just(b' '), Just(b'a'), Just(b'\t'), any::<u8>()], 0..300),
        step in 1usize..9) {
        let whole = scan(&data[..]);
        prop_assert_eq!(&whole.1, &data);
        let dribbled = scan(BufReader::with_capacity(step.max(2), Dribble::new(&data, step)));
        prop_assert_eq!(whole, dribbled);
    }
}
