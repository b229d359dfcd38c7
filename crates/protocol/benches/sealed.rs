//! Sealing a sign-up's numbers to the staff and the base (two libsodium sealed boxes) and
//! opening one, in release: `cargo bench -p jobfair-protocol --bench sealed`.

use jobfair_protocol::sealed::{OpenKey, SealedBoxes};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let staff = OpenKey::generate();
    let base = OpenKey::generate();
    let plain = br#"{"phone":"13912345678","resident_id":"52000019840205155X"}"#;
    let n = 5000;
    let mut seal = Vec::with_capacity(n);
    let mut boxes = None;
    for _ in 0..n {
        let t = Instant::now();
        boxes = Some(black_box(
            SealedBoxes::seal(plain, &staff.seal_key(), Some(&base.seal_key())).unwrap(),
        ));
        seal.push(t.elapsed());
    }
    let boxes = boxes.unwrap();
    let open: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            black_box(boxes.open_staff(&staff).unwrap());
            t.elapsed()
        })
        .collect();
    println!(
        "sealed: seal to staff + base (2 boxes, {} bytes), {n} runs: median {:?}; open one: median {:?}",
        plain.len(),
        median(seal),
        median(open)
    );
}
