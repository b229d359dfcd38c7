//! Typed phone numbers: parse, and what a parsed number promises.
#![no_main]

use jobfair_kiosk_fuzz::domain::phone::{DIGITS, Phone, PhoneError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match Phone::parse(&text) {
        Ok(phone) => {
            let s = phone.as_str();
            assert_eq!(s.len(), DIGITS);
            assert!(s.bytes().all(|b| b.is_ascii_digit()));
            assert!(s.starts_with('1') && (b'3'..=b'9').contains(&s.as_bytes()[1]));
            // The normal form parses to itself, with or without the country prefix.
            assert_eq!(Phone::parse(s).as_ref(), Ok(&phone));
            assert_eq!(Phone::parse(&format!("+86 {s}")).as_ref(), Ok(&phone));
            assert_eq!(phone.last4(), &s[7..]);
            assert_eq!(phone.masked(), format!("{}****{}", &s[..3], &s[7..]));
            assert_eq!(phone.to_string(), phone.masked());
            // Every ASCII or fullwidth digit of the input is kept, in order, at the end.
            let digits: String = text
                .chars()
                .filter_map(|c| match c {
                    '0'..='9' => Some(c),
                    '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
                    _ => None,
                })
                .collect();
            assert!(digits.ends_with(s), "{text:?} → {s}");
        }
        Err(PhoneError::WrongLength { digits }) => assert_ne!(digits, DIGITS),
        Err(PhoneError::InvalidCharacter { ch }) => assert!(text.contains(ch)),
        Err(PhoneError::TooLong) => assert!(text.chars().count() > 32),
        Err(_) => {}
    }
});
