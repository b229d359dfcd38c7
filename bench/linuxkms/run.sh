#!/usr/bin/env bash
# The kiosk under Slint's linuxkms backend (DRM/KMS + libinput, software renderer) in QEMU: builds it
# with `--features linuxkms`, packs it into a tiny initramfs with a Debian kernel, boots it on
# virtio-gpu + virtio multitouch screen + virtio tablet (mouse) + virtio keyboard, touches through
# registration to the name step, types on the on-screen pinyin keyboard by touch, then with the
# mouse, then on the (virtual) physical keyboard, and saves screenshots.
# A developer's check, not part of `cargo test` or CI. Debian/Ubuntu, as root (or with sudo).
# Touch needs QEMU >= 8.1 (virtio-multitouch-pci); Debian 12 has 7.2, so install it from backports:
#   echo 'deb http://deb.debian.org/debian bookworm-backports main' >/etc/apt/sources.list.d/backports.list
#   apt-get update && apt-get install -t bookworm-backports qemu-system-x86
#
#   bench/linuxkms/run.sh                 release build (thin LTO: slow)
#   KMS_PROFILE=dev bench/linuxkms/run.sh
#   KMS_TARGET_DIR=/somewhere bench/linuxkms/run.sh   (default: target/linuxkms, its own cargo lock)
#   KMS_BIN=path/to/jobfair-kiosk bench/linuxkms/run.sh   (no build: a binary built with the feature)
#   KMS_TOUCH=0 bench/linuxkms/run.sh     (an older QEMU: no touchscreen, the tablet does the taps)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PROFILE=${KMS_PROFILE:-release}
TARGET=${KMS_TARGET_DIR:-$ROOT/target/linuxkms}
WORK=$TARGET/qemu
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
TOUCH=${KMS_TOUCH:-1}
log() { echo "== $(date -u +%H:%M:%S) $*"; }

# 1. System packages: the -dev packages only the linuxkms build needs, QEMU, a kernel, busybox,
#    udev (libinput only uses devices udev has tagged) and the XKB data the keymap is compiled from.
PKGS="pkg-config libfontconfig1-dev libxkbcommon-dev libinput-dev libudev-dev qemu-system-x86
      linux-image-amd64 busybox-static udev xkb-data fonts-dejavu-core imagemagick libinput-tools"
missing=$(for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
if [ -n "$missing" ]; then
    log "apt-get install $missing"
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q $missing
fi

if [ "$TOUCH" = 1 ] && ! qemu-system-x86_64 -device help 2>&1 | grep -q '"virtio-multitouch-pci"'; then
    echo "$(qemu-system-x86_64 --version | head -1) has no virtio-multitouch-pci (QEMU >= 8.1);" \
        "install a newer one (see the top of this script) or run with KMS_TOUCH=0" >&2
    exit 1
fi

# 2. The kiosk, built for linuxkms.
if [ -n "${KMS_BIN:-}" ]; then
    BIN=$KMS_BIN
else
    log "cargo build --profile $PROFILE --features linuxkms"
    t=$(date +%s)
    (cd "$ROOT" && CARGO_TARGET_DIR=$TARGET cargo build --profile "$PROFILE" --features linuxkms --bin jobfair-kiosk)
    log "build took $(($(date +%s) - t)) s"
    BIN=$TARGET/$([ "$PROFILE" = dev ] && echo debug || echo "$PROFILE")/jobfair-kiosk
fi

# 3. The initramfs.
KVER=$(find /boot -name 'vmlinuz-*' | sed 's|.*/vmlinuz-||' | sort -V | tail -1)
[ -n "$KVER" ] && [ -d "/lib/modules/$KVER" ] || { echo "no kernel in /boot with modules" >&2; exit 1; }
KERNEL=/boot/vmlinuz-$KVER
log "kernel $KVER; initramfs in $WORK/root"
R=$WORK/root
rm -rf "$R" "$WORK/shots"
mkdir -p "$WORK"
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,lib/modules,lib/systemd,lib/udev/rules.d,etc,proc,sys,dev,run,tmp,data}
mkdir -p "$R/usr/share/X11"
cp /bin/busybox "$R/bin/busybox"
cp "$HERE/init.sh" "$R/init"
cp "$BIN" "$R/usr/bin/jobfair-kiosk"
cp /bin/udevadm "$R/bin/udevadm"
ln -s /bin/udevadm "$R/lib/systemd/systemd-udevd"
copy_libs() {
    for f in "$@"; do
        ldd "$f" | grep -o '/[^ ]*' | while read -r lib; do
            mkdir -p "$R$(dirname "$lib")"
            cp -L "$lib" "$R$lib"
        done
    done
}
copy_libs "$BIN" /bin/udevadm
# libinput's own event printer, run next to the kiosk on the touchscreen only: the serial log then
# shows what libinput made of the touches (TOUCH_DOWN/UP, not pointer events). stdbuf: line-buffered.
DEBUG_EVENTS=/usr/libexec/libinput/libinput-debug-events
if [ "$TOUCH" = 1 ] && [ -x $DEBUG_EVENTS ]; then
    mkdir -p "$R/usr/libexec/libinput" "$R/usr/libexec/coreutils"
    cp $DEBUG_EVENTS "$R/usr/libexec/libinput/"
    cp /usr/bin/stdbuf "$R/usr/bin/"
    cp /usr/libexec/coreutils/libstdbuf.so "$R/usr/libexec/coreutils/"
    copy_libs $DEBUG_EVENTS /usr/bin/stdbuf
fi
# udev: the default rules and input_id (ID_INPUT_KEYBOARD, ID_INPUT_TABLET... which libinput reads).
cp /lib/udev/rules.d/50-udev-default.rules /lib/udev/rules.d/60-input-id.rules "$R/lib/udev/rules.d/"
cp -r /usr/share/X11/xkb "$R/usr/share/X11/"
# fontconfig and one system font: without any, Slint's font collection (fontique 0.11) panics at
# start (`font_sort(..).unwrap()`: NoMatch), although the kiosk draws only its own bundled font.
cp -r /etc/fonts "$R/etc/"
mkdir -p "$R/var/cache/fontconfig"
mkdir -p "$R/usr/share/fonts/truetype/dejavu"
cp /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf "$R/usr/share/fonts/truetype/dejavu/"
[ -d /usr/share/libinput ] && mkdir -p "$R/usr/share" && cp -r /usr/share/libinput "$R/usr/share/"
printf 'root:x:0:0:root:/:/bin/sh\n' >"$R/etc/passwd"
printf 'root:x:0:\ninput:x:101:\nvideo:x:44:\nrender:x:105:\n' >"$R/etc/group"
: >"$R/modules.order"
for m in virtio_pci virtio_gpu virtio_input evdev; do
    modprobe -S "$KVER" --show-depends "$m"
done | awk '$1 == "insmod" && !seen[$2]++ {print $2}' | while read -r ko; do
    cp "$ko" "$R/lib/modules/"
    basename "$ko" >>"$R/modules.order"
done
(cd "$R" && find . | cpio -o -H newc --quiet | gzip -1) >"$WORK/initrd.gz"
log "initramfs $(du -h "$WORK/initrd.gz" | cut -f1) ($(wc -l <"$R/modules.order") modules)"

# 4. Boot it. No KVM here: TCG, so everything is slower than on hardware.
rm -f "$WORK/qmp.sock" "$WORK/monitor.sock" "$WORK/serial.log" "$WORK/timings.txt"
log "qemu-system-x86_64 $(qemu-system-x86_64 --version | head -1)"
# The touchscreen is bound to the display (display=gpu0): QMP input events sent with device=gpu0
# go to it, events without a device to the unbound tablet (the mouse) and keyboard.
TOUCHDEV=()
[ "$TOUCH" = 1 ] && TOUCHDEV=(-device virtio-multitouch-pci,display=gpu0)
t0=$(date +%s.%N)
qemu-system-x86_64 -nodefaults -no-reboot -m 1024 -smp 2 \
    -kernel "$KERNEL" -initrd "$WORK/initrd.gz" \
    -append "console=ttyS0 rdinit=/init quiet loglevel=4 vt.global_cursor_default=0" \
    -device virtio-gpu-pci,id=gpu0,xres=1280,yres=800 \
    "${TOUCHDEV[@]}" -device virtio-tablet-pci -device virtio-keyboard-pci \
    -display none -serial "file:$WORK/serial.log" \
    -qmp "unix:$WORK/qmp.sock,server=on,wait=off" \
    -monitor "unix:$WORK/monitor.sock,server=on,wait=off" &
# (drive.py uses QMP; monitor.sock is the human monitor, for poking by hand: socat - UNIX:...)
QEMU=$!
trap 'kill $QEMU 2>/dev/null || true' EXIT

# 5. Drive it and keep the screenshots (half size, as docs/screenshots).
set +e
KMS_TOUCH=$TOUCH python3 "$HERE/drive.py" "$WORK"
rc=$?
set -e
wait $QEMU 2>/dev/null || true
log "QEMU ran $(awk "BEGIN {printf \"%.1f\", $(date +%s.%N) - $t0}") s; serial log: $WORK/serial.log"
grep -a 'KMS-STAMP\|^input \|KMS-EXIT' "$WORK/serial.log" || true
# libinput's view of the touchscreen (see init.sh): how many touches it reported, and the first ones.
if grep -aq 'TOUCH_DOWN' "$WORK/serial.log"; then
    n() { grep -ac "$1" "$WORK/serial.log"; }
    echo "libinput on the touchscreen: $(n TOUCH_DOWN) TOUCH_DOWN, $(n TOUCH_UP) TOUCH_UP, $(n POINTER_) POINTER_*"
    grep -a -m 6 'TOUCH_\|DEVICE_ADDED' "$WORK/serial.log"
fi
[ -f "$WORK/timings.txt" ] && cat "$WORK/timings.txt"
# This run's pictures replace the last run's (only when it took some).
compgen -G "$WORK/shots/*.ppm" >/dev/null && rm -f "$HERE"/*.png
for ppm in "$WORK"/shots/*.ppm; do
    [ -e "$ppm" ] || continue
    png=$HERE/$(basename "$ppm" .ppm).png
    convert "$ppm" -resize 50% -strip "$png"
    echo "$png $(du -k "$png" | cut -f1) KB"
done
exit $rc
