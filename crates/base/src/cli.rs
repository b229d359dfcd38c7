//! The command line of `jobfair-base`: the server and its administration.

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use jobfair_base::export::{Masking, Requester};
use jobfair_base::logging::{self, LogFormat};
use jobfair_base::operator::{self, Check};
use jobfair_base::{self as base, BaseConfig, BaseServer, Database, Store};
use std::io::BufRead;
use std::path::PathBuf;

/// jobfair-base: the labor-cooperation base server. Kiosks upload their sign-ups,
/// booth stages and check-ins here and pull the fair's openings.
#[derive(Debug, Parser)]
#[command(name = "jobfair-base", version)]
pub struct Cli {
    /// The base's data dir: its SQLite database is `base.db` there (the default engine);
    /// or $JOBFAIR_BASE_DATA_DIR.
    #[arg(long, value_name = "DIR", env = "JOBFAIR_BASE_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Use PostgreSQL instead of SQLite: `postgres://user@host/db`, or
    /// `postgresql:///db?host=/run/postgresql` for a unix socket; or $JOBFAIR_BASE_DATABASE.
    #[arg(long, value_name = "URL", env = "JOBFAIR_BASE_DATABASE", global = true)]
    pub database: Option<String>,
    /// Log lines as text or JSON (stderr); the level from $JOBFAIR_BASE_LOG (default info).
    #[arg(long, value_enum, default_value_t, global = true)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the base server in the foreground until Ctrl-C or SIGTERM (graceful: batches
    /// in flight are finished and answered).
    Serve {
        /// Address to listen on (plain HTTP; put TLS in front of it).
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
        listen: String,
        /// MiB of request bodies held in memory at once, all uploads together (≥ 32).
        #[arg(long, value_name = "MIB", default_value_t = 64)]
        body_budget_mib: usize,
        /// The base's sealing key file (`seal-key init`), which opens the phone and ID
        /// numbers kiosks seal to the base; default base-seal.key in --data-dir. Without
        /// it the base serves, but refuses sign-ups with sealed numbers; or
        /// $JOBFAIR_BASE_SEAL_KEY_FILE (the kiosk's JOBFAIR_BASE_SEAL_KEY is the public key).
        #[arg(long, value_name = "FILE", env = "JOBFAIR_BASE_SEAL_KEY_FILE")]
        seal_key: Option<PathBuf>,
    },
    /// Kiosks allowed to upload.
    #[command(subcommand)]
    Kiosk(Kiosk),
    /// Fairs served to the kiosks.
    #[command(subcommand)]
    Fair(Fair),
    /// Operators allowed to export personal numbers whole.
    #[command(subcommand)]
    Operator(Operator),
    /// Write one XLSX of every kiosk's sign-ups, booth stages and check-ins.
    Export {
        /// The .xlsx file to write (its folder must exist).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Write resident IDs and phone numbers in full (default: masked). Needs
        /// --operator; the password is read from stdin.
        #[arg(long, requires = "operator")]
        unmasked: bool,
        /// The operator making an unmasked export (`operator set-password`).
        #[arg(long, value_name = "NAME")]
        operator: Option<String>,
    },
    /// The exports made so far: when, by whom, which file, how many rows.
    Audit,
    /// Engine, schema version and how many rows the base holds.
    Status,
    /// Return-to-work transport: seats requested (live: asked, seated or waitlisted),
    /// assigned, waitlisted and boarded, per departure or per employer, for each fair and
    /// across fairs (`*`). `-`: rides asked without a departure or employer.
    Transport {
        /// Lines per departure or per employer.
        #[arg(long, value_enum, default_value = "departure")]
        by: base::transport::By,
        /// Only this fair (no across-fairs lines).
        #[arg(long, value_name = "FAIR_ID")]
        fair: Option<String>,
        /// Print JSON (an array of lines; `fair`/`key` null for "every fair"/"total").
        #[arg(long)]
        json: bool,
    },
    /// The base's sealing key (X25519), which opens the phone and ID numbers kiosks seal to
    /// the base: a 0600 file outside the database.
    #[command(subcommand)]
    SealKey(SealKeyCmd),
}

#[derive(Debug, Subcommand)]
pub enum SealKeyCmd {
    /// Make the key file (refuses to replace one) and print the public key for the kiosks.
    Init {
        /// The key file (default: base-seal.key in --data-dir).
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Make a new current key, keep the old ones for older records; print the new public key.
    Rotate {
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Print the current public key (and the previous ones).
    Show {
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum Kiosk {
    /// Add a kiosk and print its token (once: only its hash is stored).
    Add {
        /// The kiosk's `kiosk_id` (1 to 40 of a-z, A-Z, 0-9, '-', '_').
        name: String,
    },
    /// List the kiosks.
    List,
}

#[derive(Debug, Subcommand)]
pub enum Fair {
    /// Validate a fair file (JSON) and publish it; each publish bumps its revision.
    Publish {
        /// The fair file.
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum Operator {
    /// Set (or replace) an operator's password, read from stdin (at least 12 characters).
    SetPassword {
        /// The operator's name (1 to 40 of a-z, A-Z, 0-9, '-', '_').
        name: String,
    },
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    logging::init(cli.log_format);
    if let Command::SealKey(cmd) = cli.command {
        return seal_key(cli.data_dir.as_deref(), cmd);
    }
    let database = Database::choose(cli.data_dir.as_deref(), cli.database.as_deref()).context(
        "no database: give --data-dir DIR (SQLite, made if missing) or --database postgres://…",
    )?;
    if let Command::Serve {
        listen,
        body_budget_mib,
        seal_key,
    } = cli.command
    {
        let mut config = BaseConfig::new(database, listen);
        config.body_budget = body_budget_mib.saturating_mul(1024 * 1024);
        config.seal_key =
            jobfair_base::seal_key::seal_key_path(seal_key.as_deref(), cli.data_dir.as_deref());
        return Ok(BaseServer::serve(config)?);
    }
    base::block_on(async move {
        let store = database
            .open()
            .await
            .with_context(|| format!("opening {}", database.describe()))?;
        admin(store.as_ref(), cli.command).await
    })
}

async fn admin(store: &dyn Store, cmd: Command) -> anyhow::Result<()> {
    match cmd {
        Command::Serve { .. } => unreachable!("served above"),
        Command::SealKey(_) => unreachable!("handled without a database"),
        Command::Kiosk(Kiosk::Add { name }) => {
            let token = base::add_kiosk_to(store, &name).await?;
            eprintln!("kiosk {name} added; its token follows (shown only this once):");
            println!("{token}");
        }
        Command::Kiosk(Kiosk::List) => {
            for (name, created) in store.kiosks().await? {
                println!("{name}\t{created}");
            }
        }
        Command::Fair(Fair::Publish { file }) => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let (id, revision) = base::publish_fair_to(store, &text)
                .await
                .with_context(|| format!("publishing {}", file.display()))?;
            println!("published fair {id} at revision {revision}");
        }
        Command::Operator(Operator::SetPassword { name }) => {
            let password = read_secret(&format!("new password for operator {name}: "))?;
            operator::set_password(store, &name, &password).await?;
            println!("operator {name}: password set");
        }
        Command::Export {
            out,
            unmasked,
            operator,
        } => export(store, out, unmasked, operator).await?,
        Command::Audit => {
            println!(
                "at\toperator\tos_user\tmasking\tsign_ups\tstages\tcheck_ins\tconflicts\tfile"
            );
            for e in store.audit().await? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    e.at,
                    e.operator,
                    e.os_user,
                    e.masking,
                    e.sign_ups,
                    e.stages,
                    e.check_ins,
                    e.conflicts,
                    e.file
                );
            }
        }
        Command::Transport { by, fair, json } => {
            let rows = store.transport_counts().await?;
            let lines = base::transport::report(&rows, by, fair.as_deref());
            if json {
                println!("{}", serde_json::to_string_pretty(&lines)?);
            } else {
                print!("{}", base::transport::tsv(&lines, by));
            }
        }
        Command::Status => {
            let c = store.counts().await?;
            println!(
                "engine {} schema {}: {} sign-ups, {} stages, {} check-ins, {} conflicts, {} fairs, {} kiosks",
                store.engine().as_str(),
                store.schema_version().await?,
                c.sign_ups,
                c.stages,
                c.check_ins,
                c.conflicts,
                c.fairs,
                c.kiosks
            );
        }
    }
    Ok(())
}

async fn export(
    store: &dyn Store,
    out: PathBuf,
    unmasked: bool,
    operator: Option<String>,
) -> anyhow::Result<()> {
    let os_user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| format!("uid {}", unsafe { libc::getuid() }));
    let (masking, who) = match (unmasked, operator) {
        (true, Some(name)) => {
            let password = read_secret(&format!("password of operator {name}: "))?;
            let check = operator::verify(store, &name, &password, chrono::Utc::now()).await?;
            if check != Check::Ok {
                bail!("{}", check.message(&name));
            }
            eprintln!("warning: resident IDs and phone numbers are written in full");
            (Masking::Unmasked, name)
        }
        (true, None) => bail!("--unmasked needs --operator NAME"),
        (false, _) => (Masking::Masked, "-".to_string()),
    };
    let who = Requester {
        operator: who,
        os_user,
    };
    let r = base::export::export_xlsx(store, &out, masking, &who).await?;
    println!(
        "wrote {}: {} sign-ups, {} stages, {} check-ins, {} conflicts",
        out.display(),
        r.sign_ups,
        r.stages,
        r.check_ins,
        r.conflicts
    );
    Ok(())
}

/// One line from stdin without its line end; on a terminal, with the echo off.
fn read_secret(prompt: &str) -> anyhow::Result<String> {
    let tty = unsafe { libc::isatty(0) } == 1;
    let mut saved: Option<libc::termios> = None;
    if tty {
        eprint!("{prompt}");
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(0, &mut t) } == 0 {
            saved = Some(t);
            t.c_lflag &= !libc::ECHO;
            unsafe { libc::tcsetattr(0, libc::TCSANOW, &t) };
        }
    }
    let mut line = String::new();
    let read = std::io::stdin().lock().read_line(&mut line);
    if let Some(t) = saved {
        unsafe { libc::tcsetattr(0, libc::TCSANOW, &t) };
        eprintln!();
    }
    read.context("reading the password from stdin")?;
    let password = line.trim_end_matches(['\n', '\r']).to_string();
    if password.is_empty() {
        bail!("no password on stdin\n标准输入没有密码");
    }
    Ok(password)
}

/// `seal-key init|rotate|show`: needs no database, only the key file's path.
fn seal_key(data_dir: Option<&std::path::Path>, cmd: SealKeyCmd) -> anyhow::Result<()> {
    use jobfair_base::seal_key::{BaseSealKeys, seal_key_path};
    let (SealKeyCmd::Init { file } | SealKeyCmd::Rotate { file } | SealKeyCmd::Show { file }) =
        &cmd;
    let path = seal_key_path(file.as_deref(), data_dir)
        .context("no key file: give --file FILE or --data-dir DIR")?;
    let keys = match cmd {
        SealKeyCmd::Init { .. } => BaseSealKeys::init(&path)?,
        SealKeyCmd::Rotate { .. } => BaseSealKeys::rotate(&path)?,
        SealKeyCmd::Show { .. } => BaseSealKeys::load(&path)?,
    };
    println!("{}", keys.public().to_hex());
    for old in keys.previous_public() {
        eprintln!("previous (still opens older records): {}", old.to_hex());
    }
    Ok(())
}
