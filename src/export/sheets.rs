//! The kiosk's three export sheets: their names, bilingual headers, JSON keys and
//! the labels of coded values. The app fills them (see `app::export`).

use super::{Column, Kind, Sheet, Value};

const fn col(key: &'static str, header: &'static str, kind: Kind, width: f64) -> Column {
    Column {
        key,
        header,
        kind,
        width,
    }
}

/// One row per sign-up at the fair, oldest first.
pub const SIGN_UPS: Sheet = Sheet {
    name: "报名 Sign-ups",
    record: "sign_up",
    columns: &[
        col("short_code", "登记码 Code", Kind::Text, 11.0),
        col(
            "registered_at",
            "登记时间 Registered at",
            Kind::DateTime,
            20.0,
        ),
        col("name", "姓名 Name", Kind::Text, 12.0),
        col("phone", "手机 Phone", Kind::Code, 14.0),
        col("resident_id", "身份证号 Resident ID", Kind::Code, 21.0),
        col("birth_date", "出生日期 Birth date", Kind::Date, 12.0),
        col("sex", "性别 Sex", Kind::Text, 7.0),
        col("county", "县 County", Kind::Text, 10.0),
        col("township", "乡镇 Township", Kind::Text, 11.0),
        col("village", "村 Village", Kind::Text, 11.0),
        col("openings", "岗位编号 Openings", Kind::Text, 16.0),
        col("employers", "企业 Employers", Kind::Text, 36.0),
        col(
            "share_phone",
            "手机给企业看 Phone shown to employers",
            Kind::Text,
            14.0,
        ),
        col("kiosk_id", "登记机 Kiosk", Kind::Text, 16.0),
        // kiosk (the touch screen), list, or phone (the phone form).
        col("source", "来源 Source", Kind::Text, 8.0),
        col(
            "registration_id",
            "登记ID Registration ID",
            Kind::Text,
            38.0,
        ),
    ],
};

/// One row per stage recorded at a booth, oldest first.
pub const BOOTH_STAGES: Sheet = Sheet {
    name: "摊位进度 Booth stages",
    record: "stage",
    columns: &[
        col("at", "时间 Time", Kind::DateTime, 20.0),
        col("employer", "企业 Employer", Kind::Text, 24.0),
        col("opening_id", "岗位编号 Opening", Kind::Number, 10.0),
        col("opening_title", "岗位 Opening title", Kind::Text, 14.0),
        col("short_code", "登记码 Code", Kind::Text, 11.0),
        col("name", "姓名 Name", Kind::Text, 12.0),
        col("stage", "阶段 Stage", Kind::Text, 10.0),
        col("note", "备注 Note", Kind::Text, 30.0),
        col(
            "registration_id",
            "登记ID Registration ID",
            Kind::Text,
            38.0,
        ),
        col("event_id", "记录ID Event ID", Kind::Text, 38.0),
    ],
};

/// One row per opening of the fair: sign-ups and candidates per stage.
pub const PER_OPENING: Sheet = Sheet {
    name: "岗位汇总 Per opening",
    record: "opening",
    columns: &[
        col("opening_id", "岗位编号 Opening", Kind::Number, 10.0),
        col("employer", "企业 Employer", Kind::Text, 24.0),
        col("title", "岗位 Title", Kind::Text, 14.0),
        col("headcount", "招聘人数 Headcount", Kind::Number, 10.0),
        col("sign_ups", "报名人数 Sign-ups", Kind::Number, 10.0),
        col("interested", "有意向 Interested", Kind::Number, 10.0),
        col("interviewed", "已面试 Interviewed", Kind::Number, 10.0),
        col("offered", "已录用 Offered", Kind::Number, 10.0),
        col("hired", "已入职 Hired", Kind::Number, 10.0),
        col("declined", "未成功 Not successful", Kind::Number, 10.0),
    ],
};

/// `male` / `female` as 男 / 女; anything else as stored.
pub fn sex(code: &str) -> Value<'_> {
    match code {
        "male" => Value::Label {
            code: "male",
            label: "男",
        },
        "female" => Value::Label {
            code: "female",
            label: "女",
        },
        other => Value::text(other),
    }
}

/// A booth stage with its Chinese label; anything unknown as stored.
pub fn stage(code: &str) -> Value<'_> {
    let label = match code {
        "interested" => "有意向",
        "interviewed" => "已面试",
        "offered" => "已录用",
        "hired" => "已入职",
        "declined" => "未成功",
        other => return Value::text(other),
    };
    let code = ["interested", "interviewed", "offered", "hired", "declined"]
        .into_iter()
        .find(|c| *c == code)
        .expect("matched above");
    Value::Label { code, label }
}

/// 是 / 否, coded `yes` / `no`.
pub fn yes_no(b: bool) -> Value<'static> {
    if b {
        Value::Label {
            code: "yes",
            label: "是",
        }
    } else {
        Value::Label {
            code: "no",
            label: "否",
        }
    }
}
