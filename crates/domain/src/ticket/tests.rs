use super::base32::{BASE32, base32_decode, base32_encode};
use super::card::decode_card;
use super::fixtures::{
    FAIR, LEGACY_V1_TICKET, NONCE, REG, check, full_card, keys, ticket, typical_card,
};
use super::*;
use crate::sex::Sex;

#[test]
fn an_issued_ticket_verifies_to_the_same_card() {
    let card = typical_card();
    let verified = check(&ticket(&card)).unwrap();
    assert_eq!(
        verified,
        VerifiedTicket {
            registration_id: REG,
            version: 1,
            card
        }
    );
    let bare = Card {
        birth_year: None,
        sex: None,
        name: String::new(),
        township: String::new(),
        ..typical_card()
    };
    assert_eq!(check(&ticket(&bare)).unwrap().card, bare);
}

#[test]
fn a_full_size_card_fits_qr_version_10_with_its_texts_cut_at_char_boundaries() {
    let card = full_card();
    let text = ticket(&card);
    println!(
        "maximal ticket: {} chars, QR version {:?}",
        text.len(),
        qr_version(&text)
    );
    let typical = ticket(&typical_card());
    println!(
        "typical ticket: {} chars, QR version {:?}",
        typical.len(),
        qr_version(&typical)
    );
    assert!(text.len() <= MAX_TICKET_CHARS);
    assert!(qr_version(&text).unwrap() <= 10);
    let got = check(&text).unwrap().card;
    assert!(card.name.starts_with(&got.name) && card.township.starts_with(&got.township));
    assert_eq!(got.name.chars().count(), NAME_SHARE_BYTES / 3);
    assert_eq!(got.name.len() + got.township.len(), TEXT_BUDGET_BYTES);
    assert_eq!(got.openings, card.openings);
}

#[test]
fn four_byte_characters_are_never_split() {
    let card = Card {
        name: "𠀀".repeat(30),
        township: "𠀁".repeat(30),
        ..full_card()
    };
    let got = check(&ticket(&card)).unwrap().card;
    assert_eq!((got.name, got.township), ("𠀀".repeat(9), "𠀁".repeat(6)));
}

#[test]
fn a_short_township_leaves_its_room_to_the_name() {
    let card = Card {
        township: "乡".into(),
        ..full_card()
    };
    let fitted = card.fitted();
    assert_eq!(
        (fitted.name.chars().count(), fitted.township.as_str()),
        (19, "乡")
    );
    let short = typical_card();
    assert_eq!(short.fitted(), short);
}

#[test]
fn every_card_shape_at_full_size_stays_within_qr_version_10() {
    for sex in [None, Some(Sex::Male)] {
        for phone in [None, Some("10000000000".to_string())] {
            for n in 1..=MAX_OPENINGS as u16 {
                let card = Card {
                    sex,
                    phone: phone.clone(),
                    openings: (1..=n).collect(),
                    ..full_card()
                };
                assert!(qr_version(&ticket(&card)).unwrap() <= 10);
            }
        }
    }
}

#[test]
fn every_single_character_change_is_rejected() {
    let text = ticket(&typical_card());
    let last = text.len() - 1;
    for (i, original) in text.char_indices() {
        // The last character also carries the zero padding bits: try the whole alphabet there.
        let substitutes: &[u8] = if i == last { BASE32 } else { b"AQ27" };
        for substitute in substitutes.iter().map(|&b| char::from(b)) {
            if substitute != original {
                let mut changed = text.clone();
                changed.replace_range(i..=i, &substitute.to_string());
                assert!(
                    check(&changed).is_err(),
                    "position {i} changed to {substitute}"
                );
            }
        }
    }
}

#[test]
fn every_truncation_of_a_ticket_is_rejected() {
    let text = ticket(&typical_card());
    for end in 0..text.len() {
        assert!(check(&text[..end]).is_err(), "cut at {end}");
    }
}

#[test]
fn a_ticket_of_another_fair_is_reported_as_such() {
    let other = issue(&keys(2), "other-fair", REG, 1, &typical_card(), NONCE).unwrap();
    assert_eq!(check(&other), Err(TicketError::OtherFair));
}

#[test]
fn a_wrong_verifying_key_gives_bad_signature() {
    let mut bytes = keys(1).verifier().to_bytes();
    bytes[..32].copy_from_slice(&keys(2).verifier().to_bytes()[..32]);
    let booth = BoothKeys::from_bytes(&bytes).unwrap();
    assert_eq!(
        verify(&booth, FAIR, &ticket(&typical_card())),
        Err(TicketError::BadSignature)
    );
}

#[test]
fn a_wrong_card_key_gives_undecryptable() {
    let mut bytes = keys(1).verifier().to_bytes();
    bytes[63] ^= 1;
    let booth = BoothKeys::from_bytes(&bytes).unwrap();
    assert_eq!(
        verify(&booth, FAIR, &ticket(&typical_card())),
        Err(TicketError::Undecryptable)
    );
}

#[test]
fn lower_case_and_surrounding_whitespace_from_scanners_are_accepted() {
    let text = ticket(&typical_card());
    assert!(check(&format!("{}\r\n", text.to_ascii_lowercase())).is_ok());
    assert!(check(&format!(" \t{text}\n")).is_ok());
    let mut inner = text.clone();
    inner.insert(20, ' ');
    assert_eq!(check(&inner), Err(TicketError::Malformed));
    assert_eq!(check(&format!("{text}=")), Err(TicketError::Malformed));
}

#[test]
fn garbage_empty_and_huge_input_give_errors_without_panicking() {
    let valid = ticket(&typical_card());
    for input in [
        "",
        " \r\n",
        "JK",
        "JK1",
        "JK1A",
        "hello",
        "JK1中文",
        "ＪＫ1AAAA",
        "JK1AAAAAAAA=",
    ] {
        assert!(check(input).is_err(), "{input:?}");
    }
    assert_eq!(check("JK3AAAA"), Err(TicketError::UnsupportedVersion));
    assert_eq!(check("JK9AAAA"), Err(TicketError::UnsupportedVersion));
    assert_eq!(check("https://example.com"), Err(TicketError::NotATicket));
    assert_eq!(
        check(&format!("JK1{}", "A".repeat(MAX_SCANNED_BYTES))),
        Err(TicketError::NotATicket)
    );
    assert_eq!(
        check(&format!("{valid}{}", "A".repeat(MAX_SCANNED_BYTES))),
        Err(TicketError::NotATicket)
    );
    assert!(check(&"\u{10FFFF}".repeat(1_000_000)).is_err());
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..2_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let len = (state % 350) as usize;
        let random: String = (0..len)
            .map(|i| char::from(BASE32[((state >> (i % 59)) & 31) as usize]))
            .collect();
        assert!(check(&format!("JK1{random}")).is_err());
        let bytes: Vec<u8> = (0..len % 90).map(|i| (state >> (i % 56)) as u8).collect();
        let _ = decode_card(&bytes);
    }
}

#[test]
fn the_phone_is_absent_when_not_shared() {
    let card = Card {
        phone: None,
        ..typical_card()
    };
    let text = ticket(&card);
    assert_eq!(check(&text).unwrap().card.phone, None);
    assert!(text.len() < ticket(&typical_card()).len());
    let leading_zero = Card {
        phone: Some("01234567890".into()),
        ..typical_card()
    };
    assert_eq!(check(&ticket(&leading_zero)).unwrap().card, leading_zero);
}

#[test]
fn the_ticket_bytes_show_no_personal_data_in_the_clear() {
    let card = typical_card();
    let bytes = base32_decode(&ticket(&card).as_bytes()[3..]).unwrap();
    let phone = 13_800_000_000u64.to_be_bytes();
    for needle in [card.name.as_bytes(), card.township.as_bytes(), &phone[3..]] {
        assert!(!bytes.windows(needle.len()).any(|w| w == needle));
    }
}

#[test]
fn invalid_cards_are_refused_with_their_reason() {
    let with = |openings: Vec<u16>, phone: &str, birth_year| {
        let card = Card {
            openings,
            phone: Some(phone.into()),
            birth_year,
            ..typical_card()
        };
        issue(&keys(1), FAIR, REG, 1, &card, NONCE)
    };
    let ok = "13800000000";
    assert_eq!(with(vec![], ok, None), Err(TicketError::NoOpenings));
    assert_eq!(
        with(vec![1; 6], ok, None),
        Err(TicketError::TooManyOpenings)
    );
    assert_eq!(with(vec![3, 0], ok, None), Err(TicketError::BadOpeningId));
    for phone in [
        "1380000000",
        "138000000000",
        "1380000000a",
        "+8613800000",
        "１３８００００００００",
    ] {
        assert_eq!(
            with(vec![1], phone, None),
            Err(TicketError::BadPhone),
            "{phone}"
        );
    }
    for year in [0, 1900, 2156] {
        assert_eq!(
            with(vec![1], ok, Some(year)),
            Err(TicketError::BadBirthYear),
            "{year}"
        );
    }
    assert!(with(vec![1], ok, Some(1901)).is_ok());
}

#[test]
fn keys_survive_their_stored_form() {
    let fair = FairKeys::from_bytes(&[5; 64]);
    assert_eq!(fair.to_bytes(), [5; 64]);
    assert_eq!(
        FairKeys::from_bytes(&fair.to_bytes()).verifier(),
        fair.verifier()
    );
    let booth = fair.verifier();
    assert_eq!(BoothKeys::from_bytes(&booth.to_bytes()), Ok(booth.clone()));
    assert_eq!(booth.to_bytes()[32..], [5; 32]);
    assert!(!format!("{fair:?}{booth:?}").contains("5, 5, 5"));
}

#[test]
fn booth_keys_refuse_invalid_and_weak_verifying_keys() {
    let mut bytes = [0; 64];
    bytes[0] = 2; // y = 2 is not on the curve
    assert_eq!(BoothKeys::from_bytes(&bytes), Err(TicketError::InvalidKey));
    bytes[0] = 1; // the identity point
    assert_eq!(BoothKeys::from_bytes(&bytes), Err(TicketError::InvalidKey));
}

#[test]
fn base32_matches_rfc_4648_and_rejects_non_canonical_text() {
    let vectors = [
        ("", ""),
        ("f", "MY"),
        ("fo", "MZXQ"),
        ("foo", "MZXW6"),
        ("foob", "MZXW6YQ"),
    ];
    for (plain, encoded) in vectors
        .into_iter()
        .chain([("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI")])
    {
        assert_eq!(base32_encode(plain.as_bytes()), encoded);
        assert_eq!(base32_decode(encoded.as_bytes()).unwrap(), plain.as_bytes());
    }
    for bad in [
        "MZ",
        "M",
        "MZX",
        "MZXW6YTBO",
        "MZXW6YTBOJ",
        "MY======",
        "my",
    ] {
        assert_eq!(base32_decode(bad.as_bytes()), None, "{bad}");
    }
}

#[test]
fn qr_matrix_rejects_what_alphanumeric_mode_cannot_hold() {
    assert_eq!(qr_matrix("jk1abc"), Err(TicketError::NotATicket));
    assert_eq!(qr_matrix(&"A".repeat(3392)), Err(TicketError::QrTooLarge));
    assert_eq!(qr_version(&"A".repeat(3391)), Some(40));
    assert_eq!(qr_version(&"A".repeat(311)), Some(10));
    assert_eq!(qr_version(&"A".repeat(312)), Some(11));
}

#[test]
fn the_rendered_qr_code_decodes_to_the_ticket_text() {
    for card in [typical_card(), full_card()] {
        let text = ticket(&card);
        let (width, modules) = qr_matrix(&text).unwrap();
        assert_eq!(
            (width, modules.len()),
            (
                17 + 4 * usize::from(qr_version(&text).unwrap()),
                width * width
            )
        );
        let (scale, quiet) = (4, 4);
        let side = ((width + 2 * quiet) * scale) as u32;
        let image = image::GrayImage::from_fn(side, side, |x, y| {
            let (mx, my) = (
                (x as usize / scale).wrapping_sub(quiet),
                (y as usize / scale).wrapping_sub(quiet),
            );
            let dark = mx < width && my < width && modules[my * width + mx];
            image::Luma([if dark { 0 } else { 255 }])
        });
        let mut png = std::io::Cursor::new(Vec::new());
        image.write_to(&mut png, image::ImageFormat::Png).unwrap();
        let image = image::load_from_memory(png.get_ref()).unwrap().to_luma8();
        let mut prepared =
            rqrr::PreparedImage::prepare_from_greyscale(side as usize, side as usize, |x, y| {
                image.get_pixel(x as u32, y as u32)[0]
            });
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1);
        let (meta, content) = grids[0].decode().unwrap();
        assert_eq!(
            (content, meta.ecc_level),
            (text, 0),
            "ecc_level 0 is M in the format bits"
        );
    }
}

#[test]
fn tickets_carry_their_signed_version_and_format_1_tickets_still_verify_as_version_0() {
    let card = typical_card();
    for version in [1, 2, 65535] {
        let text = issue(&keys(1), FAIR, REG, version, &card, NONCE).unwrap();
        assert!(text.starts_with("JK2"), "{text}");
        let read = check(&text).unwrap();
        assert_eq!((read.version, &read.card), (version, &card));
    }
    assert_eq!(
        issue(&keys(1), FAIR, REG, 0, &card, NONCE),
        Err(TicketError::BadVersion)
    );
    // A ticket printed before tickets had versions: read, older than any new one.
    let legacy = check(LEGACY_V1_TICKET).unwrap();
    assert_eq!(
        (legacy.registration_id, legacy.version, legacy.card),
        (REG, 0, card)
    );
    // Its format digit cannot be bumped to pass for a versioned ticket.
    let relabelled = LEGACY_V1_TICKET.replacen("JK1", "JK2", 1);
    assert!(check(&relabelled).is_err());
}

#[test]
fn the_version_bytes_are_covered_by_the_signature() {
    let text = ticket(&typical_card());
    let mut bytes = base32_decode(&text.as_bytes()[3..]).unwrap();
    bytes[22] ^= 1; // version 1 → 0, or the low byte of any version changed
    let forged = format!("JK2{}", base32_encode(&bytes));
    assert_eq!(check(&forged), Err(TicketError::BadSignature));
}

#[test]
fn a_card_sealed_at_rest_opens_only_with_its_keys_and_its_binding() {
    let booth = keys(1).verifier();
    let card = br#"{"name":"Test","phone":"13800001234"}"#;
    let sealed = booth.seal_at_rest([5; AT_REST_NONCE_LEN], b"booth 3 / reg 1", card);
    assert_eq!(sealed.len(), AT_REST_NONCE_LEN + card.len() + 16);
    assert!(
        !sealed.windows(11).any(|w| w == b"13800001234"),
        "the phone is not in the sealed bytes"
    );
    assert_eq!(
        booth.open_at_rest(b"booth 3 / reg 1", &sealed).unwrap(),
        card
    );
    // Bound to its row: another booth's or villager's row does not open it.
    assert_eq!(
        booth.open_at_rest(b"booth 4 / reg 1", &sealed),
        Err(TicketError::Undecryptable)
    );
    // Another fair's keys do not open it.
    assert_eq!(
        keys(2).verifier().open_at_rest(b"booth 3 / reg 1", &sealed),
        Err(TicketError::Undecryptable)
    );
    // A changed byte, or a cut one, does not open.
    let mut flipped = sealed.clone();
    *flipped.last_mut().unwrap() ^= 1;
    assert_eq!(
        booth.open_at_rest(b"booth 3 / reg 1", &flipped),
        Err(TicketError::Undecryptable)
    );
    assert_eq!(
        booth.open_at_rest(b"booth 3 / reg 1", &sealed[..5]),
        Err(TicketError::Malformed)
    );
    // Fresh nonces, different bytes; and not the tickets' key (a derived one).
    let again = booth.seal_at_rest([6; AT_REST_NONCE_LEN], b"booth 3 / reg 1", card);
    assert_ne!(sealed[AT_REST_NONCE_LEN..], again[AT_REST_NONCE_LEN..]);
    let raw =
        chacha20poly1305::ChaCha20Poly1305::new(&chacha20poly1305::Key::from(keys(1).card_key));
    use chacha20poly1305::aead::Aead;
    let under_card_key = raw
        .encrypt(
            &chacha20poly1305::Nonce::from([5; AT_REST_NONCE_LEN]),
            chacha20poly1305::aead::Payload {
                msg: &card[..],
                aad: b"booth 3 / reg 1",
            },
        )
        .unwrap();
    assert_ne!(sealed[AT_REST_NONCE_LEN..], under_card_key[..]);
}
