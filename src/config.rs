//! Configuration: defaults → `config.toml` in the data dir → `JOBFAIR_*` environment.
//!
//! The file is written only by [`Config::save`] (atomically, mode 0600). The
//! environment overrides what was loaded but is never written back: use
//! [`Config::load_file`] before changing and saving the file.

use crate::store::files;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The config file inside the data dir.
pub const CONFIG_FILE_NAME: &str = "config.toml";
/// Default seconds without a touch before the kiosk returns to the home page.
pub const DEFAULT_IDLE_SECONDS: u32 = 60;
/// Accepted range of `idle_seconds`.
pub const IDLE_SECONDS_RANGE: std::ops::RangeInclusive<u32> = 10..=3600;

/// Languages of the screens, as in the config file, `--lang` and the translations.
pub const LANGUAGES: &[&str] = &["zh_CN", "en"];

/// Normalises a language name: `zh_CN` (also `zh-CN`, `zh`) or `en` (also `en_US`, `en-US`).
pub fn parse_language(s: &str) -> Option<&'static str> {
    match s.trim() {
        "zh_CN" | "zh-CN" | "zh" => Some("zh_CN"),
        "en" | "en_US" | "en-US" => Some("en"),
        _ => None,
    }
}

/// Days after a fair before its confirmed personal data is purged, unless configured.
pub const DEFAULT_RETENTION_DAYS: u32 = 30;

/// The kiosk's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Names this device in sign-ups, `kiosk-` and 8 hex digits; made on first run.
    pub kiosk_id: String,
    pub idle_seconds: u32,
    /// `zh_CN` (default) or `en`.
    pub language: String,
    /// Argon2 PHC string of the staff PIN; `None` until `staff set-pin`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staff_pin_hash: Option<String>,
    /// The labor-cooperation base, e.g. `https://base.example.cn`; `None`: no upload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// This kiosk's bearer token for the base (`base kiosk add NAME` prints it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_token: Option<String>,
    /// The base's sealing key, public half (64 hex digits; `seal-key show` on the base
    /// prints it): phones and IDs are sealed to it as well as to the staff (issue 17).
    /// `None`: only the staff's box; the first unlock after it is set seals to the base too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_seal_key: Option<String>,
    /// Where the phone form listens when the staff turn it on (`ADDR:PORT`);
    /// `None`: `0.0.0.0:8080`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_listen: Option<String>,
    /// The fair's Wi-Fi, printed on the phone form's poster ("join the Wi-Fi …").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_wifi: Option<String>,
    /// Its password, printed under it (leave out for an open network).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_wifi_password: Option<String>,
    /// Days after a fair before the personal data of its villagers that the base
    /// confirmed is purged from this kiosk (issue 17).
    pub retention_days: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            kiosk_id: String::new(),
            idle_seconds: DEFAULT_IDLE_SECONDS,
            language: "zh_CN".to_string(),
            staff_pin_hash: None,
            base_url: None,
            base_token: None,
            base_seal_key: None,
            phone_listen: None,
            phone_wifi: None,
            phone_wifi_password: None,
            retention_days: DEFAULT_RETENTION_DAYS,
        }
    }
}

/// Errors loading or saving the config.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Parse {
        path: PathBuf,
        source: Box<toml::de::Error>,
    },
    #[error("environment {var}={value:?}: {expected}")]
    Env {
        var: &'static str,
        value: String,
        expected: &'static str,
    },
    #[error("idle_seconds = {0}: must be between 10 and 3600")]
    IdleSeconds(u32),
    #[error("language = {0:?}: use zh_CN or en")]
    Language(String),
    #[error("kiosk_id {0:?}: use 1 to 40 of a-z, A-Z, 0-9, '-' and '_'")]
    KioskId(String),
    #[error(
        "base_seal_key = {0:?}: 基地公钥应为 64 位十六进制 / the base's public key is 64 hex digits (`seal-key show` on the base)"
    )]
    BaseSealKey(String),
    #[error("cannot make a kiosk id: {0}")]
    Random(getrandom::Error),
    #[error("cannot write the config: {0}")]
    Serialize(#[from] toml::ser::Error),
}

impl Config {
    /// The effective config: the file (made, with a fresh kiosk id, if missing)
    /// overridden by `JOBFAIR_IDLE_SECONDS`, `JOBFAIR_LANGUAGE`, `JOBFAIR_KIOSK_ID`,
    /// `JOBFAIR_BASE_URL`, `JOBFAIR_BASE_TOKEN` and `JOBFAIR_BASE_SEAL_KEY`.
    pub fn load(data_dir: &Path) -> Result<Config, ConfigError> {
        let mut config = Self::load_file(data_dir)?;
        config.apply_env(|var| std::env::var(var).ok())?;
        config.check()?;
        Ok(config)
    }

    /// The config file alone, without the environment. A missing file, or a file
    /// without `kiosk_id`, gets a fresh kiosk id, saved at once so it stays stable.
    pub fn load_file(data_dir: &Path) -> Result<Config, ConfigError> {
        let path = data_dir.join(CONFIG_FILE_NAME);
        let mut config = match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str::<Config>(&text).map_err(|e| ConfigError::Parse {
                path: path.clone(),
                source: Box::new(e),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Config::default(),
            Err(source) => return Err(ConfigError::Io { path, source }),
        };
        if config.kiosk_id.is_empty() {
            config.kiosk_id = new_kiosk_id()?;
            config.save(data_dir)?;
        }
        config.check()?;
        Ok(config)
    }

    /// Applies the `JOBFAIR_*` overrides found by `lookup`.
    pub fn apply_env(
        &mut self,
        lookup: impl Fn(&'static str) -> Option<String>,
    ) -> Result<(), ConfigError> {
        if let Some(value) = lookup("JOBFAIR_IDLE_SECONDS") {
            self.idle_seconds = value.trim().parse().map_err(|_| ConfigError::Env {
                var: "JOBFAIR_IDLE_SECONDS",
                value: value.clone(),
                expected: "a whole number of seconds",
            })?;
        }
        if let Some(value) = lookup("JOBFAIR_LANGUAGE") {
            self.language = parse_language(&value)
                .ok_or(ConfigError::Env {
                    var: "JOBFAIR_LANGUAGE",
                    value: value.clone(),
                    expected: "zh_CN or en",
                })?
                .to_string();
        }
        if let Some(value) = lookup("JOBFAIR_KIOSK_ID") {
            self.kiosk_id = value;
        }
        if let Some(value) = lookup("JOBFAIR_BASE_URL") {
            self.base_url = Some(value).filter(|v| !v.trim().is_empty());
        }
        if let Some(value) = lookup("JOBFAIR_BASE_TOKEN") {
            self.base_token = Some(value).filter(|v| !v.trim().is_empty());
        }
        if let Some(value) = lookup("JOBFAIR_BASE_SEAL_KEY") {
            self.base_seal_key = Some(value).filter(|v| !v.trim().is_empty());
        }
        Ok(())
    }

    /// Checks the values' ranges.
    pub fn check(&self) -> Result<(), ConfigError> {
        if !IDLE_SECONDS_RANGE.contains(&self.idle_seconds) {
            return Err(ConfigError::IdleSeconds(self.idle_seconds));
        }
        if !LANGUAGES.contains(&self.language.as_str()) {
            return Err(ConfigError::Language(self.language.clone()));
        }
        let id_ok = (1..=40).contains(&self.kiosk_id.len())
            && self
                .kiosk_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !id_ok {
            return Err(ConfigError::KioskId(self.kiosk_id.clone()));
        }
        if let Some(key) = &self.base_seal_key
            && crate::protocol::sealed::SealKey::from_hex(key).is_err()
        {
            return Err(ConfigError::BaseSealKey(key.clone()));
        }
        Ok(())
    }

    /// Writes `<data_dir>/config.toml` atomically with mode 0600 (the dir is made 0700).
    pub fn save(&self, data_dir: &Path) -> Result<(), ConfigError> {
        let path = data_dir.join(CONFIG_FILE_NAME);
        let io = |source| ConfigError::Io {
            path: path.clone(),
            source,
        };
        files::create_private_dir(data_dir).map_err(io)?;
        let text = toml::to_string(self)?;
        files::write_private_atomic(&path, text.as_bytes()).map_err(io)
    }
}

/// `kiosk-` and 8 random hex digits.
fn new_kiosk_id() -> Result<String, ConfigError> {
    let n = getrandom::u32().map_err(ConfigError::Random)?;
    Ok(format!("kiosk-{n:08x}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_load_makes_and_keeps_a_kiosk_id() {
        let dir = tempfile::tempdir().unwrap();
        let first = Config::load_file(dir.path()).unwrap();
        assert!(first.kiosk_id.starts_with("kiosk-") && first.kiosk_id.len() == 14);
        assert_eq!(
            Config::load_file(dir.path()).unwrap().kiosk_id,
            first.kiosk_id
        );
    }

    #[test]
    fn file_values_are_read_and_environment_overrides_them() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE_NAME),
            "kiosk_id = \"kiosk-0000abcd\"\nidle_seconds = 90\nlanguage = \"en\"\n",
        )
        .unwrap();
        let mut config = Config::load_file(dir.path()).unwrap();
        assert_eq!((config.idle_seconds, config.language.as_str()), (90, "en"));
        config
            .apply_env(|var| match var {
                "JOBFAIR_IDLE_SECONDS" => Some("30".into()),
                "JOBFAIR_LANGUAGE" => Some("zh_CN".into()),
                _ => None,
            })
            .unwrap();
        assert_eq!(
            (config.idle_seconds, config.language.as_str()),
            (30, "zh_CN")
        );
        assert_eq!(config.kiosk_id, "kiosk-0000abcd");
    }

    #[test]
    fn base_url_and_token_come_from_the_file_and_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE_NAME),
            "kiosk_id = \"kiosk-0000abcd\"\nbase_url = \"https://base.example.cn\"\n",
        )
        .unwrap();
        let mut config = Config::load_file(dir.path()).unwrap();
        assert_eq!(config.base_url.as_deref(), Some("https://base.example.cn"));
        assert_eq!(config.base_token, None);
        config
            .apply_env(|var| match var {
                "JOBFAIR_BASE_URL" => Some("http://127.0.0.1:8080".into()),
                "JOBFAIR_BASE_TOKEN" => Some("t0ken".into()),
                _ => None,
            })
            .unwrap();
        assert_eq!(config.base_url.as_deref(), Some("http://127.0.0.1:8080"));
        assert_eq!(config.base_token.as_deref(), Some("t0ken"));
    }

    #[test]
    fn bad_environment_value_is_an_error() {
        let mut config = Config::default();
        let err = config
            .apply_env(|var| (var == "JOBFAIR_IDLE_SECONDS").then(|| "soon".into()))
            .unwrap_err();
        assert!(matches!(
            err,
            ConfigError::Env {
                var: "JOBFAIR_IDLE_SECONDS",
                ..
            }
        ));
    }

    #[test]
    fn unknown_key_in_the_file_is_rejected() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE_NAME), "idle = 5\n").unwrap();
        assert!(matches!(
            Config::load_file(dir.path()),
            Err(ConfigError::Parse { .. })
        ));
    }
}
