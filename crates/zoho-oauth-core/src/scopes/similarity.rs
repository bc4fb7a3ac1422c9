//! How far a typed name is from a known one, so the validator can say "did you mean"
//! for the typos people make: a missing, extra or wrong letter, or two letters swapped.

/// Edit distance ignoring ASCII case, counting an insertion, a deletion, a substitution
/// or a swap of two neighbouring letters as one edit (optimal string alignment).
pub(super) fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    // rows[i][j] = distance between the first i letters of a and the first j of b.
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let substitution = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + substitution);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

/// The candidate closest to `target` within `max` edits; on a tie, the first one.
pub(super) fn closest<'a>(
    target: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    max: usize,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (distance(target, candidate), candidate))
        .filter(|(d, _)| *d <= max)
        .min_by_key(|(d, _)| *d)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_typos_as_single_edits() {
        let cases = [
            ("ZohoBooks", "ZohoBooks", 0),
            ("zohobooks", "ZohoBooks", 0),
            ("ZohoBook", "ZohoBooks", 1),
            ("ZohoBoosk", "ZohoBooks", 1),
            ("ZohoBoks", "ZohoBooks", 1),
            ("ZohoBxoks", "ZohoBooks", 1),
            ("READS", "READ", 1),
            ("CRAETE", "CREATE", 1),
            ("", "READ", 4),
            ("pay", "pos", 2),
        ];
        for (a, b, expected) in cases {
            assert_eq!(distance(a, b), expected, "{a} vs {b}");
            assert_eq!(distance(b, a), expected, "{b} vs {a}");
        }
    }

    #[test]
    fn closest_picks_the_nearest_within_the_limit() {
        let names = ["ZohoBooks", "ZohoCRM", "Desk"];
        assert_eq!(closest("ZohoBook", names, 2), Some("ZohoBooks"));
        assert_eq!(closest("ZohoCRN", names, 1), Some("ZohoCRM"));
        assert_eq!(closest("ZohoSign", names, 2), None);
    }
}
