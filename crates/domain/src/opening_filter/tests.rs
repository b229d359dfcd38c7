use super::*;
use crate::fair::Shift;

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
