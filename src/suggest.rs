//! "Did you mean" suggestions.

/// The candidate closest to `word`, when it is close enough to be a typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// A hint "did you mean `x`?" when one candidate is close.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// "did you mean `x`?" when one candidate is close, else the list of them all.
pub fn did_you_mean_or_one_of<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> String {
    let all: Vec<&str> = candidates.into_iter().collect();
    did_you_mean(word, all.iter().copied()).unwrap_or_else(|| format!("one of: {}", all.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_ids_only() {
        assert_eq!(closest("CC6.l", ["CC6.1", "CC7.1"]), Some("CC6.1"));
        assert_eq!(
            closest("frequncy", ["frequency", "owner"]),
            Some("frequency")
        );
        assert_eq!(closest("zzz", ["frequency", "owner"]), None);
    }
}
