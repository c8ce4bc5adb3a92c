//! Findings for the dump's hazards: where psql could read it differently
//! from pgbag, and SQL that reaches outside the database (spec/findings.md,
//! "SQL that psql could read differently"). They are warnings: the package
//! is what was packed, but restore refuses it.

use std::collections::BTreeMap;

use super::findings::{Code, Findings};
use super::format;
use crate::sql::{HazardCode, Hazards};

/// At most this many findings per code; the rest are counted in one more.
const PER_CODE: usize = 10;

/// The hazards of the dump at `at` (`data/dump.sql`, or a bare dump's name).
pub fn hazard_findings(hazards: &Hazards, at: &str, f: &mut Findings) {
    let mut shown: BTreeMap<&'static str, usize> = BTreeMap::new();
    for h in &hazards.kept {
        let n = shown.entry(h.code.code()).or_default();
        *n += 1;
        if *n > PER_CODE {
            continue;
        }
        let message = match h.code {
            HazardCode::OutsideDatabase(class) => {
                format!("SQL that pg_dump never writes ({class}): {}: {}", h.code.explain(), h.detail)
            }
            code if h.detail.is_empty() => code.explain(),
            code => format!("{}: {}", code.explain(), h.detail),
        };
        let hint = match h.code {
            HazardCode::OutsideDatabase(class) => format!(
                "pgbag restore refuses it; read the statement, and pass --allow-sql {class} only if you trust it"
            ),
            _ => "pgbag restore refuses this dump: psql could read it differently from pgbag. Read the line; \
                  restore by hand only if you trust the dump"
                .to_string(),
        };
        f.warning(code_of(h.code), message).at(at).line(h.line).hint(hint);
    }
    let listed: usize = shown.values().map(|n| (*n).min(PER_CODE)).sum();
    let more = hazards.total.saturating_sub(listed as u64);
    if more > 0 {
        f.warning(Code::SqlHazardsMore, format!("{} like the ones above", format::count(more, "more place"))).at(at);
    }
}

/// The finding code of a hazard (the same text as [`HazardCode::code`]).
fn code_of(h: HazardCode) -> Code {
    match h {
        HazardCode::NulByte => Code::SqlNulByte,
        HazardCode::CarriageReturn => Code::SqlCarriageReturn,
        HazardCode::AmbiguousString => Code::SqlAmbiguousString,
        HazardCode::AmbiguousNumber => Code::SqlAmbiguousNumber,
        HazardCode::UnquotedNonAscii => Code::SqlUnquotedNonAscii,
        HazardCode::PsqlVariable => Code::SqlPsqlVariable,
        HazardCode::CopyLineTrailing => Code::SqlCopyLineTrailing,
        HazardCode::SettingChanged => Code::SqlSettingChanged,
        HazardCode::EncodingUnsafe => Code::SqlEncodingUnsafe,
        HazardCode::StatementTooLarge => Code::SqlStatementTooLarge,
        HazardCode::MetaCommandInStatement => Code::SqlMetaCommandInStatement,
        HazardCode::OutsideDatabase(_) => Code::SqlOutsideDatabase,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::SqlClass;

    #[test]
    fn hazard_codes_are_finding_codes() {
        let mut all = vec![
            HazardCode::NulByte,
            HazardCode::CarriageReturn,
            HazardCode::AmbiguousString,
            HazardCode::AmbiguousNumber,
            HazardCode::UnquotedNonAscii,
            HazardCode::PsqlVariable,
            HazardCode::CopyLineTrailing,
            HazardCode::SettingChanged,
            HazardCode::EncodingUnsafe,
            HazardCode::StatementTooLarge,
            HazardCode::MetaCommandInStatement,
        ];
        all.extend(SqlClass::ALL.map(HazardCode::OutsideDatabase));
        for h in all {
            assert_eq!(code_of(h).as_str(), h.code());
        }
    }
}
