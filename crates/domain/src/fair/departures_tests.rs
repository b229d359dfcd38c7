use super::*;

const WITH_DEPARTURES: &str = r#"{
  "format": 1,
  "fair": { "id": "gz-qdn-2027-02-18", "name": "春风行动招聘会", "province": "贵州省",
            "county": "示例县", "township": "示例镇", "village": "示例村", "date": "2027-02-18" },
  "places": [ { "name": "示例县", "townships": [ { "name": "示例镇", "villages": ["甲村", "乙村"] } ] } ],
  "employers": [ { "id": "e1", "name": "示例电子厂", "city": "东莞", "industry": "电子" },
                 { "id": "e2", "name": "示例五金厂", "city": "浙江永康", "industry": "五金" } ],
  "openings": [
    { "id": 1, "employer": "e1", "title": "普工", "trade": "assembly", "headcount": 50,
      "wage_min": 4500, "wage_max": 6000, "work_place": "东莞市", "shift": "two_shifts" },
    { "id": 2, "employer": "e2", "title": "焊工", "trade": "welding", "headcount": 5,
      "wage_min": 6000, "wage_max": 8000, "work_place": "永康市", "shift": "day" }
  ],
  "departures": [
    { "id": "bus-1", "kind": "bus", "departs_at": "2027-02-19T07:30:00", "pickup": "示例镇政府门口",
      "pickup_township": "示例镇", "destination": "浙江永康", "seats": 53, "vehicle": "贵H·A1234",
      "contact": "王师傅", "contact_phone": "13800001234" },
    { "id": "train-1", "kind": "train", "departs_at": "2027-02-20T10:05:00", "pickup": "从江站",
      "destination": "东莞", "employers": ["e1"], "seats": 400, "vehicle": "D2846",
      "contact": "县劳务站", "contact_phone": "13900005678" }
  ]
}"#;

fn fair() -> FairFile {
    FairFile::from_json(WITH_DEPARTURES).expect("the sample fair with departures is valid")
}

fn broken(change: impl FnOnce(&mut FairFile)) -> Vec<String> {
    let mut fair = fair();
    change(&mut fair);
    fair.validate().into_iter().map(|v| v.to_string()).collect()
}

#[test]
fn departures_are_read_with_every_field() {
    let fair = fair();
    let bus = fair.departure("bus-1").unwrap();
    assert_eq!(bus.kind, DepartureKind::Bus);
    assert_eq!(bus.seats, 53);
    assert_eq!(bus.pickup_township.as_deref(), Some("示例镇"));
    assert_eq!(bus.vehicle.as_deref(), Some("贵H·A1234"));
    assert_eq!(bus.departs_at.to_string(), "2027-02-19 07:30:00");
    let train = fair.departure("train-1").unwrap();
    assert_eq!(train.kind, DepartureKind::Train);
    assert_eq!(train.employers, ["e1"]);
    assert!(fair.departure("bus-2").is_none());
}

#[test]
fn a_fair_file_without_departures_still_loads_and_writes_none() {
    let mut doc: serde_json::Value = serde_json::from_str(WITH_DEPARTURES).unwrap();
    doc.as_object_mut().unwrap().remove("departures");
    let fair = FairFile::from_json(&doc.to_string()).unwrap();
    assert!(fair.departures.is_empty());
    let json = serde_json::to_string(&fair).unwrap();
    assert!(!json.contains("departures"), "{json}");
}

#[test]
fn departures_survive_a_json_round_trip() {
    let fair = fair();
    let again = FairFile::from_json(&serde_json::to_string(&fair).unwrap()).unwrap();
    assert_eq!(again, fair);
}

#[test]
fn departures_serve_the_employers_of_their_city_or_those_listed() {
    let fair = fair();
    let to = |openings: &[u16]| -> Vec<&str> {
        fair.departures_for_openings(openings)
            .map(|d| d.id.as_str())
            .collect()
    };
    assert_eq!(to(&[2]), ["bus-1"], "永康 opening: the bus to 永康");
    assert_eq!(to(&[1]), ["train-1"], "东莞 opening: the train listing e1");
    assert_eq!(to(&[1, 2]), ["bus-1", "train-1"]);
    assert!(to(&[]).is_empty());
    assert!(to(&[99]).is_empty(), "an unknown opening has no departures");
}

#[test]
fn seats_are_bounded_by_the_kind_of_vehicle() {
    let errors = broken(|f| f.departures[0].seats = 81);
    assert_eq!(
        errors,
        ["departures[0].seats: 81 must be from 1 to 80 for a bus"]
    );
    assert_eq!(
        broken(|f| f.departures[1].seats = 0),
        ["departures[1].seats: 0 must be from 1 to 3000 for a train"]
    );
    assert!(broken(|f| f.departures[1].seats = 3000).is_empty());
}

#[test]
fn a_departure_before_the_fair_or_long_after_it_is_refused() {
    let at = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap();
    assert_eq!(
        broken(|f| f.departures[0].departs_at = at("2027-02-17T23:59")),
        ["departures[0].departs_at: 2027-02-17 23:59:00 is before the fair's date 2027-02-18"]
    );
    assert!(broken(|f| f.departures[0].departs_at = at("2027-02-18T06:00")).is_empty());
    let late = broken(|f| f.departures[0].departs_at = at("2027-04-20T06:00"));
    assert_eq!(late.len(), 1);
    assert!(late[0].contains("61 days after the fair"), "{late:?}");
}

#[test]
fn ids_employers_townships_and_destinations_must_exist_and_be_unique() {
    assert_eq!(
        broken(|f| f.departures[1].id = "bus-1".into()),
        ["departures[1].id: id \"bus-1\" is also used by departures[0]"]
    );
    assert_eq!(
        broken(|f| f.departures[0].id = "bus 1".into()),
        ["departures[0].id: \"bus 1\" must be 1 to 24 of A-Z, a-z, 0-9, _ and -"]
    );
    assert_eq!(
        broken(|f| f.departures[1].employers = vec!["e9".into()]),
        ["departures[1].employers[0]: no employer has id \"e9\""]
    );
    assert_eq!(
        broken(|f| f.departures[1].employers = vec!["e2".into()]),
        [
            "departures[1].employers[0]: employer \"e2\" is in \"浙江永康\", not in the destination \"东莞\""
        ]
    );
    assert_eq!(
        broken(|f| f.departures[1].employers = vec!["e1".into(), "e1".into()]),
        ["departures[1].employers[1]: \"e1\" is listed twice"]
    );
    assert_eq!(
        broken(|f| f.departures[0].pickup_township = Some("别的镇".into())),
        ["departures[0].pickup_township: \"别的镇\" is not a township of the fair's places"]
    );
    let no_city = broken(|f| f.departures[0].destination = "上海".into());
    assert_eq!(no_city.len(), 1);
    assert!(no_city[0].starts_with("departures[0].destination: no employer is in \"上海\""));
}

#[test]
fn texts_and_the_contact_phone_are_checked() {
    assert_eq!(
        broken(|f| f.departures[0].pickup = " ".into()),
        ["departures[0].pickup: must not be empty"]
    );
    assert_eq!(
        broken(|f| f.departures[0].contact = "x".repeat(41)),
        ["departures[0].contact: 41 characters; at most 40 are allowed"]
    );
    assert_eq!(
        broken(|f| f.departures[0].contact_phone = "0855-1234567".into()),
        [
            "departures[0].contact_phone: \"0855-1234567\" is not a mobile number: not a mainland mobile number (it must start with 13 to 19)"
        ]
    );
    let phone = broken(|f| f.departures[0].contact_phone = "12345".into());
    assert_eq!(phone.len(), 1);
    assert!(
        phone[0].starts_with("departures[0].contact_phone: \"12345\" is not a mobile number"),
        "{phone:?}"
    );
}

#[test]
fn unknown_fields_and_kinds_are_refused_with_their_path() {
    let doc = WITH_DEPARTURES.replace("\"kind\": \"bus\"", "\"kind\": \"plane\"");
    let err = FairFile::from_json(&doc).unwrap_err().to_string();
    assert!(err.contains("departures[0].kind"), "{err}");
    let doc = WITH_DEPARTURES.replace("\"seats\": 53", "\"seats\": 53, \"driver\": \"张三\"");
    let err = FairFile::from_json(&doc).unwrap_err().to_string();
    assert!(
        err.contains("departures[0]") && err.contains("driver"),
        "{err}"
    );
}

#[test]
fn the_demo_fair_has_buses_from_several_townships_to_yongkang_and_a_train_group() {
    let demo = FairFile::from_json(include_str!("../../../../assets/demo-fair.json")).unwrap();
    let buses: Vec<&Departure> = demo
        .departures
        .iter()
        .filter(|d| d.kind == DepartureKind::Bus)
        .collect();
    let townships: std::collections::HashSet<_> = buses
        .iter()
        .filter_map(|d| d.pickup_township.as_deref())
        .collect();
    assert!(townships.len() >= 4, "{townships:?}");
    assert!(buses.iter().all(|d| d.destination == "浙江永康"));
    assert!(
        demo.departures
            .iter()
            .any(|d| d.kind == DepartureKind::Train)
    );
    let any_opening = demo.openings[0].id;
    assert!(demo.departures_for_openings(&[any_opening]).count() > 0);
}
