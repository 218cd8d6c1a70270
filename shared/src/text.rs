//! Text normalisation rules of SPEC §0 that more than one field uses.

use unicode_normalization::UnicodeNormalization;

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

/// Single-line text: trimmed, Unicode NFC, every control character removed.
pub fn normalize_line(input: &str) -> String {
    // Controls go first so that removing one can never join two characters NFC would compose.
    input
        .chars()
        .filter(|c| !c.is_control())
        .nfc()
        .collect::<String>()
        .trim_matches(|c: char| c.is_whitespace())
        .to_owned()
}

/// Multi-line text: as [`normalize_line`] but keeping `\n` and `\t`; `\r\n` becomes `\n` and
/// three or more consecutive newlines collapse to two.
pub fn normalize_multiline(input: &str) -> String {
    let unified = input.replace("\r\n", "\n");
    let mut out = String::with_capacity(unified.len());
    let mut newlines = 0;
    let kept = unified
        .chars()
        .filter(|&c| !c.is_control() || c == '\n' || c == '\t');
    for c in kept.nfc() {
        if c == '\n' {
            newlines += 1;
            if newlines <= 2 {
                out.push(c);
            }
            continue;
        }
        newlines = 0;
        out.push(c);
    }
    out.trim_matches(|c: char| c.is_whitespace()).to_owned()
}

/// Length as SPEC §0 counts it: Unicode scalar values after normalisation.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// Kana fields: half-width katakana become full-width (NFKC), katakana become hiragana.
pub fn to_hiragana(input: &str) -> String {
    input
        .nfkc()
        .map(|c| match c {
            'ァ'..='ヶ' | 'ヽ' | 'ヾ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
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

    #[test]
    fn line_normalisation_trims_composes_and_drops_controls() {
        assert_eq!(normalize_line("  山田\u{0}太郎\t "), "山田太郎");
        // か + combining dakuten → が
        assert_eq!(normalize_line("か\u{3099}"), "が");
        assert_eq!(normalize_line("\u{3000}事業所\u{3000}"), "事業所");
    }

    #[test]
    fn multiline_keeps_two_newlines_at_most() {
        assert_eq!(
            normalize_multiline("a\r\n\r\n\r\n\r\nb\tc\u{7}"),
            "a\n\nb\tc"
        );
    }

    #[test]
    fn katakana_and_halfwidth_become_hiragana() {
        assert_eq!(to_hiragana("ヤマダ タロウ"), "やまだ たろう");
        assert_eq!(to_hiragana("ﾔﾏﾀﾞ"), "やまだ");
        assert_eq!(to_hiragana("ヴァー"), "ゔぁー");
    }

    proptest! {
        #[test]
        fn is_idempotent(input in "\\PC*") {
            let once = halfwidth_numeric(&input);
            prop_assert_eq!(halfwidth_numeric(&once), once.clone());
            let line = normalize_line(&input);
            prop_assert_eq!(normalize_line(&line), line.clone());
            let multi = normalize_multiline(&input);
            prop_assert_eq!(normalize_multiline(&multi), multi.clone());
        }
    }
}
