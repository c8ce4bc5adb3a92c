//! pg_dump's TOC comments: the reliable map of a plain dump.
//!
//! pg_dump precedes every object with a comment block such as
//! `-- Name: works; Type: TABLE; Schema: public; Owner: app` (or
//! `-- Data for Name: …` before table data), optionally followed by
//! `; Tablespace: ts`. See `_printTocEntry` in pg_backup_archiver.c. Names are
//! written unquoted, with newlines replaced, so a name containing `; Type: `
//! is ambiguous; we split from the right, which is correct for every name
//! that does not contain `; Schema: ` or `; Owner: ` itself.

use std::fmt;

/// One TOC entry, as announced by its comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocEntry {
    /// The object's name as pg_dump printed it (e.g. `works`, or
    /// `works_pkey` for a constraint, `FUNCTION f(integer)` for a comment).
    pub name: String,
    /// pg_dump's object type: `TABLE`, `TABLE DATA`, `INDEX`, `FK CONSTRAINT`…
    pub kind: String,
    /// Schema, or `None` where pg_dump printed `-`.
    pub schema: Option<String>,
    /// Owner, or `None` where pg_dump printed `-` (e.g. `--no-owner`).
    pub owner: Option<String>,
    /// True for `-- Data for Name:` entries.
    pub data: bool,
    /// 1-based line of the `-- Name:` comment.
    pub line: u64,
}

impl TocEntry {
    /// Parses one comment line (with or without its trailing newline).
    /// Returns `None` for lines that are not TOC entries.
    pub fn parse(line: &str, line_no: u64) -> Option<TocEntry> {
        let line = line.trim_end_matches(['\n', '\r']);
        let (data, rest) = if let Some(r) = line.strip_prefix("-- Data for Name: ") {
            (true, r)
        } else if let Some(r) = line.strip_prefix("-- Name: ") {
            (false, r)
        } else {
            return None;
        };
        let rest = match rest.rfind("; Tablespace: ") {
            Some(i) => &rest[..i],
            None => rest,
        };
        let (rest, owner) = rest.rsplit_once("; Owner: ")?;
        let (rest, schema) = rest.rsplit_once("; Schema: ")?;
        let (name, kind) = rest.rsplit_once("; Type: ")?;
        let dash = |s: &str| (s != "-").then(|| s.to_string());
        Some(TocEntry {
            name: name.to_string(),
            kind: kind.to_string(),
            schema: dash(schema),
            owner: dash(owner),
            data,
            line: line_no,
        })
    }
}

impl TocEntry {
    /// The entry as a person reads it, for progress and error messages:
    /// `TABLE DATA public.works`, and for the entries pg_dump names by their
    /// object (`-- Name: TABLE works; Type: COMMENT; Schema: public`)
    /// `COMMENT ON TABLE public.works`, never `COMMENT public.TABLE works`.
    /// [`Display`](fmt::Display) keeps the older form, which schema.json
    /// records for parse errors.
    pub fn label(&self) -> String {
        let schema = self.schema.as_deref().map(crate::schema::quote_ident);
        match self.kind.as_str() {
            "COMMENT" | "ACL" | "SECURITY LABEL" => {
                let Some((object_type, name)) = split_object_type(&self.name) else { return self.to_string() };
                match &schema {
                    Some(s) => format!("{} ON {object_type} {s}.{name}", self.kind),
                    None => format!("{} ON {object_type} {name}", self.kind),
                }
            }
            "DEFAULT ACL" => match &schema {
                Some(s) => format!("{} IN SCHEMA {s}", self.name),
                None => self.name.clone(),
            },
            _ => self.to_string(),
        }
    }
}

/// `TABLE works` → (`TABLE`, `works`); `LARGE OBJECT 42` → (`LARGE OBJECT`,
/// `42`). pg_dump quotes every name that is not lowercase, so the leading
/// all-uppercase words are the object type.
fn split_object_type(name: &str) -> Option<(&str, &str)> {
    let mut end = 0;
    for word in name.split(' ') {
        if word.is_empty() || !word.bytes().all(|b| b.is_ascii_uppercase()) {
            break;
        }
        end += word.len() + 1;
    }
    if end == 0 || end >= name.len() {
        return None;
    }
    Some((&name[..end - 1], &name[end..]))
}

impl fmt::Display for TocEntry {
    /// `TABLE DATA public.works`: the form schema.json records (a parse
    /// error's object); people read [`TocEntry::label`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.schema {
            Some(s) => write!(f, "{} {}.{}", self.kind, s, self.name),
            None => write!(f, "{} {}", self.kind, self.name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_object_and_data_entries() {
        let e = TocEntry::parse("-- Name: works; Type: TABLE; Schema: public; Owner: app", 7).unwrap();
        assert_eq!((e.name.as_str(), e.kind.as_str(), e.data), ("works", "TABLE", false));
        assert_eq!(e.schema.as_deref(), Some("public"));
        assert_eq!(e.owner.as_deref(), Some("app"));
        assert_eq!(e.to_string(), "TABLE public.works");

        let d = TocEntry::parse("-- Data for Name: works; Type: TABLE DATA; Schema: public; Owner: -\n", 9).unwrap();
        assert!(d.data);
        assert_eq!(d.owner, None);
        assert_eq!(d.to_string(), "TABLE DATA public.works");
    }

    #[test]
    fn strips_tablespace_and_keeps_odd_names() {
        let e =
            TocEntry::parse("-- Name: a; b c; Type: TABLE; Schema: odd \"s\"; Owner: o; Tablespace: fast", 1).unwrap();
        assert_eq!(e.name, "a; b c");
        assert_eq!(e.schema.as_deref(), Some("odd \"s\""));
        assert_eq!(e.owner.as_deref(), Some("o"));
    }

    #[test]
    fn schema_dash_means_none() {
        let e = TocEntry::parse("-- Name: plpgsql; Type: EXTENSION; Schema: -; Owner: -", 1).unwrap();
        assert_eq!(e.schema, None);
        assert_eq!(e.to_string(), "EXTENSION plpgsql");
    }

    #[test]
    fn labels_name_the_object_a_comment_or_grant_is_on() {
        let label = |l: &str| TocEntry::parse(l, 1).unwrap().label();
        // Issue 13: progress read "COMMENT public.TABLE authors".
        assert_eq!(
            label("-- Name: TABLE authors; Type: COMMENT; Schema: public; Owner: app"),
            "COMMENT ON TABLE public.authors"
        );
        assert_eq!(
            label("-- Name: COLUMN authors.name; Type: COMMENT; Schema: public; Owner: app"),
            "COMMENT ON COLUMN public.authors.name"
        );
        assert_eq!(
            label("-- Name: LARGE OBJECT 424242; Type: ACL; Schema: -; Owner: app"),
            "ACL ON LARGE OBJECT 424242"
        );
        assert_eq!(
            label("-- Name: SCHEMA \"café\"; Type: COMMENT; Schema: -; Owner: app"),
            "COMMENT ON SCHEMA \"café\""
        );
        assert_eq!(
            label("-- Name: TABLE \"Tab\"\"le\"; Type: ACL; Schema: Mixed Case; Owner: app"),
            "ACL ON TABLE \"Mixed Case\".\"Tab\"\"le\""
        );
        assert_eq!(
            label("-- Name: DEFAULT PRIVILEGES FOR TABLES; Type: DEFAULT ACL; Schema: café; Owner: app"),
            "DEFAULT PRIVILEGES FOR TABLES IN SCHEMA \"café\""
        );
        assert_eq!(
            label("-- Data for Name: works; Type: TABLE DATA; Schema: public; Owner: -"),
            "TABLE DATA public.works"
        );
        // The recorded form stays as it was.
        let e = TocEntry::parse("-- Name: TABLE authors; Type: COMMENT; Schema: public; Owner: app", 1).unwrap();
        assert_eq!(e.to_string(), "COMMENT public.TABLE authors");
    }

    #[test]
    fn ignores_other_comments() {
        assert!(TocEntry::parse("-- Dumped from database version 15.18", 1).is_none());
        assert!(TocEntry::parse("-- Name: broken", 1).is_none());
    }
}
