//! Content digests of table rows (spec/content-digest.md): the sum, modulo
//! 2^256, of every row's SHA-256 read as a big-endian integer. Insensitive
//! to row order, sensitive to every byte and to how often a row occurs.

use std::fmt;
use std::ops::AddAssign;

use sha2::{Digest as _, Sha256};

/// The digest of a multiset of rows. The default is that of no rows (zero).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowDigest {
    /// Little-endian 64-bit limbs: `limbs[0]` is the least significant.
    limbs: [u64; 4],
}

impl RowDigest {
    /// The digest of one row (its bytes without the newline).
    pub fn of_row(row: &[u8]) -> RowDigest {
        RowDigest::from_hash(&Sha256::digest(row).into())
    }

    fn from_hash(h: &[u8; 32]) -> RowDigest {
        let limb = |i: usize| u64::from_be_bytes(h[32 - 8 * (i + 1)..32 - 8 * i].try_into().expect("8 bytes"));
        RowDigest { limbs: [limb(0), limb(1), limb(2), limb(3)] }
    }

    /// 64 lowercase hexadecimal digits, most significant first.
    pub fn to_hex(self) -> String {
        self.to_string()
    }

    /// Parses [`Self::to_hex`]'s form.
    pub fn from_hex(s: &str) -> Option<RowDigest> {
        if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let mut limbs = [0u64; 4];
        for (i, limb) in limbs.iter_mut().enumerate() {
            let at = 64 - 16 * (i + 1);
            *limb = u64::from_str_radix(&s[at..at + 16], 16).ok()?;
        }
        Some(RowDigest { limbs })
    }
}

impl AddAssign for RowDigest {
    /// Adds modulo 2^256: the digest of the union of two multisets.
    fn add_assign(&mut self, other: RowDigest) {
        let mut carry = false;
        for (a, b) in self.limbs.iter_mut().zip(other.limbs) {
            let (s1, c1) = a.overflowing_add(b);
            let (s2, c2) = s1.overflowing_add(u64::from(carry));
            *a = s2;
            carry = c1 || c2;
        }
    }
}

impl fmt::Display for RowDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for limb in self.limbs.iter().rev() {
            write!(f, "{limb:016x}")?;
        }
        Ok(())
    }
}

/// Hashes rows that arrive in pieces (a row may straddle two buffers):
/// [`Self::update`] with each piece, [`Self::end_row`] at its newline.
#[derive(Default)]
pub struct RowHasher {
    row: Sha256,
    sum: RowDigest,
}

impl RowHasher {
    pub fn update(&mut self, piece: &[u8]) {
        self.row.update(piece);
    }

    /// Ends the row fed so far and adds it to the sum.
    pub fn end_row(&mut self) {
        let h: [u8; 32] = self.row.finalize_reset().into();
        self.sum += RowDigest::from_hash(&h);
    }

    /// Drops what was fed since the last row (the `\.` line is no row).
    pub fn discard_row(&mut self) {
        self.row.reset();
    }

    /// The sum of the rows ended so far.
    pub fn sum(&self) -> RowDigest {
        self.sum
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn digest(rows: &[Vec<u8>]) -> RowDigest {
        let mut d = RowDigest::default();
        for r in rows {
            d += RowDigest::of_row(r);
        }
        d
    }

    #[test]
    fn no_rows_is_zero_and_one_row_is_its_sha256() {
        assert_eq!(RowDigest::default().to_hex(), "0".repeat(64));
        // SHA-256("abc"), as sha256sum gives it.
        assert_eq!(
            RowDigest::of_row(b"abc").to_hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn the_sum_wraps_at_two_to_the_256() {
        let max = RowDigest::from_hex(&"f".repeat(64)).unwrap();
        let one = RowDigest::from_hex(&format!("{}1", "0".repeat(63))).unwrap();
        let mut d = max;
        d += one;
        assert_eq!(d, RowDigest::default());
        let mut carry = RowDigest::from_hex(&format!("{}{}", "0".repeat(48), "f".repeat(16))).unwrap();
        carry += one;
        assert_eq!(carry.to_hex(), format!("{}1{}", "0".repeat(47), "0".repeat(16)));
    }

    #[test]
    fn hex_round_trips_and_rejects_what_is_not_64_hex_digits() {
        let d = RowDigest::of_row(b"x\ty\t\\N");
        assert_eq!(RowDigest::from_hex(&d.to_hex()), Some(d));
        assert_eq!(RowDigest::from_hex("abc"), None);
        assert_eq!(RowDigest::from_hex(&"g".repeat(64)), None);
        assert_eq!(RowDigest::from_hex(&format!("+{}", "0".repeat(63))), None);
    }

    proptest! {
        #[test]
        fn row_order_does_not_change_the_digest(
            rows in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..40), 0..30),
            seed in any::<u64>(),
        ) {
            let mut shuffled = rows.clone();
            // A deterministic permutation from the seed.
            let mut s = seed | 1;
            for i in (1..shuffled.len()).rev() {
                s ^= s << 13; s ^= s >> 7; s ^= s << 17;
                shuffled.swap(i, (s % (i as u64 + 1)) as usize);
            }
            prop_assert_eq!(digest(&rows), digest(&shuffled));
        }

        #[test]
        fn changing_adding_removing_or_duplicating_a_row_changes_it(
            rows in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..40), 1..30),
            pick in any::<prop::sample::Index>(),
            byte in any::<u8>(),
        ) {
            let d = digest(&rows);
            let i = pick.index(rows.len());

            let mut changed = rows.clone();
            let row = &mut changed[i];
            match row.first_mut() {
                Some(b) if *b != byte => *b = byte,
                Some(b) => *b = b.wrapping_add(1),
                None => row.push(byte),
            }
            prop_assert_ne!(digest(&changed), d);

            let mut removed = rows.clone();
            removed.remove(i);
            prop_assert_ne!(digest(&removed), d);

            let mut duplicated = rows.clone();
            duplicated.push(rows[i].clone());
            prop_assert_ne!(digest(&duplicated), d);

            let mut added = rows.clone();
            added.push(b"a row that was not there".to_vec());
            prop_assert_ne!(digest(&added), d);
        }

        #[test]
        fn rows_fed_in_pieces_digest_as_rows_fed_whole(
            rows in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..60), 0..20),
            cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..4),
        ) {
            let mut h = RowHasher::default();
            for r in &rows {
                let mut at: Vec<usize> = cuts.iter().map(|c| c.index(r.len() + 1)).collect();
                at.sort_unstable();
                let mut from = 0;
                for to in at {
                    h.update(&r[from..to]);
                    from = to;
                }
                h.update(&r[from..]);
                h.end_row();
            }
            // A terminator fed and discarded is no row.
            h.update(b"\\.");
            h.discard_row();
            prop_assert_eq!(h.sum(), digest(&rows));
        }
    }
}
