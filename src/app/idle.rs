//! When to warn and when to reset after no touch: the decision of the idle timer, apart
//! from any clock or UI (the touch UI's timer in `gui/idle.rs` asks it).
//!
//! A villager's page gives `idle_seconds` (60 by default) without a touch; for the last
//! [`WARNING`] of them a "还在吗？ / Still there?" countdown with a large "continue"
//! target is shown, so a villager fetching the ID card does not lose the form. A booth
//! page gives [`BOOTH_IDLE`] (a recruiter reads and talks), with the same warning. The
//! home page is reset quietly (only the language goes back to the default).

use std::time::Duration;

/// How long the countdown before a reset is shown.
pub const WARNING: Duration = Duration::from_secs(15);
/// A recruiter's booth pages log out after this long without a touch or a scan.
pub const BOOTH_IDLE: Duration = Duration::from_secs(10 * 60);
/// The shortest idle time accepted from the config.
pub const MIN_IDLE: Duration = Duration::from_secs(5);

/// What kind of page is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Home,
    /// A villager's page (browsing, registering, the ticket).
    Villager,
    /// A recruiter's booth page.
    Booth,
}

/// What the idle timer should do now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdleState {
    /// Nothing to show; look again after `check_in`.
    Active { check_in: Duration },
    /// Show the countdown: `left` until the reset (look again within a second).
    Warning { left: Duration },
    /// Reset now (home, form cleared, default language).
    Expired,
}

/// The idle limits of one kiosk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdlePolicy {
    villager: Duration,
}

impl IdlePolicy {
    /// `idle_seconds` from the config (at least [`MIN_IDLE`]).
    pub fn new(idle_seconds: u32) -> IdlePolicy {
        IdlePolicy {
            villager: Duration::from_secs(u64::from(idle_seconds)).max(MIN_IDLE),
        }
    }

    /// How long `screen` may go untouched.
    pub fn limit(&self, screen: Screen) -> Duration {
        match screen {
            Screen::Home | Screen::Villager => self.villager,
            Screen::Booth => BOOTH_IDLE.max(self.villager),
        }
    }

    /// The countdown's length on `screen`: [`WARNING`], at most a third of the limit,
    /// none on the home page.
    pub fn warning(&self, screen: Screen) -> Duration {
        match screen {
            Screen::Home => Duration::ZERO,
            _ => WARNING.min(self.limit(screen) / 3),
        }
    }

    /// The state after `idle_for` without a touch on `screen`.
    pub fn state(&self, screen: Screen, idle_for: Duration) -> IdleState {
        let limit = self.limit(screen);
        if idle_for >= limit {
            return IdleState::Expired;
        }
        let warn_at = limit - self.warning(screen);
        if idle_for >= warn_at {
            IdleState::Warning {
                left: limit - idle_for,
            }
        } else {
            IdleState::Active {
                check_in: warn_at - idle_for,
            }
        }
    }

    /// Whole seconds the countdown shows for `left` (rounded up: "1" until the end).
    pub fn seconds_shown(left: Duration) -> u64 {
        left.as_millis().div_ceil(1000) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    #[test]
    fn a_villager_page_warns_for_the_last_15_seconds_then_resets() {
        let p = IdlePolicy::new(60);
        assert_eq!(
            p.state(Screen::Villager, s(10)),
            IdleState::Active { check_in: s(35) }
        );
        assert_eq!(
            p.state(Screen::Villager, s(45)),
            IdleState::Warning { left: s(15) }
        );
        assert_eq!(
            p.state(Screen::Villager, s(59)),
            IdleState::Warning { left: s(1) }
        );
        assert_eq!(p.state(Screen::Villager, s(60)), IdleState::Expired);
    }

    #[test]
    fn the_home_page_resets_quietly() {
        let p = IdlePolicy::new(60);
        assert_eq!(
            p.state(Screen::Home, s(59)),
            IdleState::Active { check_in: s(1) }
        );
        assert_eq!(p.state(Screen::Home, s(60)), IdleState::Expired);
    }

    #[test]
    fn a_booth_page_waits_ten_minutes_with_the_same_warning() {
        let p = IdlePolicy::new(60);
        assert!(matches!(
            p.state(Screen::Booth, s(300)),
            IdleState::Active { .. }
        ));
        assert_eq!(
            p.state(Screen::Booth, s(590)),
            IdleState::Warning { left: s(10) }
        );
        assert_eq!(p.state(Screen::Booth, s(600)), IdleState::Expired);
    }

    #[test]
    fn a_short_idle_time_keeps_a_third_of_it_for_the_warning() {
        let p = IdlePolicy::new(1);
        assert_eq!(p.limit(Screen::Villager), MIN_IDLE);
        assert_eq!(p.warning(Screen::Villager), MIN_IDLE / 3);
    }

    #[test]
    fn the_countdown_rounds_up() {
        assert_eq!(IdlePolicy::seconds_shown(Duration::from_millis(14_200)), 15);
        assert_eq!(IdlePolicy::seconds_shown(Duration::from_millis(1)), 1);
        assert_eq!(IdlePolicy::seconds_shown(Duration::ZERO), 0);
    }
}
