//! `openings import FILE`: a whole fair file (.json) or the openings (.csv).

use crate::app::{ImportError, import_openings};
use crate::domain::fair::FairFileError;
use crate::domain::fair_csv::CsvImportError;
use clap::Subcommand;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum Openings {
    /// Replace the openings from FILE: a fair file (.json) or openings (.csv, UTF-8).
    /// Nothing changes unless the whole file is valid.
    Import {
        /// The .json or .csv file.
        file: PathBuf,
    },
}

pub fn run(data_dir: &Path, cmd: Openings) -> anyhow::Result<()> {
    match cmd {
        Openings::Import { file } => import(data_dir, &file),
    }
}

fn import(data_dir: &Path, file: &Path) -> anyhow::Result<()> {
    match import_openings(data_dir, file) {
        Ok(report) => {
            println!(
                "imported into fair {}: {} employers, {} openings{}",
                report.fair_id,
                report.employers,
                report.openings,
                if report.new_fair {
                    " (installed as the current fair)"
                } else {
                    ""
                }
            );
            if !report.dropped_chosen.is_empty() {
                let ids: Vec<String> = report.dropped_chosen.iter().map(u16::to_string).collect();
                eprintln!(
                    "warning: sign-ups chose openings that this file no longer has: {}",
                    ids.join(", ")
                );
            }
            if !report.dropped_departures.is_empty() {
                eprintln!(
                    "warning: 班次已删除，新企业不在其目的地 departures dropped, no new employer is in their destination: {}",
                    report.dropped_departures.join(", ")
                );
            }
            Ok(())
        }
        Err(e) => {
            eprintln!("{}:", file.display());
            for problem in problems(&e) {
                eprintln!("  {problem}");
            }
            Err(anyhow::anyhow!("nothing was imported"))
        }
    }
}

/// Every problem of a failed import, one per line.
fn problems(e: &ImportError) -> Vec<String> {
    match e {
        ImportError::Csv(CsvImportError::Rows(lines)) => {
            lines.iter().map(ToString::to_string).collect()
        }
        ImportError::Json(FairFileError::Invalid(v)) | ImportError::Invalid(v) => {
            v.iter().map(ToString::to_string).collect()
        }
        e => vec![e.to_string()],
    }
}
