//! Made-up fairs of any size, for tests and benchmarks.

use crate::fair::{Benefit, FairFile, Opening, Trade};

/// A tiny deterministic PRNG (SplitMix64), enough for synthetic data.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const FIRMS: [(&str, &str); 8] = [
    ("青山", "Qingshan"),
    ("东方", "Dongfang"),
    ("长江", "Changjiang"),
    ("金桥", "Jinqiao"),
    ("顺达", "Shunda"),
    ("宏远", "Hongyuan"),
    ("永兴", "Yongxing"),
    ("嘉禾", "Jiahe"),
];
const KINDS: [(&str, &str, &str); 6] = [
    ("电子厂", "Electronics", "电子"),
    ("机械公司", "Machinery", "机械"),
    ("制衣厂", "Garments", "服装"),
    ("汽配厂", "Auto Parts", "汽车配件"),
    ("食品公司", "Foods", "食品"),
    ("物流公司", "Logistics", "物流"),
];
const CITIES: [&str; 6] = ["东莞", "深圳", "苏州", "宁波", "佛山", "贵阳"];
const TITLES: [(&str, &str); 18] = [
    ("冲压工", "Press operator"),
    ("电焊工", "Welder"),
    ("装配工", "Assembler"),
    ("注塑工", "Moulding operator"),
    ("CNC操机", "CNC operator"),
    ("质检员", "Quality inspector"),
    ("仓管员", "Warehouse keeper"),
    ("电工", "Electrician"),
    ("厨工", "Kitchen helper"),
    ("包装工", "Packer"),
    ("喷涂工", "Painter"),
    ("机修工", "Maintenance fitter"),
    ("货车司机", "Truck driver"),
    ("保洁员", "Cleaner"),
    ("保安", "Security guard"),
    ("压铸工", "Die-casting worker"),
    ("抛光工", "Polisher"),
    ("普工", "General worker"),
];
const _: () = assert!(TITLES.len() == Trade::ALL.len(), "one title per trade");
const SKILLS: [&str; 5] = ["", "会看图纸", "有焊工证优先", "能适应夜班", "持C1驾照"];

/// A valid fair with `openings` openings (1 to `MAX_OPENINGS`), the same for the
/// same `seed`; for tests and benchmarks. All names are made up.
pub fn synthetic_fair(openings: usize, seed: u64) -> FairFile {
    use crate::fair::{County, Employer, FairInfo, MAX_OPENINGS, Shift, Township};
    assert!(
        (1..=MAX_OPENINGS).contains(&openings),
        "1 to {MAX_OPENINGS} openings"
    );
    let mut rng = SplitMix(seed);
    let employers: Vec<Employer> = (1..=openings.div_ceil(25))
        .map(|n| {
            let (firm, firm_en) = *rng.pick(&FIRMS);
            let (kind, kind_en, industry) = *rng.pick(&KINDS);
            Employer {
                id: format!("e{n}"),
                name: format!("{firm}{kind}{n}"),
                name_en: Some(format!("{firm_en} {kind_en} {n}")),
                city: rng.pick(&CITIES).to_string(),
                city_en: None,
                industry: industry.to_string(),
                industry_en: None,
                description: String::new(),
                description_en: None,
            }
        })
        .collect();
    let openings = (1..=openings)
        .map(|n| {
            let trade = *rng.pick(Trade::ALL);
            let (title, title_en) = TITLES[trade.index()];
            let employer = rng.pick(&employers);
            let wage_min = 2_000 + 100 * rng.below(80) as u32;
            let mask = rng.next();
            let age_min = (rng.below(3) > 0).then(|| 16 + rng.below(10) as u8);
            Opening {
                id: n as u16,
                employer: employer.id.clone(),
                title: title.to_string(),
                title_en: (rng.below(4) > 0).then(|| title_en.to_string()),
                trade,
                headcount: 1 + rng.below(200) as u32,
                wage_min,
                wage_max: wage_min + 100 * rng.below(40) as u32,
                benefits: Benefit::ALL
                    .iter()
                    .copied()
                    .filter(|b| mask >> b.index() & 1 == 1)
                    .collect(),
                age_min,
                age_max: (rng.below(3) > 0).then(|| 35 + rng.below(36) as u8),
                skills: rng.pick(&SKILLS).to_string(),
                skills_en: None,
                work_place: format!("{}市第{}工业园", employer.city, 1 + rng.below(9)),
                work_place_en: None,
                shift: *rng.pick(Shift::ALL),
            }
        })
        .collect();
    let villages = |t: usize| (1..=4).map(|v| format!("{t}号镇{v}村")).collect();
    FairFile {
        format: 1,
        fair: FairInfo {
            id: format!("synthetic-{seed}"),
            name: "合成测试招聘会".to_string(),
            name_en: Some("Synthetic test fair".to_string()),
            province: "示例省".to_string(),
            county: "示例县".to_string(),
            township: "1号镇".to_string(),
            village: "1号镇1村".to_string(),
            date: chrono::NaiveDate::from_ymd_opt(2027, 2, 18).expect("a real date"),
            venue: None,
        },
        places: vec![County {
            name: "示例县".to_string(),
            name_en: None,
            townships: (1..=3)
                .map(|t| Township {
                    name: format!("{t}号镇"),
                    name_en: None,
                    villages: villages(t),
                    villages_en: Vec::new(),
                })
                .collect(),
        }],
        employers,
        openings,
        departures: Vec::new(),
    }
}
