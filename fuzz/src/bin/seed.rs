//! Writes the seed corpora: `cargo run --release --features seed --bin seed [DIR]`
//! (default `corpus/`, one folder per fuzz target). Every seed is synthetic and made by
//! the kiosk's own code where it can be: IDs from `resident_id::synthesize`, tickets from
//! `ticket::issue`, the fair from `assets/demo-fair.json`, workbooks from rust_xlsxwriter.

use std::fs;
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, KeyInit, Nonce};
use chrono::NaiveDate;
use jobfair_kiosk_fuzz::domain::kit::{self, KitRole};
use jobfair_kiosk_fuzz::domain::resident_id::synthesize;
use jobfair_kiosk_fuzz::domain::sex::Sex;
use jobfair_kiosk_fuzz::domain::ticket::{Card, issue};
use jobfair_kiosk_fuzz::support::{FAIR_ID, base32_bytes, fair_keys};
use jobfair_kiosk_fuzz::xlsx;

fn main() {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "corpus".into()));
    let ids = resident_ids();
    write(
        &root,
        "resident_id",
        ids.iter().map(|s| s.as_bytes().to_vec()),
    );
    write(
        &root,
        "phone",
        phones().iter().map(|s| s.as_bytes().to_vec()),
    );
    let tickets = tickets();
    write(
        &root,
        "ticket_decode",
        tickets.iter().map(|(t, _)| t.as_bytes().to_vec()),
    );
    write(
        &root,
        "ticket_card",
        tickets.iter().map(|(_, card)| card.clone()),
    );
    write(&root, "fair_file", fair_files());
    write(&root, "openings_csv", openings_csvs());
    write(&root, "list_import", lists(&ids));
}

fn write(root: &Path, target: &str, seeds: impl IntoIterator<Item = Vec<u8>>) {
    let dir = root.join(target);
    fs::create_dir_all(&dir).unwrap();
    let mut n = 0;
    for (i, seed) in seeds.into_iter().enumerate() {
        fs::write(dir.join(format!("seed-{i:03}")), seed).unwrap();
        n += 1;
    }
    println!("{target}: {n} seeds in {}", dir.display());
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn resident_ids() -> Vec<String> {
    let mut out = Vec::new();
    for (i, region) in ["520000", "110101", "652901", "830000"].iter().enumerate() {
        for seq in [0u16, 7, 38, 999] {
            let id = synthesize(region, date(1960 + 13 * i as i32, 2, 29 - i as u32), seq);
            out.push(id.as_str().to_string());
        }
    }
    let id = out[1].clone();
    out.push(format!(" {} {} {} ", &id[..6], &id[6..14], &id[14..]));
    out.push(id.replace('X', "x"));
    out.push(
        id.chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
            .collect(),
    );
    out.push(format!("{}0", &id[..17]));
    out.push(String::from("52000019000230001X"));
    out
}

fn phones() -> Vec<String> {
    [
        "13800138000",
        "+86 139-0013-8000",
        "008615900000000",
        "8618600000000",
        "１３８００１３８０００",
        "＋86 17700000000",
        "1380013800",
        "12345678901",
    ]
    .map(String::from)
    .to_vec()
}

/// Tickets from `issue`, each with its decrypted card bytes behind its registration id and
/// nonce (the input layout of the `ticket_card` target).
fn tickets() -> Vec<(String, Vec<u8>)> {
    let cards = [
        Card {
            name: "张测试".into(),
            birth_year: Some(1975),
            sex: Some(Sex::Male),
            township: "测试镇".into(),
            openings: vec![12, 345],
            phone: Some("13800000000".into()),
        },
        Card {
            name: "阿依古丽·测试".into(),
            birth_year: Some(2001),
            sex: Some(Sex::Female),
            township: "某某自治县某某乡某某村第一村民小组".into(),
            openings: vec![65535, 1, 2, 3, 4],
            phone: None,
        },
        Card {
            name: String::new(),
            birth_year: None,
            sex: None,
            township: String::new(),
            openings: vec![7],
            phone: Some("19999999999".into()),
        },
    ];
    let key: [u8; 32] = fair_keys().to_bytes()[32..].try_into().unwrap();
    let mut out = Vec::new();
    for (i, card) in cards.iter().enumerate() {
        let (reg, nonce) = ([i as u8 + 1; 16], [i as u8 + 9; 10]);
        let version = i as u16 + 1;
        let text = issue(fair_keys(), FAIR_ID, reg, version, card, nonce).unwrap();
        let payload = base32_bytes(&text[3..]).unwrap();
        let sealed = &payload[33..payload.len() - 64];
        let plain = ChaCha20Poly1305::new(&Key::from(key))
            .decrypt(
                &Nonce::from(<[u8; 12]>::try_from(&payload[21..33]).unwrap()),
                Payload {
                    msg: sealed,
                    aad: &payload[..33],
                },
            )
            .unwrap();
        let mut input = [&reg[..], &version.to_be_bytes()[..], &nonce[..]].concat();
        input.extend_from_slice(&plain);
        out.push((format!(" {}\r\n", text.to_ascii_lowercase()), input.clone()));
        out.push((text, input));
    }
    out
}

/// A small fair cut from the demo fair, and kits around it for both roles.
fn fair_files() -> Vec<Vec<u8>> {
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/demo-fair.json");
    let mut fair: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(demo).unwrap()).unwrap();
    let openings: Vec<serde_json::Value> = fair["openings"].as_array().unwrap()[..3].to_vec();
    let used: Vec<&str> = openings
        .iter()
        .map(|o| o["employer"].as_str().unwrap())
        .collect();
    let employers: Vec<serde_json::Value> = fair["employers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| used.contains(&e["id"].as_str().unwrap()))
        .cloned()
        .collect();
    fair["openings"] = openings.into();
    fair["employers"] = employers.into();
    fair["places"].as_array_mut().unwrap().truncate(1);
    let kit = |role| kit::write(role, fair.clone(), fair_keys()).into_bytes();
    vec![
        serde_json::to_vec_pretty(&fair).unwrap(),
        serde_json::to_vec(&fair).unwrap(),
        kit(KitRole::Kiosk),
        kit(KitRole::Booth),
    ]
}

fn openings_csvs() -> Vec<Vec<u8>> {
    let header = "id,employer,employer_city,employer_industry,title,title_en,trade,headcount,wage_min,wage_max,benefits,age_min,age_max,skills,work_place,shift";
    let row = |id: u16, employer: &str| {
        format!(
            "{id},{employer},东莞,电子,普工,Operator,assembly,50,4500,6000,dormitory|meals,18,45,,东莞市,two_shifts"
        )
    };
    let good = format!(
        "{header}\n{}\n{}\n{}\n",
        row(1, "甲厂"),
        row(2, "乙厂"),
        row(3, "甲厂")
    );
    let crlf = format!(
        "\u{feff}{header}\r\n{}\r\n\"{}\",\"x, \"\"y\"\"\",东莞,电子,焊工,,welding,5,5000,8000,,,,\"电焊\n证\",东莞,day\r\n",
        row(9, "丙厂"),
        10
    );
    let short = "id,employer,employer_city,employer_industry,title,trade,headcount,wage_min,wage_max,work_place,shift\n1,厂,城,业,工,cnc,1,1000,100000,地,flexible\n";
    vec![
        good.into_bytes(),
        crlf.into_bytes(),
        short.as_bytes().to_vec(),
    ]
}

fn lists(ids: &[String]) -> Vec<Vec<u8>> {
    let csv = format!(
        "姓名,手机,身份证号,县,乡镇,村,技能,企业\n张三,13900000001,{},从江县,高增乡,小黄村,电焊,永康五金厂\n阿依古丽·买买提,139 0000 0002,,从江县,高增乡,占里村,,e2\n李四,+8613900000003,{},,,,,Yongkang Hardware\n",
        ids[0], ids[5]
    );
    let english = "name,phone,resident_id,village\nWang Wu,13900000004,,x\n\"O'Neil, Jr\",13900000005,,\"a\"\"b\"\n";
    let (gb, _, _) = encoding_rs::GB18030.encode(&csv);
    let mut out: Vec<Vec<u8>> = Vec::new();
    for mode in [0u8, 4, 12] {
        out.push([&[mode][..], csv.as_bytes()].concat());
    }
    out.push([&[0u8][..], english.as_bytes()].concat());
    out.push([&[8u8][..], &gb[..]].concat());
    // XLSX written by rust_xlsxwriter (what a cadre's Excel file looks like to calamine).
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["姓名", "手机", "身份证号", "村", "企业"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=3u32 {
        sheet.write_string(r, 0, "刘备").unwrap();
        sheet
            .write_number(r, 1, 13_900_000_000.0 + f64::from(r))
            .unwrap();
        sheet.write_string(r, 2, &ids[r as usize]).unwrap();
        sheet.write_string(r, 3, "占里村").unwrap();
        sheet.write_string(r, 4, "e1").unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    out.push([&[1u8][..], &bytes].concat());
    out.push([&[5u8][..], &bytes].concat());
    // The same kind of sheet as plain XML, for the wrapped-workbook way in.
    let sheet_xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="B2:E4"/><sheetData><row r="2"><c r="B2" t="s"><v>0</v></c><c r="C2" t="s"><v>1</v></c><c r="D2" t="inlineStr"><is><t>身份证号</t></is></c></row><row r="3"><c r="B3" t="s"><v>2</v></c><c r="C3"><v>13900000001</v></c><c r="D3" t="str"><v>{}</v></c><c r="E3" t="b"><v>1</v></c></row><row r="4"><c r="B4" t="s"><v>3</v></c><c r="C4" t="n"><v>1.3900000002E10</v></c><c r="E4" s="1"><v>45000.5</v></c></row></sheetData></worksheet>"#,
        ids[2]
    );
    let strings = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4"><si><t>姓名</t></si><si><t>手机</t></si><si><r><t>张</t></r><r><t xml:space="preserve">三 </t></r></si><si><t>王&amp;五</t></si></sst>"#;
    out.push([&[2u8][..], sheet_xml.as_bytes(), &[0], strings.as_bytes()].concat());
    out.push([&[6u8][..], sheet_xml.as_bytes(), &[0], strings.as_bytes()].concat());
    // Checked: the wrapped workbook really reads.
    let wrapped = xlsx::workbook(sheet_xml.as_bytes(), strings.as_bytes());
    let table = xlsx::table(wrapped).expect("the wrapped seed workbook reads");
    assert_eq!(table.header_line, 2, "{table:?}");
    out
}
