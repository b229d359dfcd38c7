//! A villager who changed their openings gets a new ticket; the old one must not undo
//! that at a booth. Tickets carry a signed version; a device that has seen a newer
//! ticket of a sign-up refuses an older one and keeps the newer card. Tickets printed
//! before versions existed (format 1, `JK1`) still work where they are the newest.

mod common;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use common::{draft, open_kiosk};
use ed25519_dalek::{Signer, SigningKey};
use jobfair_kiosk::app::booth::ScanOutcome;
use jobfair_kiosk::app::kit::{KitRole, install_kit};
use jobfair_kiosk::app::{Kiosk, KioskOptions};
use jobfair_kiosk::domain::ticket;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// A kiosk with booth "baichuan" (openings 101, 102, 103) and a villager who chose 101
/// and 102, then changed to all three: (kiosk, booth, registration, old, new ticket).
fn villager_who_changed_openings(dir: &std::path::Path) -> (Kiosk, i64, Uuid, String, String) {
    let mut kiosk = open_kiosk(dir);
    let booth = kiosk.add_booth("baichuan").unwrap().booth.id;
    let mut d = draft(&kiosk, 1);
    d.openings = vec![101, 102];
    let first = kiosk.register(&d).unwrap();
    let last4 = &d.phone.as_str()[7..];
    let newer = kiosk
        .reissue(first.registration_id, last4, &[101, 102, 103])
        .unwrap();
    (
        kiosk,
        booth,
        first.registration_id,
        first.ticket,
        newer.ticket,
    )
}

fn openings_listed(kiosk: &Kiosk, booth: i64) -> Vec<Vec<u16>> {
    kiosk
        .booth_candidates_today(booth)
        .unwrap()
        .into_iter()
        .map(|c| c.card.openings)
        .collect()
}

#[test]
fn a_booth_device_that_saw_the_new_ticket_refuses_the_old_one_and_keeps_three_openings() {
    let dir = tempfile::tempdir().unwrap();
    let (kiosk, _, reg, old, new) = villager_who_changed_openings(dir.path());
    let versions = |t: &str| {
        ticket::verify(&kiosk.keys().verifier(), &kiosk.fair().fair.id, t)
            .unwrap()
            .version
    };
    assert_eq!((versions(&old), versions(&new)), (1, 2));
    // A standalone booth device (booth kit), as recruiters bring their own laptops.
    let kit = dir.path().join("booth-kit.json");
    kiosk.write_kit(KitRole::Booth, &kit).unwrap();
    let device_dir = tempfile::tempdir().unwrap();
    install_kit(device_dir.path(), &kit).unwrap();
    let mut device = Kiosk::open(&KioskOptions::new(device_dir.path())).unwrap();
    let booth = device.add_booth("baichuan").unwrap().booth.id;

    let ScanOutcome::Candidate(c) = device.booth_scan(booth, &new).unwrap() else {
        panic!("the new ticket reads");
    };
    assert_eq!(
        (c.registration_id, c.card.openings),
        (reg, vec![101, 102, 103])
    );
    let outcome = device.booth_scan(booth, &old).unwrap();
    assert!(
        !matches!(outcome, ScanOutcome::Candidate(_)),
        "the old ticket must not overwrite the newer card: {outcome:?}"
    );
    assert_eq!(outcome, ScanOutcome::Superseded);
    assert_eq!(
        openings_listed(&device, booth),
        [vec![101, 102, 103]],
        "今日求职者 keeps the third opening"
    );
    // Scanning the new ticket again is fine.
    assert!(matches!(
        device.booth_scan(booth, &new).unwrap(),
        ScanOutcome::Candidate(_)
    ));
}

#[test]
fn the_kiosk_that_reissued_refuses_the_old_ticket_at_its_own_booth() {
    let dir = tempfile::tempdir().unwrap();
    let (mut kiosk, booth, _, old, new) = villager_who_changed_openings(dir.path());
    assert_eq!(
        kiosk.booth_scan(booth, &old).unwrap(),
        ScanOutcome::Superseded,
        "it issued the newer one, so it knows"
    );
    assert!(openings_listed(&kiosk, booth).is_empty());
    assert!(matches!(
        kiosk.booth_scan(booth, &new).unwrap(),
        ScanOutcome::Candidate(_)
    ));
    assert_eq!(openings_listed(&kiosk, booth), [vec![101, 102, 103]]);
}

/// A ticket as this program printed them before tickets had versions (format 1).
fn format_1_ticket(kiosk: &Kiosk, reg: Uuid, card: &[u8]) -> String {
    let keys = kiosk.keys().signing().unwrap().to_bytes();
    let mut bytes = vec![1u8];
    bytes.extend_from_slice(&Sha256::digest(kiosk.fair().fair.id.as_bytes())[..4]);
    bytes.extend_from_slice(reg.as_bytes());
    let nonce = [3u8; 12];
    bytes.extend_from_slice(&nonce);
    let card_key: [u8; 32] = keys[32..].try_into().unwrap();
    let sealed = ChaCha20Poly1305::new(&Key::from(card_key))
        .encrypt(
            &Nonce::from(nonce),
            Payload {
                msg: card,
                aad: &bytes,
            },
        )
        .unwrap();
    bytes.extend_from_slice(&sealed);
    let seed: [u8; 32] = keys[..32].try_into().unwrap();
    let signature = SigningKey::from_bytes(&seed).sign(&bytes);
    bytes.extend_from_slice(&signature.to_bytes());
    format!("JK1{}", base32(&bytes))
}

fn base32(data: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut out, mut acc, mut bits) = (String::new(), 0u32, 0u32);
    for &byte in data {
        acc = (acc << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((acc >> bits) & 31) as usize]));
        }
        acc &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((acc << (5 - bits)) & 31) as usize]));
    }
    out
}

#[test]
fn a_ticket_printed_before_versions_reads_while_newest_and_is_superseded_by_a_reissue() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = open_kiosk(dir.path());
    let booth = kiosk.add_booth("baichuan").unwrap().booth.id;
    let mut d = draft(&kiosk, 2);
    d.openings = vec![101];
    let reg = kiosk.register(&d).unwrap().registration_id;
    // The sign-up as an older version stored it: its ticket in format 1. Card: male,
    // no birth year, no phone, opening 101, name 老票, no township.
    let name = "老票".as_bytes();
    let mut card = vec![1 | (1 << 3), 0, 0, 101, name.len() as u8];
    card.extend_from_slice(name);
    card.push(0);
    let legacy = format_1_ticket(&kiosk, reg, &card);
    kiosk
        .store()
        .conn()
        .execute(
            "UPDATE registrations SET ticket = ?1 WHERE id = ?2",
            [&legacy, &reg.to_string()],
        )
        .unwrap();

    let ScanOutcome::Candidate(c) = kiosk.booth_scan(booth, &legacy).unwrap() else {
        panic!("a printed format-1 ticket still reads");
    };
    assert_eq!(
        (c.card.name.as_str(), c.card.openings.clone()),
        ("老票", vec![101])
    );

    let newer = kiosk
        .reissue(reg, &d.phone.as_str()[7..], &[101, 103])
        .unwrap()
        .ticket;
    let version = ticket::verify(&kiosk.keys().verifier(), &kiosk.fair().fair.id, &newer)
        .unwrap()
        .version;
    assert_eq!(version, 1, "one more than format 1's 0");
    assert_eq!(
        kiosk.booth_scan(booth, &legacy).unwrap(),
        ScanOutcome::Superseded
    );
    assert!(matches!(
        kiosk.booth_scan(booth, &newer).unwrap(),
        ScanOutcome::Candidate(_)
    ));
}

#[test]
fn the_home_screen_refuses_to_check_in_with_the_old_ticket_once_it_saw_the_new_one() {
    use jobfair_kiosk::app::check_in::CheckIn;
    let dir = tempfile::tempdir().unwrap();
    let (mut kiosk, _, _, old, new) = villager_who_changed_openings(dir.path());
    // The kiosk that reissued knows the new version: the old paper is refused, not counted.
    assert_eq!(kiosk.check_in(&old).unwrap(), CheckIn::Superseded);
    assert_eq!(kiosk.check_in_count().unwrap(), 0);
    assert!(matches!(
        kiosk.check_in(&new).unwrap(),
        CheckIn::Done { .. }
    ));
    assert_eq!(kiosk.check_in(&old).unwrap(), CheckIn::Superseded);
    assert_eq!(kiosk.check_in_count().unwrap(), 1);

    // Another device of the fair that scanned the new ticket first refuses the old one too.
    let kit = dir.path().join("kiosk-kit.json");
    kiosk.write_kit(KitRole::Booth, &kit).unwrap();
    let device_dir = tempfile::tempdir().unwrap();
    install_kit(device_dir.path(), &kit).unwrap();
    let mut device = Kiosk::open(&KioskOptions::new(device_dir.path())).unwrap();
    assert!(matches!(
        device.check_in(&new).unwrap(),
        CheckIn::Done { .. }
    ));
    assert_eq!(device.check_in(&old).unwrap(), CheckIn::Superseded);
}
