//! Text normalisation rules of SPEC §0 that more than one field uses.

/// Numeric text: full-width digits and hyphen-like characters become half-width, surrounding
/// whitespace (including the full-width space) is removed.
pub fn halfwidth_numeric(input: &str) -> String {
    input
        .trim_matches(|c: char| c.is_whitespace())
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' | 'ー' | '‐' | '−' | '―' => '-',
            '／' => '/',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn converts_fullwidth_digits_and_hyphens() {
        assert_eq!(halfwidth_numeric("　２０２６－０４ー０１ "), "2026-04-01");
        assert_eq!(halfwidth_numeric("２０２６／４／１"), "2026/4/1");
        assert_eq!(halfwidth_numeric("abc"), "abc");
    }

    proptest! {
        #[test]
        fn is_idempotent(input in "\\PC*") {
            let once = halfwidth_numeric(&input);
            prop_assert_eq!(halfwidth_numeric(&once), once.clone());
        }
    }
}
