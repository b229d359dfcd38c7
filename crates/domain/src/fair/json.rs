//! Reading a fair file from JSON, and why that can fail.

use super::{FairFile, Violation};

/// Why a fair file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FairFileError {
    /// The text is not JSON (or stops early); `line` and `column` are 1-based.
    #[error("the fair file is not valid JSON at line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// The JSON is well formed but a value has the wrong type, name or range;
    /// `path` is like `openings[3].trade` (empty for the top level).
    #[error("the fair file has a wrong value at {}: {message}", path_or_top(path))]
    Type { path: String, message: String },
    /// The file parsed but breaks one or more rules, all listed.
    #[error("the fair file breaks {} rule(s):\n{}", .0.len(), list_violations(.0))]
    Invalid(Vec<Violation>),
}

fn path_or_top(path: &str) -> &str {
    if path.is_empty() {
        "the top level"
    } else {
        path
    }
}

fn list_violations(v: &[Violation]) -> String {
    let lines: Vec<String> = v.iter().map(|x| format!("  {x}")).collect();
    lines.join("\n")
}

impl FairFile {
    /// Reads a fair file from JSON, then checks every rule with [`FairFile::validate`].
    pub fn from_json(text: &str) -> Result<FairFile, FairFileError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let fair: FairFile = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            json_error(
                e.into_inner(),
                if path == "." { String::new() } else { path },
            )
        })?;
        de.end().map_err(|e| json_error(e, String::new()))?;
        let violations = fair.validate();
        if violations.is_empty() {
            Ok(fair)
        } else {
            Err(FairFileError::Invalid(violations))
        }
    }
}

fn json_error(e: serde_json::Error, path: String) -> FairFileError {
    use serde_json::error::Category;
    let (line, column) = (e.line(), e.column());
    let full = e.to_string();
    let suffix = format!(" at line {line} column {column}");
    let message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
    match e.classify() {
        Category::Data => FairFileError::Type { path, message },
        Category::Syntax | Category::Eof | Category::Io => FairFileError::Syntax {
            line,
            column,
            message,
        },
    }
}
