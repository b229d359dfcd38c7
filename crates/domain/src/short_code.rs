//! The short ticket code a villager or staff member can read out or type: 8 characters
//! from an alphabet without look-alikes, shown as `ABCD-EFGH`.
//!
//! The domain does no I/O: callers pass random bytes (e.g. from `getrandom`) to
//! [`from_random`].

/// Code characters: digits and capitals without `0 O 1 I L`, which are easily confused.
pub const ALPHABET: &str = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Characters in a code.
pub const LEN: usize = 8;
/// Characters per group in the displayed form.
const GROUP: usize = 4;

/// Number of symbols in [`ALPHABET`] (31).
const RADIX: usize = ALPHABET.len();
/// Bytes at or above this are rejected: 248 is the largest multiple of 31 that fits.
const ACCEPT_BELOW: usize = 256 - 256 % RADIX;

/// Why a typed short code was refused. One variant per cause, so the GUI can show a
/// translated message for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ShortCodeError {
    /// `len` counts code characters, not spaces or dashes.
    #[error("a ticket code has 8 characters, this one has {len}")]
    WrongLength { len: usize },
    #[error("'{ch}' does not occur in ticket codes")]
    InvalidCharacter { ch: char },
}

/// Makes a code from 16 random bytes without modulo bias: each byte below 248 picks
/// `ALPHABET[byte % 31]`, bytes 248..=255 are skipped (rejection sampling).
///
/// Fallback: if fewer than 8 bytes are accepted (chance about 3 in 10^10 with uniform
/// bytes), each missing position `k` deterministically uses `bytes[k] % 31`. That is
/// slightly biased but still a valid code; collisions are the caller's to handle anyway.
pub fn from_random(bytes: &[u8; 16]) -> String {
    let alphabet = ALPHABET.as_bytes();
    let mut code: String = bytes
        .iter()
        .map(|&b| usize::from(b))
        .filter(|&b| b < ACCEPT_BELOW)
        .take(LEN)
        .map(|b| char::from(alphabet[b % RADIX]))
        .collect();
    let missing = LEN - code.len();
    for &b in &bytes[..missing] {
        code.push(char::from(alphabet[usize::from(b) % RADIX]));
    }
    code
}

/// Displays a code in groups of four joined by `-`: `ABCDEFGH` → `ABCD-EFGH`.
pub fn format(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / GROUP);
    for (i, ch) in code.chars().enumerate() {
        if i > 0 && i % GROUP == 0 {
            out.push('-');
        }
        out.push(ch);
    }
    out
}

/// Reads a typed or scanned code: case-insensitive, spaces and dashes anywhere are
/// ignored. Returns the bare upper-case code (`ABCDEFGH`). A character outside the
/// alphabet is reported as typed, before the length is checked.
pub fn parse(input: &str) -> Result<String, ShortCodeError> {
    let mut code = String::with_capacity(LEN);
    let mut len = 0;
    for ch in input.chars() {
        if ch.is_whitespace() || matches!(ch, '-' | '－') {
            continue;
        }
        let upper = ch.to_ascii_uppercase();
        if !ALPHABET.contains(upper) {
            return Err(ShortCodeError::InvalidCharacter { ch });
        }
        len += 1;
        if len <= LEN {
            code.push(upper);
        }
    }
    if len == LEN {
        Ok(code)
    } else {
        Err(ShortCodeError::WrongLength { len })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SplitMix64: a tiny deterministic generator for test draws.
    fn splitmix(state: &mut u64) -> u64 {
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn random_bytes(state: &mut u64) -> [u8; 16] {
        let mut out = [0; 16];
        out[..8].copy_from_slice(&splitmix(state).to_le_bytes());
        out[8..].copy_from_slice(&splitmix(state).to_le_bytes());
        out
    }

    #[test]
    fn alphabet_has_no_look_alikes_and_no_repeats() {
        for bad in ['0', 'O', '1', 'I', 'L'] {
            assert!(!ALPHABET.contains(bad), "{bad}");
        }
        let mut chars: Vec<char> = ALPHABET.chars().collect();
        assert!(
            chars
                .iter()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        );
        chars.sort_unstable();
        chars.dedup();
        assert_eq!(chars.len(), 31);
        assert_eq!(ACCEPT_BELOW, 248);
    }

    #[test]
    fn codes_have_eight_alphabet_characters_and_are_deterministic() {
        let bytes = *b"0123456789abcdef";
        let code = from_random(&bytes);
        assert_eq!(code.len(), LEN);
        assert!(code.chars().all(|c| ALPHABET.contains(c)));
        assert_eq!(from_random(&bytes), code);
        assert_eq!(from_random(&[0; 16]), "22222222");
    }

    #[test]
    fn bytes_248_and_above_are_skipped() {
        let mut bytes = [0; 16];
        bytes[..3].copy_from_slice(&[248, 255, 30]);
        // 30 → 'Z', then zeros → '2'.
        assert_eq!(from_random(&bytes), "Z2222222");
    }

    #[test]
    fn fallback_fills_deterministically_when_bytes_run_out() {
        // 255 % 31 == 7 → '9'.
        assert_eq!(from_random(&[255; 16]), "99999999");
        let mut bytes = [250; 16];
        bytes[15] = 1;
        // One accepted byte (1 → '3'), then bytes[0..7] % 31 == 2 → '4'.
        assert_eq!(from_random(&bytes), "34444444");
    }

    #[test]
    fn every_accepted_byte_value_maps_to_each_character_equally_often() {
        let mut counts = [0u32; RADIX];
        for b in 0..=u8::MAX {
            let mut bytes = [0; 16];
            bytes[0] = b;
            let first = from_random(&bytes).chars().next().unwrap();
            if usize::from(b) < ACCEPT_BELOW {
                counts[ALPHABET.find(first).unwrap()] += 1;
            }
        }
        assert!(counts.iter().all(|&n| n == 8), "{counts:?}");
    }

    #[test]
    fn all_characters_appear_evenly_over_many_draws() {
        let mut state = 42;
        let mut counts = [0u32; RADIX];
        let draws = 20_000;
        for _ in 0..draws {
            for ch in from_random(&random_bytes(&mut state)).chars() {
                counts[ALPHABET.find(ch).unwrap()] += 1;
            }
        }
        let expected = (draws * LEN / RADIX) as u32; // about 5161, sd about 71
        for (i, &n) in counts.iter().enumerate() {
            assert!(
                n.abs_diff(expected) < expected / 10,
                "{} appeared {n} times",
                &ALPHABET[i..=i]
            );
        }
    }

    #[test]
    fn format_groups_in_fours() {
        assert_eq!(format("ABCDEFGH"), "ABCD-EFGH");
        assert_eq!(format(""), "");
    }

    #[test]
    fn formatted_code_parses_back() {
        let mut state = 7;
        for _ in 0..100 {
            let code = from_random(&random_bytes(&mut state));
            assert_eq!(parse(&format(&code)), Ok(code));
        }
    }

    #[test]
    fn lower_case_spaces_and_dashes_are_accepted() {
        assert_eq!(parse(" abcd - efgh ").as_deref(), Ok("ABCDEFGH"));
        assert_eq!(parse("a-b c-d-e f g h").as_deref(), Ok("ABCDEFGH"));
    }

    #[test]
    fn wrong_length_is_reported_with_the_count() {
        assert_eq!(
            parse("ABCD-EFG"),
            Err(ShortCodeError::WrongLength { len: 7 })
        );
        assert_eq!(
            parse("ABCD-EFGHJ"),
            Err(ShortCodeError::WrongLength { len: 9 })
        );
        assert_eq!(parse(" - "), Err(ShortCodeError::WrongLength { len: 0 }));
    }

    #[test]
    fn look_alikes_and_symbols_are_invalid_characters() {
        for bad in ['0', 'O', 'o', '1', 'I', 'l', '!', '码'] {
            assert_eq!(
                parse(&format!("ABCD-EFG{bad}")),
                Err(ShortCodeError::InvalidCharacter { ch: bad }),
                "{bad:?}"
            );
        }
    }
}
