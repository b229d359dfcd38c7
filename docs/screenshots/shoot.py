#!/usr/bin/env python3
"""Screenshots of every page, in both languages, from the real binary under Xvfb.

    python3 docs/screenshots/shoot.py [BINARY]     (default target/release/jobfair-kiosk)

Needs xvfb, xdotool and imagemagick. Taps the kiosk like a person on a 1280×800 screen (the script
format is that of the team's xshot tool, plus `key` and `focus`: without a window manager X gives no window the
keyboard focus, so typing needs `xdotool windowfocus`); writes docs/screenshots/<lang>-<page>.png at
half size. Synthetic data only (the resident ID below is made for region 520000, never issued).
"""
import os, pathlib, shutil, subprocess, sys, tempfile, time

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"

KEYS = {"1": (902, 283), "2": (1046, 283), "3": (1190, 283), "4": (902, 400), "5": (1046, 400),
        "6": (1190, 400), "7": (902, 518), "8": (1046, 518), "9": (1190, 518), "X": (902, 635),
        "0": (1046, 635)}
PIN_KEYS = {"1": (886, 181), "2": (1030, 181), "3": (1174, 181), "4": (886, 348), "5": (1030, 348),
            "6": (1174, 348), "7": (886, 515), "8": (1030, 515), "9": (1174, 515), "0": (1030, 682)}
NEXT = (1106, 740)
KB_NUMERIC = (111, 656)    # "123" on the pinyin layout of the name page
KB_ENGLISH = (1076, 656)   # "ABC" beside the numeric layout
ABOUT = (1176, 744)
CANCEL = (1166, 124)


def tap(xy):
    return f"click {xy[0]} {xy[1]}\nwait 0.3\n"


def keypad(digits):
    return "".join(tap(KEYS[d]) for d in digits)


def script(lang):
    p = lambda name: f"wait 0.6\nshot {lang}-{name}\n"
    s = "wait 3\n"
    if lang == "en":
        s += tap((1022, 32))                       # language switch
    s += p("home")
    s += tap(ABOUT) + p("about") + tap((114, 124))
    s += tap((330, 560)) + p("openings")          # browse openings
    s += tap((640, 400)) + p("opening")           # the first card
    s += tap((114, 124)) + tap((114, 124))        # back, home
    s += tap((940, 560)) + p("consent")           # register
    s += tap((1015, 564)) + tap(NEXT)             # ID consent yes; I agree
    s += keypad("1380013") + p("phone-typing")
    s += keypad("8000")                           # 11 digits go on by themselves
    s += keypad("52000019920314001") + p("id-typing")
    s += keypad("X") + p("id-error")              # wrong last character on purpose (checked at 18)
    s += tap((1190, 635)) + keypad("5") + p("id-confirm")
    s += tap(NEXT)
    # The name on the on-screen keyboard: pinyin typed (a physical keyboard goes through the
    # pinyin layout too), space takes the first candidate (张伟); then the other two layouts.
    s += "focus\ntype zhangwei\n" + p("keyboard-pinyin")
    s += "key space\n" + p("name")
    s += tap(KB_NUMERIC) + p("keyboard-numeric")
    s += tap(KB_ENGLISH) + p("keyboard-english")
    s += tap(NEXT) + p("place")
    s += tap((640, 381)) + p("place-picked")      # the township; the village goes on by itself
    s += tap((1056, 381)) + p("choose-empty")
    s += tap((640, 465)) + tap((640, 625)) + p("choose")
    s += tap(NEXT) + p("review")
    s += tap(NEXT) + "wait 1\n" + p("ticket")
    s += tap((920, 538))                           # done
    # The same ID with another phone: the last 4 digits of the phone on file are asked.
    s += tap((940, 560)) + tap((1015, 564)) + tap(NEXT) + keypad("13900001111")
    s += keypad("520000199203140015") + tap(NEXT) + p("duplicate")
    s += tap(CANCEL)
    s += tap((1208, 32)) + "".join(tap(PIN_KEYS[d]) for d in "1234") + p("pin")
    s += tap((598, 432)) + p("pin-wrong")         # OK with a wrong PIN
    s += "".join(tap(PIN_KEYS[d]) for d in "2468") + tap((598, 432)) + p("staff")
    return s


def script_day(lang, pin, ticket):
    """Booth, check-in and the staff panel, on a kiosk with seven synthetic sign-ups and a booth."""
    p = lambda name: f"wait 0.8\nshot {lang}-{name}\n"
    bad = ticket[:40] + ("B" if ticket[40] == "A" else "A") + ticket[41:]
    s = "wait 3\nfocus\n"
    if lang == "en":
        s += tap((1022, 32))
    s += f"scan {ticket}\n" + p("check-in")                # a ticket scanned at the home screen
    s += "wait 0.5\n" + tap((144, 744)) + p("booth-login")  # the small Booth button
    ok = (598, 486) if lang == "en" else (598, 432)    # the English employer name takes two lines
    s += tap((640, 266)) + "".join(tap(PIN_KEYS[d]) for d in pin) + tap(ok) + p("booth-scan")
    s += f"focus\nscan {bad}\n" + p("booth-invalid")
    s += f"focus\nscan {ticket}\n"
    s += tap((149, 500)) + p("booth-candidate")            # interested
    s += tap((1107, 178)) + p("booth-list")
    s += tap((1208, 32)) + "".join(tap(PIN_KEYS[d]) for d in "2468") + tap((598, 432)) + p("staff-panel")
    s += tap((109, 732)) + p("export")
    return s


def run(script_text, out, argv):
    """Xvfb + the program + xdotool actions, one per script line."""
    display = ":" + str(next(d for d in range(120, 200) if not os.path.exists(f"/tmp/.X11-unix/X{d}")))
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = dict(os.environ, DISPLAY=display)
    x = lambda *a: subprocess.run(["xdotool", *a], env=env, check=False, capture_output=True, text=True)
    try:
        time.sleep(1)
        app = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target/release/jobfair-kiosk")
    OUT.mkdir(parents=True, exist_ok=True)
    only_day = os.environ.get("SHOTS") == "day"   # SHOTS=day: only the booth/staff pass
    usb = pathlib.Path(tempfile.mkdtemp())         # a stand-in USB stick for the export dialog
    (usb / "KINGSTON").mkdir()
    os.environ["JOBFAIR_USB_ROOTS"] = str(usb)
    for lang in ("zh", "en"):
        if not only_day:
            data = tempfile.mkdtemp()
            subprocess.run([binary, "--data-dir", data, "staff", "set-pin"], input="2468\n", text=True, check=True)
            raw = pathlib.Path(tempfile.mkdtemp())
            run(script(lang), raw, [binary, "--data-dir", data])
            for png in sorted(raw.glob("*.png")):
                subprocess.run(["convert", str(png), "-resize", "50%", "-colors", "64", "-strip", str(OUT / png.name)], check=True)
            shutil.rmtree(data)
            shutil.rmtree(raw)
        # Second pass: a day at the fair (sign-ups, a booth, check-in, staff panel).
        data = tempfile.mkdtemp()
        subprocess.run([binary, "--data-dir", data, "staff", "set-pin"], input="2468\n", text=True, check=True)
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
        run(script_day(lang, pin, ticket), raw, [binary, "--data-dir", data])
        for png in sorted(raw.glob("*.png")):
            subprocess.run(["convert", str(png), "-resize", "50%", "-colors", "64", "-strip", str(OUT / png.name)], check=True)
        shutil.rmtree(data)
        shutil.rmtree(raw)
    print("wrote", len(list(OUT.glob("*.png"))), "screenshots to", OUT)


if __name__ == "__main__":
    main()
