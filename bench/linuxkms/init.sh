#!/bin/busybox sh
# /init of the test initramfs: a bare Linux with no desktop, no seat manager and no logind, as on a
# kiosk, where the kiosk is the only program on the screen and owns the DRM device.
/bin/busybox --install -s /bin
export PATH=/bin:/usr/bin:/sbin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /run /tmp /data
mount -t tmpfs tmpfs /run
stamp() { echo "KMS-STAMP $1 $(cut -d' ' -f1 /proc/uptime)"; }
stamp init

# Modules in dependency order (written by run.sh from `modprobe --show-depends`).
while read -r m; do insmod "/lib/modules/$m" || echo "insmod $m failed"; done < /modules.order
stamp modules

# libinput only takes devices that udev has initialised and tagged (ID_INPUT_*), so run the real
# udevd for the input and drm devices, then stop it: there is no hotplug in this test.
/lib/systemd/systemd-udevd --daemon
udevadm trigger --action=add --subsystem-match=input --subsystem-match=drm
udevadm settle --timeout=30
stamp udev
for d in /sys/class/input/event*; do
    echo "input $(basename "$d"): $(cat "$d/device/name") [$(grep '^E:ID_INPUT_' /run/udev/data/c$(cat "$d/dev") | tr '\n' ' ')]"
done
ls -l /dev/dri

# With a touchscreen and libinput's tools on board (run.sh): print what libinput makes of it, next
# to the kiosk (evdev devices are not grabbed, both read the same events).
if [ -x /usr/libexec/libinput/libinput-debug-events ]; then
    for d in /sys/class/input/event*; do
        grep -q '^E:ID_INPUT_TOUCHSCREEN=1' /run/udev/data/c$(cat "$d/dev") || continue
        stdbuf -oL /usr/libexec/libinput/libinput-debug-events --device "/dev/input/$(basename "$d")" &
    done
fi

stamp kiosk-start
SLINT_BACKEND=linuxkms-software RUST_BACKTRACE=1 /usr/bin/jobfair-kiosk --data-dir /data --lang zh_CN
echo "KMS-EXIT rc=$?"
stamp kiosk-exit
poweroff -f
