#!/usr/bin/env bash
# The hotspot's network side, without a radio (issue 15): the README's "hostapd + dnsmasq" set-up
# minus hostapd. One end of a veth pair plays the kiosk's wlan0 (10.42.0.1/24, dnsmasq with the
# README's lines, the phone form on port 80); a "phone" sits in its own network namespace on the
# other end and does what a phone does after joining the Wi-Fi:
#   1. asks for an address by DHCP (busybox udhcpc) and takes the DNS server and router it is given;
#   2. resolves the operating systems' probe hosts through that DNS server (every name must be the
#      kiosk);
#   3. fetches the probes (Android generate_204, Apple hotspot-detect.html, Windows connecttest.txt)
#      by name: each must be sent to the form (a redirect, not the probe's expected answer, so the
#      phone opens its sign-in window), and the form must open in Chinese.
# Not covered: the radio (hostapd, WPA2) and the sign-in windows of real phones — no Wi-Fi hardware.
#
#   sudo tests/hotspot_netns.sh [target/release/jobfair-kiosk]
#
# Needs root (network namespaces, port 80), iproute2, dnsmasq (apt dnsmasq-base), busybox, python3.
# Not part of `cargo test`: a CI container may not grant CAP_NET_ADMIN. Exit code 0 when all passed.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/release/jobfair-kiosk}
for tool in ip dnsmasq busybox python3; do
  command -v "$tool" >/dev/null || { echo "hotspot_netns: $tool missing (apt-get install -y iproute2 dnsmasq-base busybox python3)" >&2; exit 2; }
done
[ -x "$BIN" ] || { echo "hotspot_netns: $BIN missing (cargo build --release)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "hotspot_netns: run as root" >&2; exit 2; }

NS=jfphone$$
K=jfk$$        # the kiosk's end ("wlan0")
P=jfp$$        # the phone's end
WORK=$(mktemp -d)
KIOSK_PID=
cleanup() {
  [ -n "$KIOSK_PID" ] && kill "$KIOSK_PID" 2>/dev/null || true
  [ -f "$WORK/dnsmasq.pid" ] && kill "$(cat "$WORK/dnsmasq.pid")" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  ip link del "$K" 2>/dev/null || true
  rm -rf "/etc/netns/$NS" "$WORK"
}
trap cleanup EXIT

ip netns add "$NS"
ip link add "$K" type veth peer name "$P"
ip link set "$P" netns "$NS"
ip addr add 10.42.0.1/24 dev "$K"
ip link set "$K" up
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS" ip link set "$P" up

# dnsmasq exactly as the README says, with this interface.
cat >"$WORK/dnsmasq.conf" <<EOF
interface=$K
bind-interfaces
dhcp-range=10.42.0.10,10.42.0.250,12h
address=/#/10.42.0.1
no-resolv
no-hosts
dhcp-leasefile=$WORK/leases
EOF
dnsmasq --conf-file="$WORK/dnsmasq.conf" --pid-file="$WORK/dnsmasq.pid" --log-facility="$WORK/dnsmasq.log"

# The phone form on the kiosk's address, port 80, the embedded demo fair.
"$BIN" --data-dir "$WORK/kiosk" phone serve --listen 10.42.0.1:80 >"$WORK/kiosk.log" 2>&1 &
KIOSK_PID=$!

# 1. DHCP, as a phone joining the network.
cat >"$WORK/udhcpc.sh" <<EOF
#!/bin/sh
if [ "\$1" = bound ]; then
  ip addr add "\$ip/\$mask" dev "\$interface"
  echo "ip=\$ip router=\$router dns=\$dns" >"$WORK/lease"
fi
EOF
chmod +x "$WORK/udhcpc.sh"
ip netns exec "$NS" busybox udhcpc -i "$P" -n -q -t 5 -s "$WORK/udhcpc.sh" >/dev/null 2>&1 \
  || { echo "FAIL: no DHCP lease" >&2; cat "$WORK/dnsmasq.log" >&2; exit 1; }
echo "lease: $(cat "$WORK/lease")"
. <(tr ' ' '\n' <"$WORK/lease" | sed 's/^/lease_/')
case "$lease_ip" in 10.42.0.*) ;; *) echo "FAIL: address $lease_ip not in 10.42.0.0/24" >&2; exit 1 ;; esac
[ "$lease_dns" = 10.42.0.1 ] || { echo "FAIL: DNS server $lease_dns, not the kiosk" >&2; exit 1; }
[ "$lease_router" = 10.42.0.1 ] || { echo "FAIL: router $lease_router, not the kiosk" >&2; exit 1; }
# The phone uses the DNS server it was given (ip netns exec mounts this over /etc/resolv.conf).
mkdir -p "/etc/netns/$NS"
echo "nameserver $lease_dns" >"/etc/netns/$NS/resolv.conf"
printf '127.0.0.1 localhost\n' >"/etc/netns/$NS/hosts"

for _ in $(seq 50); do
  ip netns exec "$NS" python3 -c 'import socket; socket.create_connection(("10.42.0.1", 80), 1).close()' 2>/dev/null && break
  sleep 0.2
done

# 2. and 3. DNS and the probes, from the phone's namespace.
ip netns exec "$NS" python3 - <<'EOF'
import http.client, socket, sys

PROBES = [
    ("connectivitycheck.gstatic.com", "/generate_204"),      # Android
    ("connect.rom.miui.com", "/generate_204"),               # Xiaomi
    ("captive.apple.com", "/hotspot-detect.html"),           # Apple
    ("www.msftconnecttest.com", "/connecttest.txt"),         # Windows
]
failed = []
for host, path in PROBES:
    addr = socket.gethostbyname(host)
    if addr != "10.42.0.1":
        failed.append(f"{host} resolved to {addr}, not the kiosk")
        continue
    c = http.client.HTTPConnection(host, 80, timeout=5)
    c.request("GET", path, headers={"User-Agent": "Mozilla/5.0 (Linux; Android 13) probe"})
    r = c.getresponse()
    body = r.read()
    where = r.getheader("Location") or ""
    print(f"{host}{path}: {addr} → {r.status} {where}")
    if r.status not in (301, 302, 303, 307, 308) or "10.42.0.1" not in where and not where.startswith("/"):
        failed.append(f"{host}{path}: {r.status} {where!r}, not a redirect to the form")
# The form itself, as the sign-in window opens it.
c = http.client.HTTPConnection("10.42.0.1", 80, timeout=5)
c.request("GET", "/?s=1")
r = c.getresponse()
page = r.read().decode("utf-8", "replace")
zh = 'lang="zh-CN"' in page
print(f"form: {r.status}, {len(page)} bytes, in Chinese: {zh}")
if r.status != 200 or not zh or "csrf" not in page:
    failed.append(f"the form did not open: {r.status}")
for f in failed:
    print("FAIL:", f, file=sys.stderr)
sys.exit(1 if failed else 0)
EOF
echo "hotspot_netns: passed (DHCP, DNS, probes, form over the README's dnsmasq set-up; no radio)"
