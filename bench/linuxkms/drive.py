#!/usr/bin/env python3
"""Drives the kiosk running in QEMU (Slint linuxkms backend) through QEMU's monitor, like a person.

    python3 drive.py WORKDIR          (run by run.sh once QEMU is started)

WORKDIR holds qmp.sock (QMP), serial.log (the guest's console) and gets shots/*.ppm and timings.txt.
Touches go to the virtio multitouch screen (QEMU >= 8.1): QMP `input-send-event` with `mtt` events
(slot, tracking id, X/Y) and BTN_TOUCH, sent with device=gpu0 because run.sh binds the touchscreen
to that display; the guest sees a touchscreen (ABS_MT_*), libinput touch events, Slint's touch path.
Mouse clicks go to the unbound virtio tablet as absolute positions (`input-send-event` abs + btn,
the QMP form of HMP `mouse_move` + `mouse_button`). Physical keys are HMP `sendkey` (through QMP's
`human-monitor-command`), so they reach the guest as a virtio keyboard's key presses.
Screens are QEMU `screendump`s of the virtio-gpu scanout, i.e. what the DRM device shows.
KMS_TOUCH=0 (an older QEMU without a touchscreen): the tablet does the taps too.
"""
import json
import os
import pathlib
import socket
import sys
import time

W, H = 1280, 800  # virtio-gpu-pci,xres=1280,yres=800: the kiosk's own default size
ABS_MAX = 0x8000  # QEMU's absolute axis range is 0..0x7fff

# Coordinates on the 1280×800 screen (the same as docs/screenshots/shoot.py under winit).
REGISTER = (940, 560)
ID_CONSENT_YES = (1015, 564)
NEXT = (1106, 740)
KEYPAD = {"1": (902, 283), "2": (1046, 283), "3": (1190, 283), "4": (902, 400), "5": (1046, 400),
          "6": (1190, 400), "7": (902, 518), "8": (1046, 518), "9": (1190, 518), "X": (902, 635),
          "0": (1046, 635)}
# The pinyin layout of the name step (row y: 460, 530, 598; candidates bar y 382).
LETTERS = {"q": (80, 460), "w": (204, 460), "e": (330, 460), "r": (454, 460), "t": (576, 460),
           "y": (700, 460), "u": (824, 460), "i": (950, 460), "o": (1074, 460), "p": (1198, 460),
           "a": (124, 530), "s": (254, 530), "d": (380, 530), "f": (510, 530), "g": (640, 530),
           "h": (766, 530), "j": (894, 530), "k": (1024, 530), "l": (1150, 530),
           "z": (216, 598), "x": (346, 598), "c": (476, 598), "v": (606, 598), "b": (738, 598),
           "n": (868, 598), "m": (1000, 598)}
FIRST_CANDIDATE_X, CANDIDATE_Y = 236, 382
TOUCH = os.environ.get("KMS_TOUCH", "1") == "1"
TAP = "touch" if TOUCH else "tablet"  # in the pictures' names
TOUCH_DISPLAY = "gpu0"  # run.sh: -device virtio-gpu-pci,id=gpu0 and virtio-multitouch-pci,display=gpu0
SYNTHETIC_PHONE = "13800138000"
SYNTHETIC_ID = "520000199203140015"  # region 520000, check digit valid, never issued


class Qmp:
    def __init__(self, path, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(str(path))
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        self.buf = b""
        self._read()  # greeting
        self.cmd("qmp_capabilities")

    def _read(self):
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RuntimeError("QMP closed (QEMU exited?)")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def cmd(self, name, **args):
        self.sock.sendall(json.dumps({"execute": name, "arguments": args}).encode() + b"\n")
        while True:
            msg = self._read()
            if "return" in msg:
                return msg["return"]
            if "error" in msg:
                raise RuntimeError(f"{name}: {msg['error']}")
            # asynchronous events are skipped

    def hmp(self, line):
        return self.cmd("human-monitor-command", **{"command-line": line})


class Kiosk:
    def __init__(self, work):
        self.work = pathlib.Path(work)
        self.shots = self.work / "shots"
        self.shots.mkdir(exist_ok=True)
        self.serial = self.work / "serial.log"
        self.qmp = Qmp(self.work / "qmp.sock")
        self.t0 = time.monotonic()
        self.timings = []
        self.n = 0
        self.tracking_id = 0

    def grab(self):
        """The current scanout as raw PPM bytes."""
        self.n += 1
        path = self.work / f"grab-{self.n % 4}.ppm"
        self.qmp.cmd("screendump", filename=str(path))
        return path.read_bytes()

    def check_alive(self):
        log = self.serial.read_text(errors="replace") if self.serial.exists() else ""
        if "KMS-EXIT" in log:
            sys.exit("the kiosk exited; last lines of serial.log:\n" + "\n".join(log.splitlines()[-30:]))

    def settle(self, before=None, timeout=60.0):
        """Waits until the screen changed from `before` (if given) and then stayed the same for two
        grabs 0.4 s apart. Returns (frame, seconds until it stopped changing)."""
        start = time.monotonic()
        prev = self.grab()
        changed = before is None or prev != before
        while time.monotonic() - start < timeout:
            time.sleep(0.4)
            self.check_alive()
            cur = self.grab()
            if cur != prev:
                changed = True
            elif changed:
                return cur, time.monotonic() - start
            prev = cur
        print(f"  (screen did not settle within {timeout:.0f} s)")
        return prev, time.monotonic() - start

    def shot(self, name):
        frame, _ = self.settle()
        (self.shots / f"{name}.ppm").write_bytes(frame)
        print(f"  shot {name}")
        return frame

    def _abs(self, x, y):
        ax = min(ABS_MAX - 1, int((x + 0.5) * ABS_MAX / W))
        ay = min(ABS_MAX - 1, int((y + 0.5) * ABS_MAX / H))
        return [{"type": "abs", "data": {"axis": "x", "value": ax}},
                {"type": "abs", "data": {"axis": "y", "value": ay}}]

    def click(self, xy, what=""):
        """A mouse click: the tablet's absolute position, then left button down and up."""
        before = self.grab()
        self.qmp.cmd("input-send-event", events=self._abs(*xy))
        time.sleep(0.05)
        self.qmp.cmd("input-send-event", events=[{"type": "btn", "data": {"down": True, "button": "left"}}])
        time.sleep(0.08)
        self.qmp.cmd("input-send-event", events=[{"type": "btn", "data": {"down": False, "button": "left"}}])
        _, secs = self.settle(before, timeout=30)
        self.timings.append((f"click {what or xy}", secs))

    def _mtt(self, kind, tracking_id, axis="x", value=0):
        return {"type": "mtt", "data": {"type": kind, "slot": 0, "tracking-id": tracking_id,
                                        "axis": axis, "value": value}}

    def touch(self, xy, what=""):
        """A finger tap on the touchscreen, as QEMU's own UIs send one (ui/console.c
        console_handle_touch_event): slot 0 begins with a new tracking id, BTN_TOUCH, X, Y; then
        the slot ends (tracking id -1) and BTN_TOUCH is released. QEMU turns these into
        ABS_MT_SLOT, ABS_MT_TRACKING_ID, ABS_MT_POSITION_X/Y, BTN_TOUCH and SYN_REPORT."""
        before = self.grab()
        self.tracking_id += 1
        ax, ay = (e["data"]["value"] for e in self._abs(*xy))
        down = [self._mtt("begin", self.tracking_id),
                {"type": "btn", "data": {"down": True, "button": "touch"}},
                self._mtt("data", self.tracking_id, "x", ax),
                self._mtt("data", self.tracking_id, "y", ay)]
        up = [self._mtt("end", -1), {"type": "btn", "data": {"down": False, "button": "touch"}}]
        self.qmp.cmd("input-send-event", device=TOUCH_DISPLAY, events=down)
        time.sleep(0.08)
        self.qmp.cmd("input-send-event", device=TOUCH_DISPLAY, events=up)
        after, secs = self.settle(before, timeout=30)
        if after == before:
            print(f"  touch {what or xy}: the screen did not change")
        self.timings.append((f"touch {what or xy}" + ("" if after != before else " (no change)"), secs))

    def tap(self, xy, what=""):
        """A finger on the touchscreen, or the tablet when there is none (KMS_TOUCH=0)."""
        (self.touch if TOUCH else self.click)(xy, what)

    def key(self, qcode):
        before = self.grab()
        self.qmp.hmp(f"sendkey {qcode}")
        _, secs = self.settle(before, timeout=30)
        self.timings.append((f"sendkey {qcode}", secs))

    def wait_first_frame(self, timeout=900):
        """The kiosk's first frame: a 1280×800 scanout that is mostly light (the console before it
        is black text)."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            self.check_alive()
            try:
                frame = self.grab()
            except RuntimeError:
                time.sleep(1)
                continue
            if light_fraction(frame) > 0.5:
                return time.monotonic() - self.t0
            time.sleep(0.5)
        sys.exit(f"no kiosk frame within {timeout} s; see {self.serial}")


def light_fraction(ppm):
    """Share of light pixels in a binary PPM (P6, maxval 255), sampled."""
    parts = ppm.split(maxsplit=4)
    if parts[0] != b"P6":
        return 0.0
    pix = parts[4]
    light = total = 0
    for i in range(0, len(pix) - 2, 3 * 97):
        total += 1
        light += (pix[i] + pix[i + 1] + pix[i + 2]) > 3 * 160
    return light / max(total, 1)


def main():
    k = Kiosk(sys.argv[1])
    first = k.wait_first_frame()
    print(f"first kiosk frame {first:.1f} s after QMP connected")
    k.shot("home")
    k.tap(REGISTER, "register")
    k.tap(ID_CONSENT_YES, "ID consent yes")
    k.tap(NEXT, "next")
    for d in SYNTHETIC_PHONE:
        k.tap(KEYPAD[d], d)
    k.tap(NEXT, "next")
    for d in SYNTHETIC_ID:
        k.tap(KEYPAD[d], d)
    k.tap(NEXT, "next")
    k.shot("id-confirm")
    k.tap(NEXT, "next")
    # On-screen keys: z h a n g, touched on the pinyin layout, then the first candidate.
    for c in "zhang":
        k.tap(LETTERS[c], c)
    k.shot(f"name-{TAP}-pinyin")
    k.tap((FIRST_CANDIDATE_X, CANDIDATE_Y), "first candidate")
    k.shot(f"name-{TAP}-candidate")
    # The mouse (virtio tablet): m i n g clicked on the same keyboard, then the first candidate.
    for c in "ming":
        k.click(LETTERS[c], c)
    k.click((FIRST_CANDIDATE_X, CANDIDATE_Y), "first candidate")
    k.shot("name-mouse-candidate")
    # Physical keys (virtio keyboard, HMP sendkey): w e i, then space takes the first candidate.
    for c in "wei":
        k.key(c)
    k.shot("name-physical-keys")
    k.key("spc")
    k.shot("name-physical-space")
    # Backspace with nothing being composed goes to the text field itself: two of them, 张明伟 -> 张.
    k.key("backspace")
    k.key("backspace")
    k.shot("name-physical-backspace")

    with open(k.work / "timings.txt", "w") as f:
        f.write(f"touch {'multitouch screen' if TOUCH else 'tablet (KMS_TOUCH=0)'}\n")
        f.write(f"first_frame_after_qmp_s {first:.2f}\n")
        for what, secs in k.timings:
            f.write(f"{what}\t{secs:.2f}\n")
    k.qmp.cmd("quit")


if __name__ == "__main__":
    main()
