//! Keyboard-wedge scanner input: a USB scanner "types" the QR content as a fast burst of
//! keys, some models with Enter at the end, some without.
//!
//! [`ScanBuffer`] is fed every key with its time in milliseconds ([`ScanBuffer::push`]) and
//! asked now and then whether a quiet gap has ended a scan ([`ScanBuffer::poll`]). A scan
//! ends on Enter, or [`END_GAP_MS`] after the last key of a burst: at least
//! [`MIN_BURST_CHARS`] keys, each within [`BURST_GAP_MS`] of the one before. A human typing
//! slowly never makes a burst, so nothing is scanned by a gap; such typing counts only where
//! the buffer keeps slow typing (the booth's scan field) and only when ended by Enter.
//!
//! Pure code: the caller supplies the clock.

/// Keys of a scanner arrive at most this far apart.
pub const BURST_GAP_MS: u64 = 30;
/// Silence after a burst that ends the scan.
pub const END_GAP_MS: u64 = 60;
/// Fewer keys than this are never a scan by gap (a person tapping one key).
pub const MIN_BURST_CHARS: usize = 8;
/// Longer input is cut off (a ticket has at most 311 characters).
pub const MAX_SCAN_CHARS: usize = 512;

/// How a scan ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanEnd {
    Enter,
    Gap,
}

/// One completed scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    pub text: String,
    pub end: ScanEnd,
    /// True when every key came within [`BURST_GAP_MS`] of the one before.
    pub burst: bool,
}

/// Collects keys into scans.
#[derive(Debug, Clone, Default)]
pub struct ScanBuffer {
    text: String,
    last_ms: Option<u64>,
    burst: bool,
    keep_slow: bool,
}

impl ScanBuffer {
    /// A buffer that drops slow typing (the home screen: only scanners count).
    pub fn new() -> ScanBuffer {
        ScanBuffer::default()
    }

    /// Whether slow typing is kept until Enter (the booth's scan field) or dropped.
    pub fn set_keep_slow(&mut self, keep: bool) {
        self.keep_slow = keep;
    }

    /// True while keys are waiting (the caller polls only then).
    pub fn is_pending(&self) -> bool {
        !self.text.is_empty()
    }

    /// Forgets what was typed.
    pub fn clear(&mut self) {
        self.text.clear();
        self.last_ms = None;
        self.burst = false;
    }

    /// Feeds one key typed at `now_ms`. Returns a scan when this key is Enter, or when the
    /// gap before it ended a burst (then the key starts the next scan).
    pub fn push(&mut self, key: char, now_ms: u64) -> Option<Scan> {
        let mut done = None;
        if self
            .last_ms
            .is_some_and(|last| now_ms.saturating_sub(last) >= END_GAP_MS)
        {
            done = self.end_by_gap();
        }
        if key == '\n' || key == '\r' {
            let scan = self.take(ScanEnd::Enter);
            return done.or(scan.filter(|s| s.burst || self.keep_slow));
        }
        if key.is_control() {
            return done;
        }
        let fast = self
            .last_ms
            .is_none_or(|last| now_ms.saturating_sub(last) <= BURST_GAP_MS);
        self.burst = if self.text.is_empty() {
            true
        } else {
            self.burst && fast
        };
        if self.text.chars().count() < MAX_SCAN_CHARS {
            self.text.push(key);
        }
        self.last_ms = Some(now_ms);
        done
    }

    /// Ends a burst after [`END_GAP_MS`] of silence; drops stale slow typing unless kept.
    pub fn poll(&mut self, now_ms: u64) -> Option<Scan> {
        match self.last_ms {
            Some(last) if now_ms.saturating_sub(last) >= END_GAP_MS => self.end_by_gap(),
            _ => None,
        }
    }

    fn end_by_gap(&mut self) -> Option<Scan> {
        if self.burst && self.text.chars().count() >= MIN_BURST_CHARS {
            self.take(ScanEnd::Gap)
        } else {
            if !self.keep_slow {
                self.clear();
            }
            None
        }
    }

    fn take(&mut self, end: ScanEnd) -> Option<Scan> {
        let text = std::mem::take(&mut self.text);
        let burst = self.burst && text.chars().count() >= MIN_BURST_CHARS;
        self.clear();
        (!text.is_empty()).then_some(Scan { text, end, burst })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TICKET: &str = "JK1AEBAGBAFAYDQQCIKBMGA4DAMBQGAYDAMBQGA";

    /// Types `text` starting at `start` ms, one key every `step` ms; returns every scan.
    fn type_text(buf: &mut ScanBuffer, text: &str, start: u64, step: u64) -> Vec<Scan> {
        text.chars()
            .enumerate()
            .filter_map(|(i, c)| buf.push(c, start + i as u64 * step))
            .collect()
    }

    #[test]
    fn a_scanner_burst_ended_by_enter_is_one_scan() {
        let mut buf = ScanBuffer::new();
        let scans = type_text(&mut buf, &format!("{TICKET}\n"), 1_000, 2);
        assert_eq!(scans.len(), 1);
        assert_eq!(
            (scans[0].text.as_str(), scans[0].end),
            (TICKET, ScanEnd::Enter)
        );
        assert!(scans[0].burst);
        assert!(!buf.is_pending());
    }

    #[test]
    fn a_scanner_burst_without_enter_ends_after_the_gap() {
        let mut buf = ScanBuffer::new();
        assert!(type_text(&mut buf, TICKET, 1_000, 1).is_empty());
        let last = 1_000 + TICKET.len() as u64 - 1;
        assert_eq!(buf.poll(last + END_GAP_MS - 1), None, "not yet");
        let scan = buf.poll(last + END_GAP_MS).expect("the gap ends the scan");
        assert_eq!((scan.text.as_str(), scan.end), (TICKET, ScanEnd::Gap));
        assert_eq!(buf.poll(last + 10 * END_GAP_MS), None, "only once");
    }

    #[test]
    fn keys_5_ms_apart_are_a_burst_and_the_next_scan_starts_cleanly() {
        let mut buf = ScanBuffer::new();
        assert!(type_text(&mut buf, TICKET, 0, 5).is_empty());
        // A second scan starts before anyone polled: the gap ends the first one.
        let second_start = (TICKET.len() as u64) * 5 + 500;
        let scans = type_text(&mut buf, "JK1SECONDSCAN", second_start, 5);
        assert_eq!(scans.len(), 1);
        assert_eq!(scans[0].text, TICKET);
        let scan = buf.poll(second_start + 1_000).unwrap();
        assert_eq!(scan.text, "JK1SECONDSCAN");
    }

    #[test]
    fn a_human_typing_slowly_makes_no_phantom_scan_on_the_home_screen() {
        let mut buf = ScanBuffer::new();
        let mut scans = Vec::new();
        for (i, c) in "JK1ABCDEFGHIJ".chars().enumerate() {
            let t = i as u64 * 250;
            scans.extend(buf.push(c, t));
            scans.extend(buf.poll(t + 120));
        }
        scans.extend(buf.push('\n', 10_000));
        assert!(scans.is_empty(), "{scans:?}");
        assert!(!buf.is_pending());
    }

    #[test]
    fn slow_typing_counts_in_the_booth_field_when_ended_by_enter() {
        let mut buf = ScanBuffer::new();
        buf.set_keep_slow(true);
        let mut scans = Vec::new();
        for (i, c) in "ABCD2345".chars().enumerate() {
            let t = i as u64 * 400;
            scans.extend(buf.push(c, t));
            scans.extend(buf.poll(t + 200));
        }
        assert!(scans.is_empty(), "a pause never ends slow typing");
        let scan = buf.push('\n', 9_000).unwrap();
        assert_eq!(
            (scan.text.as_str(), scan.end, scan.burst),
            ("ABCD2345", ScanEnd::Enter, false)
        );
    }

    #[test]
    fn a_few_quick_keys_are_not_a_scan() {
        let mut buf = ScanBuffer::new();
        type_text(&mut buf, "12", 0, 3);
        assert_eq!(buf.poll(1_000), None);
        assert!(!buf.is_pending(), "dropped on the home screen");
    }
}
