//! The bundled CJK font renders what villagers' names and the UI need, on a machine with no
//! CJK fonts installed: the 8,105 characters of the 通用规范汉字表, Latin, digits, the middle dot.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn font_bytes() -> Vec<u8> {
    std::fs::read(root().join("assets/fonts/NotoSansSC-Kiosk.otf")).unwrap()
}

fn missing(face: &ttf_parser::Face, chars: impl Iterator<Item = char>) -> Vec<char> {
    chars.filter(|c| face.glyph_index(*c).is_none()).collect()
}

#[test]
fn the_font_covers_all_8105_characters_of_the_general_standard_table() {
    let bytes = font_bytes();
    let face = ttf_parser::Face::parse(&bytes, 0).unwrap();
    let table = std::fs::read_to_string(root().join("assets/chars/tongyong-8105.txt")).unwrap();
    let chars: Vec<char> = table.lines().filter_map(|l| l.chars().next()).collect();
    assert_eq!(chars.len(), 8105);
    assert_eq!(missing(&face, chars.into_iter()), Vec::<char>::new());
}

#[test]
fn the_font_has_names_outside_gb2312_latin_digits_and_the_middle_dot() {
    let bytes = font_bytes();
    let face = ttf_parser::Face::parse(&bytes, 0).unwrap();
    let extra = "堃喆玥阿依古丽·买买提（）：；，。、“”！？¥–—…←→✓×●";
    let ascii = (0x20u8..0x7f).map(char::from);
    assert_eq!(
        missing(&face, extra.chars().chain(ascii)),
        Vec::<char>::new()
    );
}

#[test]
fn the_ui_asks_for_the_bundled_font_by_its_family_name() {
    let bytes = font_bytes();
    let face = ttf_parser::Face::parse(&bytes, 0).unwrap();
    let family = face
        .names()
        .into_iter()
        .find(|n| n.name_id == ttf_parser::name_id::FAMILY && n.is_unicode())
        .and_then(|n| n.to_string())
        .unwrap();
    let entry = std::fs::read_to_string(root().join("ui/app_window.slint")).unwrap();
    assert!(entry.contains("import \"../assets/fonts/NotoSansSC-Kiosk.otf\";"));
    assert!(
        entry.contains(&format!("default-font-family: \"{family}\";")),
        "ui/app_window.slint must use the family {family:?}"
    );
}
