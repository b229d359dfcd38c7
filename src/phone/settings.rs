//! The staff's on/off choice of the phone form (kept in the store, so it survives a
//! restart; off by default) and the URL the kiosk shows in its QR code.

use crate::app::{Kiosk, Result};
use crate::store::kiosk_state;
use std::net::{IpAddr, SocketAddr, UdpSocket};

/// `kiosk_state` key of the choice (`on` / `off`).
pub const STATE_KEY: &str = "phone_form";

impl Kiosk {
    /// Whether the staff turned the phone form on (off unless they did).
    pub fn phone_form_on(&self) -> Result<bool> {
        Ok(kiosk_state::get(self.store.conn(), STATE_KEY)?.as_deref() == Some("on"))
    }

    /// Keeps the staff's choice.
    pub fn set_phone_form(&mut self, on: bool) -> Result<()> {
        kiosk_state::set(self.store.conn(), STATE_KEY, if on { "on" } else { "off" })?;
        Ok(())
    }

    /// Sign-ups at the current fair made on phones (the staff panel's tile).
    pub fn phone_signups(&self) -> Result<u64> {
        Ok(crate::store::sources::count(
            self.store.conn(),
            &self.fair.fair.id,
            crate::store::sources::Source::Phone,
        )?)
    }

    /// The address the phone form listens on: `phone_listen` of the config, else the default.
    pub fn phone_listen(&self) -> String {
        self.config
            .phone_listen
            .clone()
            .unwrap_or_else(|| super::DEFAULT_LISTEN.to_string())
    }
}

/// The URL phones open for a server bound to `addr`. Bound to every interface, it names
/// the address of the interface with the default route (the fair's Wi-Fi on a hotspot
/// kiosk; found without sending anything), else loopback.
pub fn form_url(addr: SocketAddr) -> String {
    let ip = if addr.ip().is_unspecified() {
        outward_ip().unwrap_or(IpAddr::from([127, 0, 0, 1]))
    } else {
        addr.ip()
    };
    let host = SocketAddr::new(ip, addr.port());
    if addr.port() == 80 {
        format!("http://{}/", host.ip())
    } else {
        format!("http://{host}/")
    }
}

/// The local address a UDP socket "connected" to a documentation address would use:
/// `connect` on UDP only picks the route, no packet leaves.
fn outward_ip() -> Option<IpAddr> {
    let s = UdpSocket::bind("0.0.0.0:0").ok()?;
    s.connect("192.0.2.1:9").ok()?;
    let ip = s.local_addr().ok()?.ip();
    (!ip.is_unspecified()).then_some(ip)
}

#[cfg(test)]
mod tests {
    use super::form_url;

    #[test]
    fn a_bound_address_is_the_url() {
        assert_eq!(
            form_url("10.42.0.1:8080".parse().unwrap()),
            "http://10.42.0.1:8080/"
        );
        assert_eq!(
            form_url("10.42.0.1:80".parse().unwrap()),
            "http://10.42.0.1/"
        );
        assert!(form_url("0.0.0.0:8080".parse().unwrap()).ends_with(":8080/"));
    }
}
