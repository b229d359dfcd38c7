use kiosk_pinyin::{Engine, Slot};
fn main() {
    let t = std::time::Instant::now();
    let e = Engine::new(&["从江", "高增", "榕江", "黎平", "丙妹", "贯洞", "洛香"]);
    println!("build {:?}, filled {}", t.elapsed(), e.filled_readings);
    let args: Vec<String> = std::env::args().skip(1).collect();
    for a in &args {
        let (slot, p) = match a.split_once(':') {
            Some(("r", p)) => (Slot::NameRest, p),
            Some(("p", p)) => (Slot::Plain, p),
            _ => (Slot::NameStart, a.as_str()),
        };
        let c = e.candidates_in(slot, p, 0);
        let s: Vec<String> = c
            .iter()
            .map(|c| format!("{}/{}", c.text, c.consumed))
            .collect();
        println!("{a}: {}", s.join(" "));
    }
}
