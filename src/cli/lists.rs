//! `lists import FILE --kind willing|returning [--employer NAME]` and
//! `lists tickets --out FILE.pdf` (the pre-issued QR tickets, README "Lists").

use crate::app::lists::ListImportError;
use crate::app::{Kiosk, KioskOptions};
use crate::domain::lists::{ListError, ListKind, ticket::qr_text};
use crate::gui::ticket_sheet::{self, SheetEntry};
use crate::store::files;
use clap::{Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    /// A township's people willing to work away.
    Willing,
    /// An employer's staff who went home and should come back.
    Returning,
}

#[derive(Debug, Subcommand)]
pub enum Lists {
    /// Import a list (.csv in UTF-8 or GB18030, or .xlsx). Nothing is imported unless
    /// every row is valid; people already on file are not added twice.
    Import {
        /// The .csv or .xlsx file.
        file: PathBuf,
        #[arg(long, value_enum)]
        kind: Kind,
        /// Returning staff: the employer (name or id at this fair) of rows without an
        /// employer column.
        #[arg(long, value_name = "NAME")]
        employer: Option<String>,
    },
    /// Write a printable A4 PDF of pre-issued QR tickets for everyone on the lists.
    Tickets {
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
}

pub fn run(data_dir: &Path, cmd: Lists) -> anyhow::Result<()> {
    let mut kiosk = Kiosk::open(&KioskOptions::new(data_dir))?;
    match cmd {
        Lists::Import {
            file,
            kind,
            employer,
        } => import(&mut kiosk, &file, kind, employer.as_deref()),
        Lists::Tickets { out } => tickets(&kiosk, &out),
    }
}

fn import(
    kiosk: &mut Kiosk,
    file: &Path,
    kind: Kind,
    employer: Option<&str>,
) -> anyhow::Result<()> {
    let kind = match kind {
        Kind::Willing => ListKind::Willing,
        Kind::Returning => ListKind::Returning,
    };
    // The list's numbers are stored sealed, with blind indexes: the passphrase (issue 17).
    super::staff::unlock(kiosk)?;
    match kiosk.import_list(file, kind, employer) {
        Ok(r) => {
            println!(
                "{}: {} people, {} added, {} already on file ({} list)",
                file.display(),
                r.total,
                r.added,
                r.already_present,
                kind.as_str()
            );
            Ok(())
        }
        Err(e) => {
            eprintln!("{}:", file.display());
            match &e {
                ListImportError::List(ListError::Rows(lines)) => {
                    for line in lines {
                        eprintln!("  {line}");
                    }
                }
                e => eprintln!("  {e}"),
            }
            Err(anyhow::anyhow!("未导入任何人 nothing was imported"))
        }
    }
}

fn tickets(kiosk: &Kiosk, out: &Path) -> anyhow::Result<()> {
    let people = kiosk.list_people()?;
    anyhow::ensure!(
        !people.is_empty(),
        "名单上没有人 nobody is on the lists; import a list first"
    );
    let entries: Vec<SheetEntry> = people
        .iter()
        .map(|p| SheetEntry {
            name: p.name.clone(),
            place: [&p.county, &p.township, &p.village]
                .iter()
                .filter(|s| !s.is_empty())
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            code: p.code.clone(),
            qr: qr_text(&p.code),
        })
        .collect();
    let fair = kiosk.fair().fair.name.clone();
    let pages = ticket_sheet::render_pages(&entries, |page, pages| {
        format!("{fair}  ·  第 {page}/{pages} 页 page {page} of {pages}")
    })?;
    let pdf = ticket_sheet::pdf_of(&pages)?;
    // Names, places and ticket codes of hundreds of people: 0600 and atomic, like
    // every other output (an existing file of that name is replaced).
    files::write_private_atomic(out, &pdf).map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "{}: {} tickets on {} page(s)",
        out.display(),
        entries.len(),
        pages.len()
    );
    Ok(())
}
