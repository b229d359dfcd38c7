//! One function per step of the wizard: what the phone shows for it. Everything comes from
//! the wizard's state (`app::wizard`); nothing here decides anything.

use super::html::{back, button, error, esc, form};
use super::i18n::{Lang, tr, trf};
use super::qr;
use crate::app::wizard::{Field, FieldError, Step, TicketView, Wizard};
use crate::domain::fair::{FairFile, Trade};
use crate::domain::registration::PlaceField;
use crate::domain::sex::Sex;

/// Openings listed on one page of the choose step (a fair may have thousands; a page
/// stays under 60 KB).
pub const OPENINGS_PER_PAGE: usize = 100;

/// The names of the trades, in [`Trade::ALL`]'s order (the touch screen's msgids).
const TRADE_NAMES: [&str; 18] = [
    "Stamping",
    "Welding",
    "Assembly",
    "Injection moulding",
    "CNC machining",
    "Quality inspection",
    "Warehouse",
    "Electrician",
    "Canteen",
    "Packaging",
    "Painting",
    "Maintenance",
    "Driver",
    "Cleaning",
    "Security",
    "Die casting",
    "Polishing",
    "Other",
];

/// The sentence of a field error, in `lang` (the touch screen's sentences).
pub fn error_text(lang: Lang, e: FieldError) -> &'static str {
    use FieldError as E;
    tr(
        lang,
        match e {
            E::Empty => "Please fill this in.",
            E::TooShort => "Too few digits. Please check the number.",
            E::TooLong => "Too many characters. Please check it.",
            E::BadChar => "It contains a character that is not allowed here.",
            E::XNotLast => "X may only be the last character of the ID number.",
            E::NotMobile => "This is not a mainland mobile number (11 digits starting with 13–19).",
            E::BadRegion => "The first digits are not a valid region. Please check the ID number.",
            E::BadDate => "The birth date in the ID number does not exist. Please check it.",
            E::FutureDate => "The birth date in the ID number is in the future. Please check it.",
            E::CheckDigit => {
                "The last character of the ID number does not fit the others. Please check the number again."
            }
            E::NameDot => "The middle dot · goes only between parts of a name.",
            E::NoOpenings => "Please choose at least one opening.",
            E::TooManyOpenings => "You can choose at most 5 openings.",
            E::WrongLast4 => "Those 4 digits do not match the phone we have on file.",
            E::TooManyTries => "Too many wrong tries. Please ask the staff for help.",
            E::DiskFull => "The kiosk's storage is full. Nothing was saved. Please ask the staff.",
            E::SaveFailed => "Saving failed. Nothing was saved. Please try again or ask the staff.",
            E::ReadFailed | E::NotPhoneOrId | E::NotFound => {
                "The kiosk could not read its records. Please try again or ask the staff."
            }
        },
    )
}

fn err(w: &Wizard, lang: Lang, f: Field) -> String {
    error(w.error(f).map(|e| error_text(lang, e)))
}

fn trade_name(lang: Lang, t: Trade) -> &'static str {
    tr(lang, TRADE_NAMES[t.index()])
}

/// "Step n of 7", or "of 8" once the chosen openings bring the ride step (as on the touch screen).
fn step_of(lang: Lang, n: u8, w: Option<&Wizard>) -> String {
    let total = if w.is_some_and(Wizard::offers_ride) {
        "8"
    } else {
        "7"
    };
    format!(
        "<p class=\"step\">{}</p>",
        esc(&trf(lang, "Step {} of {}", &[&n.to_string(), total]))
    )
}

/// What a page shows: its title and its body.
pub struct Shown {
    pub title: String,
    pub body: String,
}

/// The page of the wizard's current step. `last_ticket`: the ticket this phone already
/// holds (the start page offers it again); `showing` it is asked for.
pub fn render(
    w: &Wizard,
    fair: &FairFile,
    lang: Lang,
    csrf: &str,
    last_ticket: Option<&TicketView>,
    showing: bool,
    openings_page: usize,
) -> Shown {
    let has_ticket = last_ticket.is_some();
    let (title, inner) = match (w.step(), last_ticket) {
        (_, Some(t)) if showing => ticket(t, lang),
        (Step::Ticket, _) if w.ticket().is_some() => ticket(w.ticket().expect("checked"), lang),
        (Step::Choose, _) => choose(w, fair, lang, openings_page),
        (step, _) => by_step(w, step, fair, lang, has_ticket),
    };
    Shown {
        body: format!("<h1>{}</h1>{}", esc(&title), form(csrf, &inner)),
        title,
    }
}

fn by_step(
    w: &Wizard,
    step: Step,
    fair: &FairFile,
    lang: Lang,
    has_ticket: bool,
) -> (String, String) {
    match step {
        Step::Idle => start(lang, fair, has_ticket),
        Step::Consent => consent(lang),
        Step::Phone => phone(w, lang),
        Step::ResidentId => resident_id(w, lang),
        Step::Name => name(w, lang),
        Step::Place => place(w, fair, lang),
        Step::Choose => choose(w, fair, lang, 0),
        Step::Ride => ride(w, fair, lang),
        Step::Review => review(w, fair, lang),
        Step::Duplicate => duplicate(w, lang),
        // The list path is the touch screen's (a printed list ticket is scanned there).
        Step::Ticket | Step::ListLookup | Step::ListFound => start(lang, fair, has_ticket),
    }
}

fn start(lang: Lang, fair: &FairFile, has_ticket: bool) -> (String, String) {
    let f = &fair.fair;
    let name = match lang {
        Lang::En => f.name_en.as_deref().unwrap_or(&f.name),
        Lang::Zh => &f.name,
    };
    let mut body = format!(
        "<p class=\"card\">{}<br>{}</p><p>{}</p>",
        esc(name),
        f.date.format("%Y-%m-%d"),
        esc(tr(lang, "Sign up for this job fair on your own phone."))
    );
    body.push_str(&button("start", tr(lang, "Register"), "go"));
    if has_ticket {
        body.push_str(&button("show_ticket", tr(lang, "Show my ticket again"), ""));
    }
    (tr(lang, "Welcome").to_string(), body)
}

fn consent(lang: Lang) -> (String, String) {
    let mut body = step_of(lang, 1, None);
    for p in [
        "Who collects: the organisers of this job fair (the city's human resources bureau and the county's labour-cooperation base).",
        "For what: to sign you up for the openings you choose, to contact you about them and to arrange your journey to work.",
        "What is kept: your name, mobile number, home place and chosen openings; your resident ID number only if you agree below. It is kept for one year after the fair and then deleted.",
        "Who receives it: the employers you choose and the labour-cooperation base. You can ask the staff to see, correct or delete it.",
    ] {
        body.push_str(&format!("<p class=\"card\">{}</p>", esc(tr(lang, p))));
    }
    for (field, question) in [
        (
            "id_consent",
            "May we also record your resident ID number? (You can register without it.)",
        ),
        (
            "share_phone",
            "May the employers you choose see your mobile number?",
        ),
    ] {
        body.push_str(&format!(
            "<fieldset><legend><b>{q}</b></legend><div class=\"radio\">\
<label><input type=\"radio\" name=\"{field}\" value=\"yes\"> {yes}</label>\
<label><input type=\"radio\" name=\"{field}\" value=\"no\" checked> {no}</label></div></fieldset>",
            q = esc(tr(lang, question)),
            yes = esc(tr(lang, "Yes")),
            no = esc(tr(lang, "No")),
        ));
    }
    body.push_str(&button("consent", tr(lang, "I agree"), "go"));
    body.push_str(&back(lang));
    (tr(lang, "Your personal information").to_string(), body)
}

fn phone(w: &Wizard, lang: Lang) -> (String, String) {
    let body = format!(
        "{}<label for=\"phone\">{}</label><p>{}</p>\
<input type=\"tel\" id=\"phone\" name=\"phone\" inputmode=\"numeric\" autocomplete=\"tel-national\" \
maxlength=\"20\" value=\"{}\" autofocus>{}{}{}",
        step_of(lang, 2, Some(w)),
        esc(tr(lang, "Mobile number")),
        esc(tr(lang, "Type the 11 digits of your mobile phone number.")),
        esc(&w.entries().phone),
        err(w, lang, Field::Phone),
        button("phone", tr(lang, "Next"), "go"),
        back(lang),
    );
    (tr(lang, "Your mobile number").to_string(), body)
}

fn resident_id(w: &Wizard, lang: Lang) -> (String, String) {
    let mut body = step_of(lang, 3, Some(w));
    match (w.id_confirming(), w.resident_id()) {
        (true, Some(id)) => {
            let sex = match id.sex() {
                Sex::Male => tr(lang, "Male"),
                Sex::Female => tr(lang, "Female"),
            };
            body.push_str(&format!(
                "<p>{}</p><p class=\"card code\">{}</p><p class=\"card\">{} · {}</p>{}{}",
                esc(tr(lang, "Please check: is this right?")),
                esc(&id.masked()),
                esc(&trf(
                    lang,
                    "Born on {}",
                    &[&id.birth_date().format("%Y-%m-%d").to_string()]
                )),
                esc(sex),
                button("id_yes", tr(lang, "Yes, that's me"), "go"),
                button("id_no", tr(lang, "No, change it"), ""),
            ));
        }
        _ => body.push_str(&format!(
            "<label for=\"rid\">{}</label><p>{}</p>\
<input type=\"text\" id=\"rid\" name=\"resident_id\" autocomplete=\"off\" autocapitalize=\"characters\" \
spellcheck=\"false\" maxlength=\"24\" value=\"{}\" autofocus>{}{}{}{}",
            esc(tr(lang, "Resident ID number")),
            esc(tr(
                lang,
                "Type the 18 characters of your ID card. The last one may be X."
            )),
            esc(&w.entries().resident_id),
            err(w, lang, Field::ResidentId),
            button("id", tr(lang, "Next"), "go"),
            button("id_skip", tr(lang, "Continue without ID number"), ""),
            back(lang),
        )),
    }
    (tr(lang, "Your resident ID number").to_string(), body)
}

fn name(w: &Wizard, lang: Lang) -> (String, String) {
    let body = format!(
        "{}<label for=\"name\">{}</label><p>{}</p>\
<input type=\"text\" id=\"name\" name=\"name\" autocomplete=\"name\" maxlength=\"64\" value=\"{}\" autofocus>{}{}{}",
        step_of(lang, 4, Some(w)),
        esc(tr(lang, "Name")),
        esc(tr(
            lang,
            "Your name as on your ID card. For names with parts, use the middle dot ·"
        )),
        esc(&w.entries().name),
        err(w, lang, Field::Name),
        button("name", tr(lang, "Next"), "go"),
        back(lang),
    );
    (tr(lang, "Your name").to_string(), body)
}

fn place(w: &Wizard, fair: &FairFile, lang: Lang) -> (String, String) {
    let home = &w.entries().home;
    let [counties, townships, villages] = w.place_options(fair);
    let mut body = format!(
        "{}<p>{}</p>",
        step_of(lang, 5, Some(w)),
        esc(tr(
            lang,
            "Touch your county, township and village. If yours is not listed, type it in the box."
        ))
    );
    let label = |zh: &str, f: PlaceField| -> String {
        match lang {
            Lang::Zh => zh.to_string(),
            Lang::En => match f {
                PlaceField::County => fair.county_en(zh),
                PlaceField::Township => fair.township_en(zh),
                PlaceField::Village => fair.village_en(&home.township, zh),
            },
        }
    };
    for (field, heading, key, options, value) in [
        (
            PlaceField::County,
            "County",
            "county",
            &counties,
            &home.county,
        ),
        (
            PlaceField::Township,
            "Township",
            "township",
            &townships,
            &home.township,
        ),
        (
            PlaceField::Village,
            "Village",
            "village",
            &villages,
            &home.village,
        ),
    ] {
        body.push_str(&format!(
            "<label for=\"{key}\">{}</label>",
            esc(tr(lang, heading))
        ));
        if !options.is_empty() {
            body.push_str("<div class=\"chips\">");
            for o in options.iter() {
                let class = if *o == value.as_str() { "on" } else { "" };
                body.push_str(&button(&format!("{key}:{o}"), &label(o, field), class));
            }
            body.push_str("</div>");
        }
        body.push_str(&format!(
            "<input type=\"text\" id=\"{key}\" name=\"{key}\" maxlength=\"40\" value=\"{}\">",
            esc(value)
        ));
        body.push_str(&err(w, lang, Field::Place(field)));
    }
    body.push_str(&button("place", tr(lang, "Next"), "go"));
    body.push_str(&back(lang));
    (tr(lang, "Where is your home?").to_string(), body)
}

fn opening_line(fair: &FairFile, lang: Lang, id: u16) -> String {
    let Some(o) = fair.opening(id) else {
        return id.to_string();
    };
    let employer = fair.employer(&o.employer);
    let (title, emp) = match lang {
        Lang::Zh => (o.title.as_str(), employer.map_or("", |e| e.name.as_str())),
        Lang::En => (
            o.title_en.as_deref().unwrap_or(&o.title),
            employer.map_or("", |e| e.name_en.as_deref().unwrap_or(&e.name)),
        ),
    };
    let wage = trf(
        lang,
        "{}–{} yuan/month",
        &[&o.wage_min.to_string(), &o.wage_max.to_string()],
    );
    format!("{title} · {emp} · {wage}")
}

fn choose(w: &Wizard, fair: &FairFile, lang: Lang, page: usize) -> (String, String) {
    let mut body = step_of(lang, 6, Some(w));
    if let Some(n) = w.returning_name() {
        body.push_str(&format!(
            "<p class=\"hint\">{}</p>",
            esc(&trf(
                lang,
                "Welcome back, {}! Your openings are chosen below. Change them if you like, then touch Next.",
                &[n]
            ))
        ));
    }
    body.push_str(&format!(
        "<p>{}</p>{}",
        esc(&trf(
            lang,
            "Chosen: {} of at most 5. Touch an opening to choose it or to remove it.",
            &[&w.chosen().len().to_string()]
        )),
        err(w, lang, Field::Openings)
    ));
    // Trades that have openings, as filter chips.
    let mut trades: Vec<Trade> = fair.openings.iter().map(|o| o.trade).collect();
    trades.sort();
    trades.dedup();
    body.push_str("<div class=\"chips\">");
    let all_class = if w.trade_filter().is_none() { "on" } else { "" };
    body.push_str(&button("trade:", tr(lang, "All trades"), all_class));
    for t in trades {
        let class = if w.trade_filter() == Some(t) {
            "on"
        } else {
            ""
        };
        body.push_str(&button(
            &format!("trade:{}", t.as_str()),
            trade_name(lang, t),
            class,
        ));
    }
    body.push_str("</div>");
    body.push_str(&button("choose", tr(lang, "Next"), "go"));
    let choices = w.choices(fair);
    let pages = choices.len().div_ceil(OPENINGS_PER_PAGE).max(1);
    let page = page.min(pages - 1);
    let shown = choices
        .iter()
        .skip(page * OPENINGS_PER_PAGE)
        .take(OPENINGS_PER_PAGE);
    for &id in shown {
        let chosen = w.is_chosen(id);
        let mark = if chosen { "✓ " } else { "" };
        body.push_str(&button(
            &format!("toggle:{id}"),
            &format!("{mark}{}", opening_line(fair, lang, id)),
            if chosen { "on small" } else { "small" },
        ));
    }
    if pages > 1 {
        body.push_str(&format!(
            "<p class=\"step\">{}</p><div class=\"row\">",
            esc(&trf(
                lang,
                "Page {} of {}",
                &[&(page + 1).to_string(), &pages.to_string()]
            ))
        ));
        if page > 0 {
            body.push_str(&button(
                &format!("page:{}", page - 1),
                tr(lang, "Previous page"),
                "small",
            ));
        }
        if page + 1 < pages {
            body.push_str(&button(
                &format!("page:{}", page + 1),
                tr(lang, "More openings"),
                "small",
            ));
        }
        body.push_str("</div>");
    }
    body.push_str(&button("choose", tr(lang, "Next"), "go"));
    body.push_str(&back(lang));
    (tr(lang, "Which openings do you want?").to_string(), body)
}

/// "Need a ride?": the departures serving the chosen employers, each a button, and "No thanks"
/// (the same step and rules as the touch screen's; a full departure waitlists at the kiosk).
fn ride(w: &Wizard, fair: &FairFile, lang: Lang) -> (String, String) {
    let departures = w.ride_departures(fair);
    let en = lang == Lang::En;
    let city = departures
        .first()
        .map(|d| match (en, &d.destination_en) {
            (true, Some(e)) => e.clone(),
            _ => d.destination.clone(),
        })
        .unwrap_or_default();
    let buttons: String = departures
        .iter()
        .map(|d| {
            let kind = if d.kind == crate::domain::fair::DepartureKind::Train {
                tr(lang, "Train")
            } else {
                tr(lang, "Bus")
            };
            let pickup = match (en, &d.pickup_en) {
                (true, Some(p)) => p.as_str(),
                _ => d.pickup.as_str(),
            };
            let vehicle = d.vehicle.as_deref().unwrap_or("");
            let label = format!(
                "{kind} · {} · {pickup} {vehicle}",
                d.departs_at.format("%m-%d %H:%M")
            );
            button(&format!("ride:{}", d.id), label.trim_end(), "pick")
        })
        .collect();
    let body = format!(
        "{}<p>{}</p>{buttons}{}{}",
        step_of(lang, 7, Some(w)),
        esc(tr(
            lang,
            "Touch the bus or train you want to take. If it is full, you go on its waitlist and get a seat when one frees."
        )),
        button("ride:", tr(lang, "No thanks"), "go"),
        back(lang),
    );
    (trf(lang, "Need a ride to {}?", &[&city]), body)
}

fn review(w: &Wizard, fair: &FairFile, lang: Lang) -> (String, String) {
    let r = w.review();
    let shown = if r.share_phone {
        tr(lang, " (shown to employers)")
    } else {
        tr(lang, " (not shown to employers)")
    };
    let id = r
        .resident_id_masked
        .clone()
        .unwrap_or_else(|| tr(lang, "not recorded").to_string());
    let home = match lang {
        Lang::Zh => format!("{}{}{}", r.home.county, r.home.township, r.home.village),
        Lang::En => format!(
            "{}, {}, {}",
            fair.village_en(&r.home.township, &r.home.village),
            fair.township_en(&r.home.township),
            fair.county_en(&r.home.county)
        ),
    };
    let openings: String = r
        .openings
        .iter()
        .map(|&o| format!("<li>{}</li>", esc(&opening_line(fair, lang, o))))
        .collect();
    let row = |k: &str, v: &str| format!("<p><b>{}</b><br>{}</p>", esc(tr_dyn(lang, k)), esc(v));
    let ride = match w.ride_choice() {
        Some(crate::app::wizard::RideChoice::Departure(id)) => {
            let d = fair.departures.iter().find(|d| &d.id == id);
            let text = d.map_or(id.clone(), |d| {
                let pickup = match (lang, &d.pickup_en) {
                    (Lang::En, Some(p)) => p.as_str(),
                    _ => d.pickup.as_str(),
                };
                format!("{} · {pickup}", d.departs_at.format("%m-%d %H:%M"))
            });
            row("Ride", &text)
        }
        Some(_) => row("Ride", tr(lang, "No ride")),
        None => String::new(),
    };
    let body = format!(
        "{}<div class=\"card\">{}{}{}{}{ride}<p><b>{}</b></p><ol>{openings}</ol></div>{}{}{}",
        step_of(lang, if w.offers_ride() { 8 } else { 7 }, Some(w)),
        row("Name", &r.name),
        row("Mobile number", &format!("{}{shown}", r.phone_masked)),
        row("Resident ID number", &id),
        row("Home place", &home),
        esc(tr(lang, "Openings")),
        err(w, lang, Field::Confirm),
        button("confirm", tr(lang, "Confirm and get my ticket"), "go"),
        back(lang),
    );
    (tr(lang, "Please check and confirm").to_string(), body)
}

/// [`tr`] for the few labels passed through a closure.
fn tr_dyn(lang: Lang, k: &str) -> &'static str {
    match k {
        "Name" => tr(lang, "Name"),
        "Mobile number" => tr(lang, "Mobile number"),
        "Resident ID number" => tr(lang, "Resident ID number"),
        "Ride" => tr(lang, "Ride"),
        _ => tr(lang, "Home place"),
    }
}

fn duplicate(w: &Wizard, lang: Lang) -> (String, String) {
    let body = format!(
        "<p>{}</p><label for=\"last4\">{}</label>\
<input type=\"tel\" id=\"last4\" name=\"last4\" inputmode=\"numeric\" autocomplete=\"off\" maxlength=\"4\" \
value=\"\" autofocus>{}{}{}",
        esc(tr(
            lang,
            "You already signed up at this fair. To get your ticket back and change your openings, type the last 4 digits of the mobile number you signed up with."
        )),
        esc(tr(lang, "Last 4 digits")),
        err(w, lang, Field::Last4),
        button("last4", tr(lang, "Next"), "go"),
        back(lang),
    );
    (tr(lang, "You are already registered").to_string(), body)
}

fn ticket(t: &TicketView, lang: Lang) -> (String, String) {
    let title = if t.issued.created {
        tr(lang, "You are registered!")
    } else {
        tr(lang, "Your sign-up is updated")
    };
    let img = qr::ticket_png_data_uri(&t.issued.ticket)
        .map(|uri| {
            format!(
                "<img class=\"qr\" src=\"{uri}\" alt=\"{}\" width=\"360\" height=\"360\">",
                esc(tr(lang, "QR ticket"))
            )
        })
        .unwrap_or_default();
    let code = crate::domain::short_code::format(&t.issued.short_code);
    let body = format!(
        "<p class=\"card\">{}</p>{img}<p>{}</p><p class=\"code\">{}</p>\
<p class=\"hint\">{}</p><p class=\"hint\">{}</p>{}",
        esc(&t.name),
        esc(tr(lang, "Ticket code")),
        esc(&code),
        esc(tr(
            lang,
            "Save this picture: press and hold the QR code, then choose “Save image”, or take a screenshot."
        )),
        esc(tr(
            lang,
            "Take a photo of this ticket with your phone, or write down the code. Show it at the employers' booths."
        )),
        button("new", tr(lang, "Register another person"), ""),
    );
    (title.to_string(), body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_and_trade_reads_in_chinese() {
        use FieldError as E;
        for e in [
            E::Empty,
            E::TooShort,
            E::TooLong,
            E::BadChar,
            E::XNotLast,
            E::NotMobile,
            E::BadRegion,
            E::BadDate,
            E::FutureDate,
            E::CheckDigit,
            E::NameDot,
            E::NoOpenings,
            E::TooManyOpenings,
            E::WrongLast4,
            E::TooManyTries,
            E::DiskFull,
            E::SaveFailed,
            E::ReadFailed,
        ] {
            assert_ne!(error_text(Lang::Zh, e), error_text(Lang::En, e), "{e:?}");
        }
        for t in Trade::ALL {
            assert_ne!(trade_name(Lang::Zh, *t), trade_name(Lang::En, *t), "{t:?}");
        }
    }
}
