//! Pure types and rules. No slint, rusqlite, reqwest or std::fs here.

pub mod birth_date;
pub mod csv_lines;
pub mod fair;
pub mod fair_csv;
pub mod kit;
pub mod lists;
pub mod opening_filter;
pub mod person_name;
pub mod phone;
pub mod pinyin;
pub mod records;
pub mod registration;
pub mod resident_id;
pub mod scanner;
pub mod sex;
pub mod short_code;
pub mod stage;
pub mod ticket;
