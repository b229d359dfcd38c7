//! The card a ticket carries, and its byte layout (see the module docs of `ticket`).

use super::{MAX_OPENINGS, NAME_SHARE_BYTES, Result, TEXT_BUDGET_BYTES, TicketError};
use crate::sex::Sex;

const MAX_PHONE: u64 = 99_999_999_999;

/// What the ticket tells a booth about the villager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub name: String,
    pub birth_year: Option<u16>,
    pub sex: Option<Sex>,
    pub township: String,
    /// Chosen opening ids, 1 to [`MAX_OPENINGS`] of them, each non-zero.
    pub openings: Vec<u16>,
    /// 11 digits, present only if the villager consented to share it.
    pub phone: Option<String>,
}

impl Card {
    /// The card as a ticket carries it: name and township cut at a character boundary to
    /// [`TEXT_BUDGET_BYTES`] together (see the module documentation).
    pub fn fitted(&self) -> Card {
        let name_cap = NAME_SHARE_BYTES.max(TEXT_BUDGET_BYTES.saturating_sub(self.township.len()));
        let name = cut(&self.name, name_cap);
        let township = cut(&self.township, TEXT_BUDGET_BYTES - name.len());
        Card {
            name: name.to_owned(),
            township: township.to_owned(),
            ..self.clone()
        }
    }
}

/// The longest prefix of `s` of at most `max` bytes that ends at a character boundary.
fn cut(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

pub(super) fn encode_card(card: &Card) -> Result<Vec<u8>> {
    let count = card.openings.len();
    match count {
        0 => return Err(TicketError::NoOpenings),
        n if n > MAX_OPENINGS => return Err(TicketError::TooManyOpenings),
        _ => {}
    }
    if card.openings.contains(&0) {
        return Err(TicketError::BadOpeningId);
    }
    let phone = card.phone.as_deref().map(parse_phone).transpose()?;
    let year = match card.birth_year {
        None => Some(0),
        Some(y) => y
            .checked_sub(1900)
            .and_then(|o| u8::try_from(o).ok())
            .filter(|&o| o > 0),
    }
    .ok_or(TicketError::BadBirthYear)?;
    let sex = match card.sex {
        None => 0,
        Some(Sex::Male) => 1,
        Some(Sex::Female) => 2,
    };
    // `count` is 1..=5 here, so the cast is exact.
    let mut out = vec![
        sex | (u8::from(phone.is_some()) << 2) | ((count as u8) << 3),
        year,
    ];
    if let Some(phone) = phone {
        out.extend_from_slice(&phone.to_be_bytes()[3..]);
    }
    for id in &card.openings {
        out.extend_from_slice(&id.to_be_bytes());
    }
    for text in [&card.name, &card.township] {
        // Fitted texts are at most TEXT_BUDGET_BYTES long.
        out.push(u8::try_from(text.len()).map_err(|_| TicketError::Malformed)?);
        out.extend_from_slice(text.as_bytes());
    }
    Ok(out)
}

fn parse_phone(phone: &str) -> Result<u64> {
    if phone.len() != 11 || !phone.bytes().all(|b| b.is_ascii_digit()) {
        return Err(TicketError::BadPhone);
    }
    phone.parse().map_err(|_| TicketError::BadPhone)
}

/// Parses a decrypted card; `None` for any deviation from the layout.
pub(super) fn decode_card(bytes: &[u8]) -> Option<Card> {
    let mut rest = bytes;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, tail) = rest.split_at_checked(n)?;
        rest = tail;
        Some(head)
    };
    let (flags, year) = match take(2)? {
        &[flags, year] => (flags, year),
        _ => return None,
    };
    let sex = match flags & 0b11 {
        0 => None,
        1 => Some(Sex::Male),
        2 => Some(Sex::Female),
        _ => return None,
    };
    let count = usize::from((flags >> 3) & 0b111);
    if flags >> 6 != 0 || !(1..=MAX_OPENINGS).contains(&count) {
        return None;
    }
    let phone = if flags & 0b100 != 0 {
        let n = take(5)?
            .iter()
            .fold(0u64, |acc, &b| acc << 8 | u64::from(b));
        Some(format!("{:011}", Some(n).filter(|&n| n <= MAX_PHONE)?))
    } else {
        None
    };
    let openings: Vec<u16> = take(2 * count)?
        .chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    if openings.contains(&0) {
        return None;
    }
    let mut text = || -> Option<String> {
        let len = usize::from(*take(1)?.first()?);
        String::from_utf8(take(len)?.to_vec()).ok()
    };
    let (name, township) = (text()?, text()?);
    if !rest.is_empty() {
        return None;
    }
    let birth_year = (year != 0).then(|| 1900 + u16::from(year));
    Some(Card {
        name,
        birth_year,
        sex,
        township,
        openings,
        phone,
    })
}
