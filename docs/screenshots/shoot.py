#!/usr/bin/env python3
"""Screenshots of every page, in both languages, from the real binary under Xvfb.

    python3 docs/screenshots/shoot.py [BINARY]     (default target/release/jobfair-kiosk)

Needs xvfb, xdotool, imagemagick and cargo. Taps the kiosk like a person (the script format is
that of the team's xshot tool, plus `key` and `focus`: without a window manager X gives no window
the keyboard focus, so typing needs `xdotool windowfocus`). Where to tap comes from the layout
test: `LAYOUT_POINTS=FILE cargo test --test ui_layout` writes where every visible button of every
page is, per language and screen size, and the script taps buttons by their label, so a layout
change needs no new coordinates. Writes docs/screenshots/<lang>-<page>.png (1280×800) and
docs/screenshots/portrait/<lang>-<page>.png (800×1280, the window resized with xdotool), at half
size. SHOTS=day: only the booth/staff pass; SHOTS=rides: only the buses and trains; SHOTS=portrait: only the portrait set. Synthetic data
only (the resident ID below is made for region 520000, never issued).
"""
import json, os, pathlib, shutil, subprocess, sys, tempfile, time

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
LANGS = {"zh": "zh_CN", "en": "en"}

# Issue 17: the kiosk opens locked. The data dirs get this synthetic staff passphrase
# (`staff set-passphrase`), the CLI commands read it from the environment, and each window
# is unlocked by typing it into the unlock page's field (at 1280×800, before any resize).
PASSPHRASE = "synthetic staff passphrase 2468"
os.environ.setdefault("JOBFAIR_STAFF_PASSPHRASE", PASSPHRASE)


def set_passphrase(binary, data):
    subprocess.run([str(binary), "--data-dir", str(data), "staff", "set-passphrase"],
                   input=PASSPHRASE + "\n", text=True, check=True, capture_output=True)


def unlock_window(x, data):
    """Types the passphrase on the unlock page when the data dir has a keyring."""
    if not os.path.exists(os.path.join(str(data), "keys", "seal-keyring.json")):
        return
    x("mousemove", "400", "230", "click", "1")
    time.sleep(0.3)
    # Without a window manager X gives no window the keyboard focus.
    win = x("search", "--onlyvisible", "--name", "jobfair-kiosk").stdout.split()
    if win:
        x("windowfocus", "--sync", win[0])
    x("type", "--delay", "5", PASSPHRASE)
    x("key", "Return")
    time.sleep(1.5)



def layout_points():
    """Runs the layout test once; returns {"page lang WxH": [{label, x, y, w, h}, ...]}."""
    f = pathlib.Path(tempfile.mkdtemp()) / "points.json"
    env = dict(os.environ, LAYOUT_POINTS=str(f))
    subprocess.run(["cargo", "test", "--test", "ui_layout"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return json.loads(f.read_text())


class Screen:
    """Taps by label on one page, language and size, from the layout test's points."""

    def __init__(self, points, lang, size):
        self.points, self.lang, self.size = points, LANGS[lang], size

    def buttons(self, page):
        key = f"{page} {self.lang} {self.size[0]}x{self.size[1]}"
        if key not in self.points:
            raise SystemExit(f"the layout test has no page {key!r}")
        return self.points[key]

    def at(self, page, *labels, nth=0):
        """The centre of the nth visible button with one of these labels (zh or en)."""
        hits = [b for b in self.buttons(page) if b["label"] in labels]
        if len(hits) <= nth:
            raise SystemExit(f"no button {labels} on {page} ({self.lang}, {self.size})")
        return hits[nth]["x"], hits[nth]["y"]

    def tap(self, page, *labels, nth=0):
        return tap(self.at(page, *labels, nth=nth))

    def keys(self, page, digits):
        return "".join(self.tap(page, d) for d in digits)

    def cards(self, page):
        """The opening cards visible on a list page, top to bottom."""
        return [(b["x"], b["y"]) for b in self.buttons(page) if b["w"] > 0.6 * self.size[0] and b["h"] >= 20
                and b["y"] > 200]

    def column(self, page, third):
        """The first chip of a column of the place page (0 county, 1 township, 2 village)."""
        w = self.size[0]
        chips = [b for b in self.buttons(page) if b["h"] == 64 and third * w / 3 < b["x"] < (third + 1) * w / 3
                 and b["y"] > 200]
        return chips[0]["x"], chips[0]["y"]


def tap(xy):
    return f"click {xy[0]:.0f} {xy[1]:.0f}\nwait 0.3\n"


def script(sc, lang, openings, keyboards=True):
    """Registration, duplicate and staff PIN; `openings` cards are chosen; `keyboards`: the
    numeric and English keyboard layouts too."""
    p = lambda name: f"wait 0.6\nshot {lang}-{name}\n"
    s = f"wait 3\nsize {sc.size[0]} {sc.size[1]}\nwait 1\n"
    if lang == "en":
        s += tap(Screen(sc.points, "zh", sc.size).at("home", "English"))  # the Chinese home page's language switch
    s += p("home")
    s += sc.tap("home", "About", "关于") + p("about") + sc.tap("about", "Back", "返回")
    s += sc.tap("home", "Browse openings", "看岗位") + p("openings")
    s += tap(sc.cards("openings")[0]) + p("opening")
    s += sc.tap("opening", "Back", "返回") + sc.tap("openings", "Home", "首页")
    s += sc.tap("home", "Register", "我要报名") + p("consent")
    s += sc.tap("consent", "Yes", "同意") + sc.tap("consent", "I agree", "我同意")
    s += sc.keys("phone", "1380013") + p("phone-typing")
    s += sc.keys("phone", "8000")                       # 11 digits go on by themselves
    s += sc.keys("resident-id", "52000019920314001") + p("id-typing")
    s += sc.keys("resident-id", "X") + p("id-error")     # wrong last character on purpose
    s += sc.tap("resident-id", "Delete", "删除") + sc.keys("resident-id", "5") + p("id-confirm")
    s += sc.tap("resident-id-confirm", "Yes, that's me", "对，是我")
    # The name on the on-screen keyboard: pinyin typed (a physical keyboard goes through the
    # pinyin layout too), space takes the first candidate (张伟); then the other two layouts.
    s += "focus\ntype zhangwei\n" + p("keyboard-pinyin")
    s += "key space\n" + p("name")
    if keyboards:
        numeric = sc.at("name", "Number keys", "数字键盘")
        s += tap(numeric) + p("keyboard-numeric")
        s += tap((sc.size[0] - 204, numeric[1])) + p("keyboard-english")  # "ABC", bottom right
    s += sc.tap("name", "Next", "下一步") + p("place")
    s += tap(sc.column("place", 1)) + p("place-picked")   # the township
    s += tap(sc.column("place-township", 2)) + p("choose-empty")  # its first village
    for card in sc.cards("choose")[:openings]:
        s += tap(card)
    s += p("choose")
    s += sc.tap("choose", "Next", "下一步") + p("ride")
    s += sc.tap("ride", "No thanks", "不需要") + p("review")
    s += sc.tap("review", "Confirm and get my ticket", "确认并领取凭证") + "wait 1\n" + p("ticket")
    s += sc.tap("ticket", "Done", "完成")
    # The same ID with another phone: the last 4 digits of the phone on file are asked.
    s += sc.tap("home", "Register", "我要报名") + sc.tap("consent", "Yes", "同意")
    s += sc.tap("consent", "I agree", "我同意") + sc.keys("phone", "13900001111")
    s += sc.keys("resident-id", "520000199203140015")
    s += sc.tap("resident-id-confirm", "Yes, that's me", "对，是我") + p("duplicate")
    s += sc.tap("duplicate", "Cancel", "取消")
    s += sc.tap("home", "Staff", "工作人员") + sc.keys("pin-wrong", "1234") + p("pin")
    s += sc.tap("pin-wrong", "OK", "确定") + p("pin-wrong")
    s += sc.keys("pin-wrong", "2468") + sc.tap("pin-wrong", "OK", "确定") + p("staff")
    return s


def script_day(sc, lang, pin, ticket):
    """Booth, check-in and the staff panel, on a kiosk with seven synthetic sign-ups and a booth."""
    p = lambda name: f"wait 0.8\nshot {lang}-{name}\n"
    bad = ticket[:40] + ("B" if ticket[40] == "A" else "A") + ticket[41:]
    s = "wait 3\nfocus\n"
    if lang == "en":
        s += tap(Screen(sc.points, "zh", sc.size).at("home", "English"))
    s += f"scan {ticket}\n" + p("check-in")                # a ticket scanned at the home screen
    s += "wait 0.5\n" + sc.tap("home", "Booth", "招聘摊位") + p("booth-login")
    booth = [b for b in sc.buttons("booth-login") if b["w"] > 0.6 * sc.size[0]][0]
    s += tap((booth["x"], booth["y"])) + sc.keys("booth-pin", pin) + sc.tap("booth-pin", "OK", "确定")
    s += p("booth-scan")
    s += f"focus\nscan {bad}\n" + p("booth-invalid")
    s += f"focus\nscan {ticket}\n"
    s += sc.tap("booth-candidate", "Interested", "有意向") + p("booth-candidate")
    s += sc.tap("booth-candidate", "Today's candidates", "今日求职者") + p("booth-list")
    s += sc.tap("booth-list", "Staff", "工作人员") + sc.keys("pin-wrong", "2468") + sc.tap("pin-wrong", "OK", "确定")
    s += p("staff-panel")
    s += sc.tap("staff", "Export", "导出") + p("export")
    s += sc.tap("staff-export", "Close", "关闭")
    s += sc.tap("staff", "Clear this fair's data", "清除本场数据") + p("purge")
    s += sc.tap("staff-purge", "Cancel", "取消")
    return s


def script_rides(sc, lang, ticket):
    """Buses and trains (issue 16): the ride step, the review and the ticket with a seat; the
    staff's departures; the bus door with a boarded villager, a forged ticket, the no-shows."""
    p = lambda name: f"wait 0.8\nshot {lang}-{name}\n"
    bad = ticket[:40] + ("B" if ticket[40] == "A" else "A") + ticket[41:]
    s = "wait 3\nfocus\n"
    if lang == "en":
        s += tap(Screen(sc.points, "zh", sc.size).at("home", "English"))
    s += sc.tap("home", "Register", "我要报名") + sc.tap("consent", "I agree", "我同意")
    s += sc.keys("phone", "13900007777")                 # no ID consent: the name page next
    s += "focus\ntype wangxiaoming\nkey space\n" + sc.tap("name", "Next", "下一步")
    s += tap(sc.column("place", 1)) + tap(sc.column("place-township", 2))
    s += tap(sc.cards("choose")[0]) + sc.tap("choose", "Next", "下一步") + p("ride")
    s += tap(sc.cards("ride")[1]) + p("ride-review")
    s += sc.tap("review", "Confirm and get my ticket", "确认并领取凭证") + "wait 1\n" + p("ride-ticket")
    s += sc.tap("ticket", "Done", "完成")
    s += sc.tap("home", "Staff", "工作人员") + sc.keys("pin-wrong", "2468") + sc.tap("pin-wrong", "OK", "确定")
    s += sc.tap("staff", "Seats filled", "已分座") + p("departures")
    board = [b for b in sc.buttons("departures") if b["label"].startswith(("Boarding ", "检票上车 "))][0]
    s += tap((board["x"], board["y"])) + "focus\n"
    s += f"scan {ticket}\n" + p("boarding")
    s += f"focus\nscan {bad}\n" + p("boarding-refused")
    s += sc.tap("boarding-boarded", "Who is missing?", "谁还没上车？") + p("boarding-no-shows")
    return s


def rides(binary, points):
    """The transport pass: 60 synthetic sign-ups, 45 seated on the first bus (12 boarded),
    others on other departures, then the touch UI."""
    import sqlite3
    for lang in ("zh", "en"):
        data = tempfile.mkdtemp()
        subprocess.run([binary, "--data-dir", data, "staff", "set-pin"], input="2468\n", text=True, check=True)
        set_passphrase(binary, data)
        subprocess.run([binary, "--data-dir", data, "dev", "register-loop", "--start", "1", "--count", "60"],
                       check=True, capture_output=True)
        db = sqlite3.connect(f"{data}/kiosk.db")
        rows = db.execute("SELECT short_code, ticket FROM registrations ORDER BY created_at").fetchall()
        db.close()
        deps = ["bus-gaozeng-1"] * 45 + ["bus-gaozeng-2"] * 8 + ["train-congjiang-1"] * 7
        for (code, _), dep in zip(rows, deps):
            subprocess.run([binary, "--data-dir", data, "transport", "request", "--code", code, "--departure", dep],
                           check=True, capture_output=True)
        for code, _ in rows[1:13]:
            subprocess.run([binary, "--data-dir", data, "transport", "board", "--departure", "bus-gaozeng-1", code],
                           check=True, capture_output=True)
        raw = pathlib.Path(tempfile.mkdtemp())
        run(script_rides(Screen(points, lang, (1280, 800)), lang, rows[0][1]), raw, [binary, "--data-dir", data])
        shrink(raw, OUT)
        shutil.rmtree(data)
        shutil.rmtree(raw)


def run(script_text, out, argv, size=(1280, 800)):
    """Xvfb + the program + xdotool actions, one per script line."""
    display = ":" + str(next(d for d in range(120, 200) if not os.path.exists(f"/tmp/.X11-unix/X{d}")))
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", f"{size[0]}x{size[1]}x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = dict(os.environ, DISPLAY=display)
    x = lambda *a: subprocess.run(["xdotool", *a], env=env, check=False, capture_output=True, text=True)
    try:
        time.sleep(1)
        app = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            if x("search", "--onlyvisible", "--name", "jobfair-kiosk").stdout.strip():
                break
            time.sleep(0.2)
        time.sleep(2)
        unlock_window(x, argv[argv.index("--data-dir") + 1])
        for line in script_text.splitlines():
            cmd, _, rest = line.partition(" ")
            if cmd == "wait":
                time.sleep(float(rest))
            elif cmd == "click":
                x("mousemove", *rest.split(), "click", "1")
                time.sleep(0.2)
            elif cmd == "type":
                x("type", "--delay", "40", rest)
            elif cmd == "scan":   # a USB keyboard-wedge scanner: keys 5 ms apart, no Enter
                x("type", "--delay", "5", rest)
            elif cmd == "key":
                x("key", rest)
            elif cmd == "size":   # the window to the screen's size (no window manager does it)
                win = x("search", "--name", "jobfair-kiosk").stdout.split()
                if win:
                    x("windowmove", win[0], "0", "0")
                    x("windowsize", win[0], *rest.split())
            elif cmd == "focus":
                win = x("search", "--name", "jobfair-kiosk").stdout.split()
                if win:
                    x("windowfocus", "--sync", win[0])
            elif cmd == "shot":
                subprocess.run(["import", "-display", display, "-window", "root", str(out / f"{rest}.png")], check=True)
            if app.poll() is not None:
                raise SystemExit(f"the kiosk exited during: {line}")
        app.terminate()
        app.wait()
    finally:
        xvfb.terminate()


def shrink(raw, out):
    out.mkdir(parents=True, exist_ok=True)
    for png in sorted(raw.glob("*.png")):
        subprocess.run(["convert", str(png), "-resize", "50%", "-colors", "64", "-strip", str(out / png.name)], check=True)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target/release/jobfair-kiosk")
    OUT.mkdir(parents=True, exist_ok=True)
    shots = os.environ.get("SHOTS", "all")   # day: only the booth/staff pass; portrait: only portrait
    points = layout_points()
    if shots == "rides":
        rides(binary, points)
        return
    usb = pathlib.Path(tempfile.mkdtemp())         # a stand-in USB stick for the export dialog
    (usb / "KINGSTON").mkdir()
    os.environ["JOBFAIR_USB_ROOTS"] = str(usb)
    for lang in ("zh", "en"):
        passes = []
        if shots == "all":
            passes.append(((1280, 800), OUT, 2, True))
        if shots in ("all", "portrait"):
            passes.append(((800, 1280), OUT / "portrait", 5, False))
        for size, out, openings, keyboards in passes:
            data = tempfile.mkdtemp()
            subprocess.run([binary, "--data-dir", data, "staff", "set-pin"], input="2468\n", text=True, check=True)
            set_passphrase(binary, data)
            raw = pathlib.Path(tempfile.mkdtemp())
            sc = Screen(points, lang, size)
            run(script(sc, lang, openings, keyboards), raw, [binary, "--data-dir", data], size)
            shrink(raw, out)
            shutil.rmtree(data)
            shutil.rmtree(raw)
        if shots == "portrait":
            continue
        # Second pass: a day at the fair (sign-ups, a booth, check-in, staff panel).
        data = tempfile.mkdtemp()
        subprocess.run([binary, "--data-dir", data, "staff", "set-pin"], input="2468\n", text=True, check=True)
        set_passphrase(binary, data)
        subprocess.run([binary, "--data-dir", data, "dev", "register-loop", "--start", "1", "--count", "7"],
                       check=True, capture_output=True)
        added = subprocess.run([binary, "--data-dir", data, "booth", "add", "--employer", "baichuan"],
                               check=True, capture_output=True, text=True).stdout
        pin = added.split("PIN:")[1].split()[0]
        import sqlite3
        db = sqlite3.connect(f"{data}/kiosk.db")
        ticket = db.execute("SELECT ticket FROM registrations ORDER BY created_at LIMIT 1").fetchone()[0]
        db.close()
        raw = pathlib.Path(tempfile.mkdtemp())
        run(script_day(Screen(points, lang, (1280, 800)), lang, pin, ticket), raw, [binary, "--data-dir", data])
        shrink(raw, OUT)
        shutil.rmtree(data)
        shutil.rmtree(raw)
    print("wrote", len(list(OUT.glob("**/*.png"))), "screenshots to", OUT)


if __name__ == "__main__":
    main()
