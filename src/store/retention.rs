//! Retention: which stored packages to keep and which to delete.
//!
//! Grandfather-father-son, as in restic's and borg's `forget`. Packages are
//! sorted newest first (equal times broken by key, descending, so the plan
//! never depends on listing order). `keep_last` keeps the N newest packages.
//! Each calendar rule walks the same order and keeps the newest package of a
//! bucket (UTC day, ISO week, UTC month) for the N most recent buckets that
//! hold a package: a day without packages is not counted, so a pause in
//! backups never spends the budget. The rules are independent; a package kept
//! by several lists every reason.
//!
//! The protected key (the newest package known to be valid) is always kept,
//! so pruning can never leave only broken packages behind. A package known
//! to be invalid takes no slot, so the slot goes to the next package of its
//! bucket, and is kept all the same: pruning never deletes what it could not
//! judge. Pinned packages are kept whatever the rules say. Everything else
//! is deleted. An empty policy keeps nothing but the protected key: callers
//! should refuse it (see [`Policy::is_empty`]) rather than delete everything.
//!
//! This module is pure: it lists nothing and deletes nothing.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Utc};
use serde::{Serialize, Serializer};

/// A stored package, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub key: String,
    pub created: DateTime<Utc>,
    pub size: u64,
    /// Marked by `pgbag pin`: never deleted.
    pub pinned: bool,
    /// Found invalid: takes no slot, and is kept.
    pub invalid: bool,
}

/// How many packages to keep, per rule. Zero turns a rule off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    pub keep_last: usize,
    pub keep_daily: usize,
    pub keep_weekly: usize,
    pub keep_monthly: usize,
}

impl Policy {
    /// True when no rule keeps anything, so [`plan`] would delete every
    /// package except the protected one.
    pub fn is_empty(&self) -> bool {
        self.keep_last == 0 && self.keep_daily == 0 && self.keep_weekly == 0 && self.keep_monthly == 0
    }
}

/// Why a package is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Among the `keep_last` newest; the rank is 1-based.
    Last(usize),
    /// Newest of its UTC day.
    Daily(NaiveDate),
    /// Newest of its ISO week; `year` is the ISO week-numbering year.
    Weekly { year: i32, week: u32 },
    /// Newest of its UTC calendar month.
    Monthly { year: i32, month: u32 },
    /// The protected key.
    NewestValid,
    /// Marked by `pgbag pin`.
    Pinned,
    /// Found invalid: kept, but it takes no slot.
    Invalid,
}

impl Reason {
    /// Whether this reason is a rule's slot (last, daily, weekly, monthly),
    /// which only a valid package may take.
    pub fn is_slot(&self) -> bool {
        matches!(self, Reason::Last(_) | Reason::Daily(_) | Reason::Weekly { .. } | Reason::Monthly { .. })
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Last(rank) => write!(f, "last {rank}"),
            Reason::Daily(day) => write!(f, "daily {day}"),
            Reason::Weekly { year, week } => write!(f, "weekly {year:04}-W{week:02}"),
            Reason::Monthly { year, month } => write!(f, "monthly {year:04}-{month:02}"),
            Reason::NewestValid => f.write_str("newest valid package"),
            Reason::Pinned => f.write_str("pinned"),
            Reason::Invalid => f.write_str("invalid, not counted"),
        }
    }
}

/// Serialized as its [`Display`](fmt::Display) text, e.g. `"weekly 2026-W48"`.
impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The verdict on one package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub key: String,
    /// Serialized as RFC 3339 in UTC, to the second: `2026-11-25T03:00:00Z`.
    #[serde(serialize_with = "rfc3339")]
    pub created: DateTime<Utc>,
    pub size: u64,
    pub keep: bool,
    /// Empty exactly when `keep` is false.
    pub reasons: Vec<Reason>,
}

fn rfc3339<S: Serializer>(created: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&created.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// Decides every candidate, returned newest first (ties broken by key,
/// descending). `protect` names a key that is always kept with
/// [`Reason::NewestValid`]; a key not among the candidates protects nothing.
pub fn plan(mut cands: Vec<Candidate>, policy: &Policy, protect: Option<&str>) -> Vec<Decision> {
    cands.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| b.key.cmp(&a.key)));

    let mut daily = Buckets::new(policy.keep_daily);
    let mut weekly = Buckets::new(policy.keep_weekly);
    let mut monthly = Buckets::new(policy.keep_monthly);

    let mut rank = 0;
    cands
        .into_iter()
        .map(|cand| {
            let day = cand.created.date_naive();
            let week = day.iso_week();
            let mut reasons = Vec::new();
            if cand.invalid {
                reasons.push(Reason::Invalid);
                if cand.pinned {
                    reasons.push(Reason::Pinned);
                }
                return Decision { key: cand.key, created: cand.created, size: cand.size, keep: true, reasons };
            }
            rank += 1;
            if rank <= policy.keep_last {
                reasons.push(Reason::Last(rank));
            }
            if daily.take(day) {
                reasons.push(Reason::Daily(day));
            }
            if weekly.take((week.year(), week.week())) {
                reasons.push(Reason::Weekly { year: week.year(), week: week.week() });
            }
            if monthly.take((day.year(), day.month())) {
                reasons.push(Reason::Monthly { year: day.year(), month: day.month() });
            }
            if protect == Some(cand.key.as_str()) {
                reasons.push(Reason::NewestValid);
            }
            if cand.pinned {
                reasons.push(Reason::Pinned);
            }
            Decision { key: cand.key, created: cand.created, size: cand.size, keep: !reasons.is_empty(), reasons }
        })
        .collect()
}

/// One calendar rule's state while walking newest to oldest. Candidates
/// arrive sorted, so a bucket differing from the last one taken is a new,
/// older bucket and its first package is that bucket's newest.
struct Buckets<T> {
    left: usize,
    last: Option<T>,
}

impl<T: PartialEq> Buckets<T> {
    fn new(limit: usize) -> Self {
        Buckets { left: limit, last: None }
    }

    /// Whether the package in `bucket` is kept by this rule.
    fn take(&mut self, bucket: T) -> bool {
        if self.left == 0 || self.last.as_ref() == Some(&bucket) {
            return false;
        }
        self.left -= 1;
        self.last = Some(bucket);
        true
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    fn cand(key: &str, created: DateTime<Utc>) -> Candidate {
        Candidate { key: key.to_string(), created, size: 100, pinned: false, invalid: false }
    }

    fn key_for(t: DateTime<Utc>) -> String {
        format!("db/{}", t.format("%Y-%m-%dT%H"))
    }

    /// 60 daily packages at 03:00 from 2026-09-30 to 2026-11-28 (a Saturday,
    /// ISO week 48), second packages at 15:00 on 2026-11-28, 2026-11-22 (the
    /// Sunday closing week 47) and 2026-10-31 (the last day of October), and
    /// one lone package in August. Listed oldest first, as S3 would not
    /// promise any order either.
    fn history() -> Vec<Candidate> {
        let first = at(2026, 9, 30, 3);
        let mut cands: Vec<Candidate> = (0..60)
            .map(|i| {
                let t = first + chrono::Duration::days(i);
                cand(&key_for(t), t)
            })
            .collect();
        for t in [at(2026, 11, 28, 15), at(2026, 11, 22, 15), at(2026, 10, 31, 15), at(2026, 8, 15, 3)] {
            cands.push(cand(&key_for(t), t));
        }
        assert_eq!(cands.len(), 64);
        assert_eq!(cands[59].created, at(2026, 11, 28, 3));
        cands
    }

    /// The kept packages as (key, reasons), in plan order.
    fn kept(decisions: &[Decision]) -> Vec<(String, Vec<String>)> {
        decisions
            .iter()
            .filter(|d| d.keep)
            .map(|d| (d.key.clone(), d.reasons.iter().map(Reason::to_string).collect()))
            .collect()
    }

    fn expect(rows: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
        rows.iter().map(|(k, r)| (k.to_string(), r.iter().map(|s| s.to_string()).collect())).collect()
    }

    #[test]
    fn daily_weekly_monthly_keep_the_newest_of_each_bucket() {
        let policy = Policy { keep_daily: 7, keep_weekly: 4, keep_monthly: 3, ..Policy::default() };
        let decisions = plan(history(), &policy, None);

        assert_eq!(decisions.len(), 64);
        assert_eq!(
            kept(&decisions),
            expect(&[
                ("db/2026-11-28T15", &["daily 2026-11-28", "weekly 2026-W48", "monthly 2026-11"]),
                ("db/2026-11-27T03", &["daily 2026-11-27"]),
                ("db/2026-11-26T03", &["daily 2026-11-26"]),
                ("db/2026-11-25T03", &["daily 2026-11-25"]),
                ("db/2026-11-24T03", &["daily 2026-11-24"]),
                ("db/2026-11-23T03", &["daily 2026-11-23"]),
                ("db/2026-11-22T15", &["daily 2026-11-22", "weekly 2026-W47"]),
                ("db/2026-11-15T03", &["weekly 2026-W46"]),
                ("db/2026-11-08T03", &["weekly 2026-W45"]),
                ("db/2026-10-31T15", &["monthly 2026-10"]),
                ("db/2026-09-30T03", &["monthly 2026-09"]),
            ])
        );
        // The older package of a kept day goes; August is the fourth month.
        for gone in ["db/2026-11-28T03", "db/2026-11-22T03", "db/2026-08-15T03"] {
            let d = decisions.iter().find(|d| d.key == gone).unwrap();
            assert!(!d.keep && d.reasons.is_empty(), "{gone} should be deleted: {d:?}");
        }
        assert_eq!(decisions.iter().filter(|d| !d.keep).count(), 53);
    }

    #[test]
    fn decisions_are_sorted_newest_first_whatever_the_input_order() {
        let policy = Policy { keep_daily: 7, keep_weekly: 4, keep_monthly: 3, ..Policy::default() };
        let forward = plan(history(), &policy, None);
        let mut reversed = history();
        reversed.reverse();
        assert_eq!(plan(reversed, &policy, None), forward);
        assert!(forward.windows(2).all(|w| w[0].created >= w[1].created));
        assert_eq!(forward[0].key, "db/2026-11-28T15");
        assert_eq!(forward[63].key, "db/2026-08-15T03");
    }

    #[test]
    fn keep_last_counts_packages_not_days() {
        let policy = Policy { keep_last: 3, ..Policy::default() };
        assert_eq!(
            kept(&plan(history(), &policy, None)),
            expect(&[
                ("db/2026-11-28T15", &["last 1"]),
                ("db/2026-11-28T03", &["last 2"]),
                ("db/2026-11-27T03", &["last 3"]),
            ])
        );
    }

    #[test]
    fn keep_last_larger_than_the_history_keeps_everything() {
        let policy = Policy { keep_last: 1000, ..Policy::default() };
        let decisions = plan(history(), &policy, None);
        assert!(decisions.iter().all(|d| d.keep));
        assert_eq!(decisions[63].reasons, vec![Reason::Last(64)]);
    }

    #[test]
    fn protected_key_is_kept_even_when_the_policy_would_delete_it() {
        let policy = Policy { keep_last: 1, ..Policy::default() };
        let decisions = plan(history(), &policy, Some("db/2026-08-15T03"));
        assert_eq!(
            kept(&decisions),
            expect(&[("db/2026-11-28T15", &["last 1"]), ("db/2026-08-15T03", &["newest valid package"]),])
        );
    }

    #[test]
    fn protected_key_already_kept_lists_both_reasons() {
        let policy = Policy { keep_last: 1, keep_daily: 1, ..Policy::default() };
        let decisions = plan(history(), &policy, Some("db/2026-11-28T15"));
        assert_eq!(
            kept(&decisions),
            expect(&[("db/2026-11-28T15", &["last 1", "daily 2026-11-28", "newest valid package"])])
        );
    }

    #[test]
    fn protecting_an_unknown_key_changes_nothing() {
        let policy = Policy { keep_weekly: 2, ..Policy::default() };
        assert_eq!(plan(history(), &policy, Some("db/missing")), plan(history(), &policy, None));
    }

    #[test]
    fn empty_policy_deletes_all_but_the_protected_key() {
        assert!(Policy::default().is_empty());
        assert!(!Policy { keep_monthly: 1, ..Policy::default() }.is_empty());
        assert!(plan(history(), &Policy::default(), None).iter().all(|d| !d.keep));
        assert_eq!(
            kept(&plan(history(), &Policy::default(), Some("db/2026-11-01T03"))),
            expect(&[("db/2026-11-01T03", &["newest valid package"])])
        );
    }

    #[test]
    fn equal_times_are_ordered_by_key_descending() {
        let t = at(2026, 11, 25, 3);
        let a = cand("db/a", t);
        let b = cand("db/b", t);
        let policy = Policy { keep_daily: 1, ..Policy::default() };
        let one = plan(vec![a.clone(), b.clone()], &policy, None);
        let other = plan(vec![b, a], &policy, None);
        assert_eq!(one, other);
        assert_eq!(kept(&one), expect(&[("db/b", &["daily 2026-11-25"])]));
        assert_eq!(one[1].key, "db/a");
    }

    #[test]
    fn days_without_packages_do_not_count() {
        let cands = vec![
            cand("oct15", at(2026, 10, 15, 3)),
            cand("nov01", at(2026, 11, 1, 3)),
            cand("nov20", at(2026, 11, 20, 3)),
            cand("nov28", at(2026, 11, 28, 3)),
        ];
        let policy = Policy { keep_daily: 3, ..Policy::default() };
        assert_eq!(
            kept(&plan(cands, &policy, None)),
            expect(&[
                ("nov28", &["daily 2026-11-28"]),
                ("nov20", &["daily 2026-11-20"]),
                ("nov01", &["daily 2026-11-01"]),
            ])
        );
    }

    #[test]
    fn days_are_utc_days() {
        // 23:30 and 00:30 UTC the next day are different days, whatever the
        // local zone of whoever made them.
        let late = Utc.with_ymd_and_hms(2026, 11, 24, 23, 30, 0).unwrap();
        let early = Utc.with_ymd_and_hms(2026, 11, 25, 0, 30, 0).unwrap();
        let policy = Policy { keep_daily: 2, ..Policy::default() };
        assert_eq!(
            kept(&plan(vec![cand("late", late), cand("early", early)], &policy, None)),
            expect(&[("early", &["daily 2026-11-25"]), ("late", &["daily 2026-11-24"])])
        );
    }

    #[test]
    fn weeks_use_the_iso_week_year_and_months_the_calendar_year() {
        // ISO 8601 weeks start on Monday and week 1 holds the year's first
        // Thursday: 2024-12-31 falls in 2025-W01, 2021-01-01 in 2020-W53.
        // 2024-W01 and 2023-W01 are neighbours here, so only the year tells
        // them apart.
        let cands = vec![
            cand("2021-01-01", at(2021, 1, 1, 3)),
            cand("2023-01-04", at(2023, 1, 4, 3)),
            cand("2024-01-03", at(2024, 1, 3, 3)),
            cand("2024-12-29", at(2024, 12, 29, 3)),
            cand("2024-12-31", at(2024, 12, 31, 3)),
            cand("2025-01-02", at(2025, 1, 2, 3)),
            cand("2025-01-06", at(2025, 1, 6, 3)),
        ];
        let policy = Policy { keep_weekly: 10, keep_monthly: 10, ..Policy::default() };
        assert_eq!(
            kept(&plan(cands, &policy, None)),
            expect(&[
                ("2025-01-06", &["weekly 2025-W02", "monthly 2025-01"]),
                ("2025-01-02", &["weekly 2025-W01"]),
                ("2024-12-31", &["monthly 2024-12"]),
                ("2024-12-29", &["weekly 2024-W52"]),
                ("2024-01-03", &["weekly 2024-W01", "monthly 2024-01"]),
                ("2023-01-04", &["weekly 2023-W01", "monthly 2023-01"]),
                ("2021-01-01", &["weekly 2020-W53", "monthly 2021-01"]),
            ])
        );
    }

    #[test]
    fn an_invalid_package_takes_no_slot_and_is_kept() {
        let mut cands = history();
        // The newest package of 2026-11-28 and the whole of 2026-11-27 are broken.
        for c in cands.iter_mut().filter(|c| ["db/2026-11-28T15", "db/2026-11-27T03"].contains(&c.key.as_str())) {
            c.invalid = true;
        }
        let policy = Policy { keep_last: 2, keep_daily: 3, ..Policy::default() };
        assert_eq!(
            kept(&plan(cands, &policy, None)),
            expect(&[
                ("db/2026-11-28T15", &["invalid, not counted"]),
                ("db/2026-11-28T03", &["last 1", "daily 2026-11-28"]),
                ("db/2026-11-27T03", &["invalid, not counted"]),
                ("db/2026-11-26T03", &["last 2", "daily 2026-11-26"]),
                ("db/2026-11-25T03", &["daily 2026-11-25"]),
            ])
        );
    }

    #[test]
    fn a_pinned_package_is_kept_whatever_the_rules() {
        let mut cands = history();
        for c in cands.iter_mut().filter(|c| c.key == "db/2026-08-15T03" || c.key == "db/2026-11-28T15") {
            c.pinned = true;
        }
        let policy = Policy { keep_last: 1, ..Policy::default() };
        assert_eq!(
            kept(&plan(cands, &policy, None)),
            expect(&[("db/2026-11-28T15", &["last 1", "pinned"]), ("db/2026-08-15T03", &["pinned"])])
        );
    }

    #[test]
    fn no_candidates_no_decisions() {
        assert!(plan(Vec::new(), &Policy { keep_last: 3, ..Policy::default() }, Some("x")).is_empty());
    }

    #[test]
    fn reasons_display_as_short_text() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let shown: Vec<String> = [
            Reason::Last(1),
            Reason::Daily(day),
            Reason::Weekly { year: 2026, week: 48 },
            Reason::Weekly { year: 2027, week: 3 },
            Reason::Monthly { year: 2026, month: 11 },
            Reason::Monthly { year: 2026, month: 2 },
            Reason::NewestValid,
            Reason::Pinned,
            Reason::Invalid,
        ]
        .iter()
        .map(Reason::to_string)
        .collect();
        assert_eq!(
            shown,
            [
                "last 1",
                "daily 2026-11-25",
                "weekly 2026-W48",
                "weekly 2027-W03",
                "monthly 2026-11",
                "monthly 2026-02",
                "newest valid package",
                "pinned",
                "invalid, not counted"
            ]
        );
    }

    #[test]
    fn decision_serializes_with_rfc3339_seconds_and_reason_text() {
        let created = at(2026, 11, 25, 3) + chrono::Duration::milliseconds(750);
        let decision = Decision {
            key: "db/x.tar.zst".to_string(),
            created,
            size: 42,
            keep: true,
            reasons: vec![Reason::Last(1), Reason::Daily(created.date_naive())],
        };
        assert_eq!(
            serde_json::to_value(&decision).unwrap(),
            serde_json::json!({
                "key": "db/x.tar.zst",
                "created": "2026-11-25T03:00:00Z",
                "size": 42,
                "keep": true,
                "reasons": ["last 1", "daily 2026-11-25"],
            })
        );
    }
}
