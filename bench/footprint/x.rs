//! A private Xvfb server, a probe that sees the first frame a window presents, and taps.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{ConnectionExt, ImageFormat};
use x11rb::rust_connection::RustConnection;

pub const WIDTH: u16 = 1280;
pub const HEIGHT: u16 = 800;

/// Rows at the top of the screen the probe reads: the kiosk's status bar (fair name, language
/// button) is drawn there on every page.
const PROBE_ROWS: u16 = 64;

/// An Xvfb on a free display, ended on drop.
pub struct Xvfb {
    child: Child,
    pub display: String,
    conn: RustConnection,
    root: u32,
}

impl Xvfb {
    /// Starts `Xvfb :N -screen 0 1280x800x24 -br` (black root, so any drawn window shows).
    pub fn start() -> Result<Xvfb, String> {
        let n = (100..200)
            .find(|n| {
                !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                    && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
            })
            .ok_or("no free X display in :100–:199")?;
        let display = format!(":{n}");
        let mut child = Command::new("Xvfb")
            .args([&display, "-screen", "0", &format!("{WIDTH}x{HEIGHT}x24")])
            .args(["-br", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("Xvfb: {e} (apt-get install -y xvfb)"))?;
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok((conn, screen)) = x11rb::connect(Some(&display)) {
                let root = conn.setup().roots[screen].root;
                return Ok(Xvfb {
                    child,
                    display,
                    conn,
                    root,
                });
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                return Err(format!("Xvfb {display} did not come up in 10 s"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The Xvfb process id (its memory grows with the windows it holds).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// A hash of the whole screen's pixels, to tell whether a tap changed the page.
    pub fn screen_hash(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        if let Some(image) = self
            .conn
            .get_image(ImageFormat::Z_PIXMAP, self.root, 0, 0, WIDTH, HEIGHT, !0)
            .ok()
            .and_then(|c| c.reply().ok())
        {
            image.data.hash(&mut h);
        }
        h.finish()
    }

    /// How many distinct colours the top rows of the screen have now. The bare (black) root
    /// has 1, and so has a freshly mapped window filled with one colour; drawn text has many.
    pub fn top_colours(&self) -> usize {
        let reply = self
            .conn
            .get_image(
                ImageFormat::Z_PIXMAP,
                self.root,
                0,
                0,
                WIDTH,
                PROBE_ROWS,
                !0,
            )
            .ok()
            .and_then(|c| c.reply().ok());
        let Some(image) = reply else {
            return 0;
        };
        let mut seen: Vec<u32> = image
            .data
            .chunks_exact(4)
            .map(|p| u32::from_le_bytes([p[0], p[1], p[2], 0]))
            .collect();
        seen.sort_unstable();
        seen.dedup();
        seen.len()
    }

    /// Polls every millisecond until the top rows show a drawn frame (at least 3 colours);
    /// returns when it was first seen, or `None` after `timeout`.
    pub fn wait_first_frame(&self, timeout: Duration) -> Option<Instant> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            let polled = Instant::now();
            if self.top_colours() >= 3 {
                return Some(polled);
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        None
    }

    /// A tap (pointer move and click) at `x, y`, as a person on the touchscreen would.
    pub fn tap(&self, x: u32, y: u32) -> Result<(), String> {
        self.run(
            "xdotool",
            &["mousemove", &x.to_string(), &y.to_string(), "click", "1"],
        )
    }

    /// Types `text` as keystrokes, then Return (a staff member at a USB keyboard).
    pub fn type_line(&self, text: &str) -> Result<(), String> {
        // Without a window manager X gives no window the keyboard focus: give it.
        let found = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", "jobfair-kiosk"])
            .env("DISPLAY", &self.display)
            .output()
            .map_err(|e| format!("xdotool: {e}"))?;
        let ids = String::from_utf8_lossy(&found.stdout);
        let win = ids.split_whitespace().next().ok_or("no kiosk window")?;
        self.run("xdotool", &["windowfocus", "--sync", win])?;
        self.run("xdotool", &["type", "--delay", "5", text])?;
        self.run("xdotool", &["key", "Return"])
    }

    /// A PNG of the whole screen (ImageMagick's `import`).
    pub fn screenshot(&self, out: &Path) -> Result<(), String> {
        let out = out.to_string_lossy();
        self.run("import", &["-window", "root", &out])
    }

    fn run(&self, program: &str, args: &[&str]) -> Result<(), String> {
        let status = Command::new(program)
            .args(args)
            .env("DISPLAY", &self.display)
            .status()
            .map_err(|e| format!("{program}: {e}"))?;
        status
            .success()
            .then_some(())
            .ok_or_else(|| format!("{program} {args:?}: {status}"))
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        // TERM, not KILL: Xvfb then removes its socket and lock file, freeing the display.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}
