//! The openings page filter: trade, benefit, free text and sort order.
//!
//! [`OpeningIndex`] is built once per fair and then answers each keystroke by a
//! single pass over precomputed keys in a presorted order, with no allocation
//! per opening.

use std::collections::HashMap;

use crate::domain::fair::{Benefit, FairFile, Opening, Trade};

/// Order of the filtered list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Sort {
    /// As listed in the fair file.
    #[default]
    FileOrder,
    /// Highest `wage_max` first, then highest `wage_min`, then lowest id.
    WageHighFirst,
    /// Lowest `wage_min` first, then lowest `wage_max`, then lowest id.
    WageLowFirst,
}

/// What the visitor chose on the openings page. `Default` shows everything in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub trade: Option<Trade>,
    pub benefit: Option<Benefit>,
    /// Whitespace-separated terms; an opening must contain every one, ignoring case.
    pub text: String,
    pub sort: Sort,
}

const _: () = assert!(Benefit::ALL.len() <= 32, "benefit masks are u32");

/// Search keys and sort orders of one fair's openings.
#[derive(Debug, Clone)]
pub struct OpeningIndex {
    /// Folded title, title_en, employer name and name_en, work_place and skills, one line each.
    keys: Vec<String>,
    trades: Vec<Trade>,
    /// Bit `Benefit::index()` is set when the opening offers that benefit.
    benefits: Vec<u32>,
    wage_high_first: Vec<usize>,
    wage_low_first: Vec<usize>,
}

impl OpeningIndex {
    /// Precomputes search keys and sort orders for `fair.openings`.
    pub fn new(fair: &FairFile) -> OpeningIndex {
        let employers: HashMap<&str, _> =
            fair.employers.iter().map(|e| (e.id.as_str(), e)).collect();
        let openings = &fair.openings;
        let keys = openings
            .iter()
            .map(|o| {
                let employer = employers.get(o.employer.as_str());
                let parts = [
                    Some(o.title.as_str()),
                    o.title_en.as_deref(),
                    employer.map(|e| e.name.as_str()),
                    employer.and_then(|e| e.name_en.as_deref()),
                    Some(o.work_place.as_str()),
                    Some(o.skills.as_str()),
                ];
                let parts: Vec<&str> = parts.into_iter().flatten().collect();
                fold(&parts.join("\n"))
            })
            .collect();
        let mut wage_high_first: Vec<usize> = (0..openings.len()).collect();
        wage_high_first.sort_by(|&a, &b| wage_high_order(&openings[a], &openings[b]));
        let mut wage_low_first: Vec<usize> = (0..openings.len()).collect();
        wage_low_first.sort_by(|&a, &b| wage_low_order(&openings[a], &openings[b]));
        OpeningIndex {
            keys,
            trades: openings.iter().map(|o| o.trade).collect(),
            benefits: openings
                .iter()
                .map(|o| o.benefits.iter().fold(0, |mask, b| mask | 1 << b.index()))
                .collect(),
            wage_high_first,
            wage_low_first,
        }
    }

    /// Number of openings indexed.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Indices into `fair.openings` of the openings that pass `filter`, in its order.
    pub fn apply(&self, filter: &Filter) -> Vec<usize> {
        let terms: Vec<String> = fold(&filter.text)
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let benefit_bit = filter.benefit.map_or(0, |b| 1u32 << b.index());
        let keep = |i: usize| {
            filter.trade.is_none_or(|t| self.trades[i] == t)
                && self.benefits[i] & benefit_bit == benefit_bit
                && terms.iter().all(|t| self.keys[i].contains(t.as_str()))
        };
        match filter.sort {
            Sort::FileOrder => (0..self.len()).filter(|&i| keep(i)).collect(),
            Sort::WageHighFirst => self
                .wage_high_first
                .iter()
                .copied()
                .filter(|&i| keep(i))
                .collect(),
            Sort::WageLowFirst => self
                .wage_low_first
                .iter()
                .copied()
                .filter(|&i| keep(i))
                .collect(),
        }
    }
}

/// The order of [`Sort::WageHighFirst`].
pub fn wage_high_order(a: &Opening, b: &Opening) -> std::cmp::Ordering {
    (b.wage_max, b.wage_min, a.id).cmp(&(a.wage_max, a.wage_min, b.id))
}

/// The order of [`Sort::WageLowFirst`].
pub fn wage_low_order(a: &Opening, b: &Opening) -> std::cmp::Ordering {
    (a.wage_min, a.wage_max, a.id).cmp(&(b.wage_min, b.wage_max, b.id))
}

/// Lower-cases and turns full-width ASCII (as typed by Chinese input methods,
/// e.g. `ＣＮＣ`) into ordinary ASCII, so both match the same openings.
pub fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

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
    use crate::domain::fair::{County, Employer, FairInfo, MAX_OPENINGS, Shift, Township};
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
                industry: industry.to_string(),
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
            townships: (1..=3)
                .map(|t| Township {
                    name: format!("{t}号镇"),
                    villages: villages(t),
                })
                .collect(),
        }],
        employers,
        openings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fair::Shift;

    /// id, employer, title, trade, wage_min, wage_max, benefits, skills.
    type Row = (
        u16,
        &'static str,
        &'static str,
        Trade,
        u32,
        u32,
        &'static [Benefit],
        &'static str,
    );

    #[rustfmt::skip]
    const ROWS: [Row; 4] = [
        (1, "e1", "电焊工", Trade::Welding, 5000, 7000, &[Benefit::Dormitory], "有焊工证优先"),
        (2, "e2", "普工", Trade::Assembly, 4000, 7000, &[Benefit::Meals, Benefit::Dormitory], ""),
        (3, "e1", "CNC操机", Trade::Cnc, 6000, 9000, &[], "会看图纸"),
        (4, "e2", "电焊工", Trade::Welding, 4000, 5000, &[Benefit::Meals], ""),
    ];

    /// Four openings of two employers, with distinct wages and texts.
    fn small_fair() -> FairFile {
        let mut fair = synthetic_fair(4, 1);
        fair.employers.truncate(1);
        fair.employers[0].name = "青山电子厂".into();
        fair.employers[0].name_en = Some("Qingshan Electronics".into());
        let mut other = fair.employers[0].clone();
        (other.id, other.name, other.name_en) = ("e2".into(), "长江机械公司".into(), None);
        fair.employers.push(other);
        let rows = ROWS;
        for (o, (id, employer, title, trade, wage_min, wage_max, benefits, skills)) in
            fair.openings.iter_mut().zip(rows)
        {
            (o.id, o.employer, o.title, o.trade) = (id, employer.into(), title.into(), trade);
            (o.wage_min, o.wage_max, o.benefits, o.skills) =
                (wage_min, wage_max, benefits.to_vec(), skills.into());
            (o.title_en, o.work_place, o.shift) = (None, "东莞市".into(), Shift::Day);
        }
        fair.openings[2].title_en = Some("CNC Operator".into());
        assert!(fair.validate().is_empty(), "{:?}", fair.validate());
        fair
    }

    fn ids(fair: &FairFile, filter: &Filter) -> Vec<u16> {
        let index = OpeningIndex::new(fair);
        index
            .apply(filter)
            .into_iter()
            .map(|i| fair.openings[i].id)
            .collect()
    }

    fn text(t: &str) -> Filter {
        Filter {
            text: t.into(),
            ..Filter::default()
        }
    }

    #[test]
    fn default_filter_shows_everything_in_file_order() {
        assert_eq!(ids(&small_fair(), &Filter::default()), [1, 2, 3, 4]);
    }

    #[test]
    fn trade_filter_keeps_only_that_trade() {
        let f = Filter {
            trade: Some(Trade::Welding),
            ..Filter::default()
        };
        assert_eq!(ids(&small_fair(), &f), [1, 4]);
        let f = Filter {
            trade: Some(Trade::Driver),
            ..Filter::default()
        };
        assert!(ids(&small_fair(), &f).is_empty());
    }

    #[test]
    fn benefit_filter_keeps_openings_offering_it() {
        let f = Filter {
            benefit: Some(Benefit::Dormitory),
            ..Filter::default()
        };
        assert_eq!(ids(&small_fair(), &f), [1, 2]);
    }

    #[test]
    fn text_matches_title_employer_skills_and_english_ignoring_case() {
        let fair = small_fair();
        assert_eq!(ids(&fair, &text("焊")), [1, 4]);
        assert_eq!(ids(&fair, &text("长江")), [2, 4]);
        assert_eq!(ids(&fair, &text("图纸")), [3]);
        assert_eq!(ids(&fair, &text("qingSHAN")), [1, 3]);
        assert_eq!(ids(&fair, &text("operator")), [3]);
        assert_eq!(ids(&fair, &text("东莞")), [1, 2, 3, 4]);
    }

    #[test]
    fn every_text_term_must_match() {
        let fair = small_fair();
        assert_eq!(ids(&fair, &text("电焊 长江")), [4]);
        assert_eq!(ids(&fair, &text("  电焊\u{3000}青山  ")), [1]);
        assert!(ids(&fair, &text("电焊 图纸")).is_empty());
    }

    #[test]
    fn full_width_letters_match_ordinary_ones() {
        assert_eq!(ids(&small_fair(), &text("ｃｎｃ")), [3]);
    }

    #[test]
    fn text_does_not_match_across_two_fields() {
        // title "普工" followed by employer "长江..." must not match "工长".
        assert!(ids(&small_fair(), &text("工长")).is_empty());
    }

    #[test]
    fn wage_sorts_break_ties_as_documented() {
        let fair = small_fair();
        let high = Filter {
            sort: Sort::WageHighFirst,
            ..Filter::default()
        };
        assert_eq!(ids(&fair, &high), [3, 1, 2, 4]);
        let low = Filter {
            sort: Sort::WageLowFirst,
            ..Filter::default()
        };
        assert_eq!(ids(&fair, &low), [4, 2, 1, 3]);
    }

    #[test]
    fn filters_and_sort_combine() {
        let fair = small_fair();
        let f = Filter {
            trade: Some(Trade::Welding),
            benefit: Some(Benefit::Meals),
            ..Filter::default()
        };
        assert_eq!(ids(&fair, &f), [4]);
        let f = Filter {
            benefit: Some(Benefit::Meals),
            text: "长江".into(),
            sort: Sort::WageHighFirst,
            ..Filter::default()
        };
        assert_eq!(ids(&fair, &f), [2, 4]);
    }

    #[test]
    fn synthetic_fair_is_valid_and_repeatable() {
        let fair = synthetic_fair(10_000, 42);
        assert_eq!(fair.validate(), []);
        assert_eq!(fair, synthetic_fair(10_000, 42));
        assert_ne!(fair, synthetic_fair(10_000, 43));
    }

    /// The filter written the slow, obvious way.
    fn reference(fair: &FairFile, f: &Filter) -> Vec<usize> {
        let terms: Vec<String> = f.text.split_whitespace().map(str::to_lowercase).collect();
        let mut out: Vec<usize> = (0..fair.openings.len())
            .filter(|&i| {
                let o = &fair.openings[i];
                let e = fair.employer(&o.employer).unwrap();
                let fields = [
                    Some(&o.title),
                    o.title_en.as_ref(),
                    Some(&e.name),
                    e.name_en.as_ref(),
                    Some(&o.work_place),
                    Some(&o.skills),
                ];
                f.trade.is_none_or(|t| o.trade == t)
                    && f.benefit.is_none_or(|b| o.benefits.contains(&b))
                    && terms.iter().all(|t| {
                        fields
                            .iter()
                            .flatten()
                            .any(|x| x.to_lowercase().contains(t))
                    })
            })
            .collect();
        match f.sort {
            Sort::FileOrder => {}
            Sort::WageHighFirst => out.sort_by(|&a, &b| {
                let (a, b) = (&fair.openings[a], &fair.openings[b]);
                b.wage_max
                    .cmp(&a.wage_max)
                    .then(b.wage_min.cmp(&a.wage_min))
                    .then(a.id.cmp(&b.id))
            }),
            Sort::WageLowFirst => out.sort_by_key(|&i| {
                let o = &fair.openings[i];
                (o.wage_min, o.wage_max, o.id)
            }),
        }
        out
    }

    #[test]
    fn ten_thousand_openings_filter_like_the_obvious_reference() {
        let fair = synthetic_fair(10_000, 7);
        let index = OpeningIndex::new(&fair);
        assert_eq!(index.len(), 10_000);
        let texts = [
            "",
            "电焊",
            "cnc",
            "Qingshan 电子",
            "东莞 图纸",
            "operator",
            "不存在的词",
        ];
        let mut nonempty = 0;
        for (n, text) in texts.iter().enumerate() {
            for sort in [Sort::FileOrder, Sort::WageHighFirst, Sort::WageLowFirst] {
                let filter = Filter {
                    trade: (n % 2 == 1).then(|| Trade::ALL[n]),
                    benefit: (n % 3 == 0).then(|| Benefit::ALL[n % Benefit::ALL.len()]),
                    text: text.to_string(),
                    sort,
                };
                let got = index.apply(&filter);
                assert_eq!(got, reference(&fair, &filter), "{filter:?}");
                nonempty += usize::from(!got.is_empty());
            }
        }
        assert!(
            nonempty >= 12,
            "the filters above should mostly find something, found {nonempty}"
        );
    }
}
