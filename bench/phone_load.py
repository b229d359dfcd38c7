#!/usr/bin/env python3
"""200 phones register at once on the kiosk's phone form while the touch UI is used (issue 15).

    python3 bench/phone_load.py [--binary target/release/jobfair-kiosk] [--phones 200] [--shots DIR]

What runs: the real kiosk binary (the touch UI) in a private Xvfb at 1280×800, its data dir fresh
(the embedded demo fair), the phone form turned on with `jobfair-kiosk phone on` and bound with
`--listen 127.0.0.1:PORT`. Nothing is mocked: real HTTP on 127.0.0.1, the kiosk's own SQLite file.

The phones: one thread each, all released together by a barrier. Each phone has its own source
address (127.0.1.x / 127.0.2.x: the form's rate limit is per client address, as on a hotspot where
every phone has its own), keeps its session cookie and sends the page's CSRF token with every
form, and walks the whole path, reading each page it gets: the bounce page, start, consent, mobile
number, resident ID (every other phone types one, with the ID consent, and confirms it; the others
skip), name, county / township / village (the first of each the page offers), two openings (taken
from the page, different per phone), the ride step's "No thanks" when it is offered, confirm, and
the ticket page (its short code must be there). Every request's time and status is kept.

The kiosk's own UI, timed from outside like a person: taps are sent with XTest and the screen is
read back with XGetImage until the tapped region changes (bench/phone_x11.py). One cycle = the
home page's Browse button (page switch), a trade chip on the openings page (filter), the "all
trades" chip (filter), the Home button (page switch). Cycles are run before the phones (baseline,
form on, no traffic) and while the phones register, in a separate process from the phones.

Afterwards the kiosk is stopped (SIGTERM) and kiosk.db is read with sqlite3: every phone's
registration must be there exactly once (phone, name, resident ID, source = phone, its two
openings) with one outbox record each, and nothing else. Memory: the kiosk's VmRSS before the
phones and VmHWM (peak) at the end, from /proc. Exit code 1 when anything was lost or doubled.
Needs: Xvfb, libX11, libXtst (Python's stdlib only otherwise).
"""
import argparse, http.client, multiprocessing, os, pathlib, random, re, shutil, signal, socket, sqlite3
import statistics, subprocess, sys, tempfile, threading, time, urllib.parse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import phone_x11  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]

# Tap targets of the touch UI at 1280×800 (ui/pages/home_page.slint, openings_page.slint at this commit).
BROWSE = (230, 440)          # 看岗位 on the home page
HOME = (113, 124)            # 首页 on the openings page
TRADE_CHIP = (273, 204)      # 焊接, a trade chip on the openings page
ALL_TRADES = (82, 204)       # 全部工种
# The region watched for a change: below the status bar (its "waiting for upload" count moves
# while phones register).
SCREEN = (0, 70, 1280, 730)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "秀英伟芳娜敏静丽强磊军洋勇艳杰涛明超兰霞平刚桂华红梅建国志文斌玉"


def pct(xs, p):
    """Nearest-rank percentile."""
    if not xs:
        return float("nan")
    s = sorted(xs)
    return s[max(0, min(len(s) - 1, -(-p * len(s) // 100) - 1))]


def resident_id(n):
    """A synthetic resident ID on region 520000 (never issued), born 1970–1999, valid check digit."""
    body = f"520000{1970 + n % 30}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


def person(i):
    phone = f"136{i:08d}"
    name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)] + GIVEN[(i * 11 + 3) % len(GIVEN)]
    rid = resident_id(i) if i % 2 == 0 else None
    return phone, name, rid


class Phone:
    """One phone's browser: its own source address, its cookie, the last page."""

    def __init__(self, port, i, think=(0.0, 0.0)):
        self.port, self.i = port, i
        self.think = think
        self.rng = random.Random(i)
        self.source = f"127.0.{1 + i // 250}.{1 + i % 250}"
        self.cookie = None
        self.page = ""
        self.times = []      # (method, seconds, status)
        self.conn = None

    def _conn(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30,
                                                   source_address=(self.source, 0))
        return self.conn

    def request(self, method, path, body=None):
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookie:
            headers["Cookie"] = f"jf_s={self.cookie}"
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            t0 = time.perf_counter()
            try:
                c = self._conn()
                c.request(method, path, body=body, headers=headers)
                r = c.getresponse()
                data = r.read().decode("utf-8", "replace")
                break
            except (ConnectionError, http.client.HTTPException, OSError):
                # A closed keep-alive connection: reconnect once (counted as its own request).
                self.conn = None
                if attempt:
                    raise
        dt = time.perf_counter() - t0
        self.times.append((method, dt, r.status))
        sc = r.getheader("Set-Cookie")
        if sc and sc.startswith("jf_s="):
            self.cookie = sc.split(";")[0][5:]
        if r.getheader("Connection", "").lower() == "close":
            self.conn = None
        return r.status, data

    def get(self):
        status, data = self.request("GET", "/")
        if status != 200:
            raise RuntimeError(f"GET / → {status}: {data[:200]}")
        self.page = data

    def press(self, action, **fields):
        if self.think[1] > 0:
            # A person reading the page and tapping (or typing) before the form is sent.
            time.sleep(self.rng.uniform(*self.think))
        m = re.search(r'name="csrf" value="([0-9a-f]+)"', self.page)
        if not m:
            raise RuntimeError(f"no CSRF token on the page before {action}")
        form = [("csrf", m.group(1)), ("a", action)] + list(fields.items())
        status, data = self.request("POST", "/", urllib.parse.urlencode(form))
        if status != 303:
            raise RuntimeError(f"pressing {action} → {status}: {data[:200]}")
        self.get()

    def actions(self, prefix):
        return [urllib.parse.unquote(v) for v in
                re.findall(r'name="a" value="(' + re.escape(prefix) + r'[^"]*)"', self.page)]

    def register(self, phone, name, rid):
        from html import unescape
        status, data = self.request("GET", "/?lang=zh")
        if status != 200 or "refresh" not in data:
            raise RuntimeError(f"bounce page → {status}")
        status, data = self.request("GET", "/?s=1")
        if status != 200 or not self.cookie:
            raise RuntimeError(f"first page → {status}, cookie {self.cookie!r}")
        self.page = data
        self.press("start")
        self.press("consent", id_consent="yes" if rid else "no", share_phone="yes")
        self.press("phone", phone=phone)
        if rid:
            self.press("id", resident_id=rid)
            if "id_yes" not in self.page:
                raise RuntimeError("the ID was not shown back")
            self.press("id_yes")
        else:
            self.press("id_skip")
        self.press("name", name=name)
        county = unescape(self.actions("county:")[0]).split(":", 1)[1]
        self.press(f"county:{county}")
        township = unescape(self.actions("township:")[0]).split(":", 1)[1]
        self.press(f"township:{township}", county=county)
        village = unescape(self.actions("village:")[0]).split(":", 1)[1]
        self.press(f"village:{village}", county=county, township=township)
        if not self.actions("toggle:"):
            self.press("place", county=county, township=township, village=village)
        toggles = self.actions("toggle:")
        if len(toggles) < 2:
            raise RuntimeError("fewer than two openings offered")
        picks = [toggles[self.i % len(toggles)], toggles[(self.i * 7 + 1) % len(toggles)]]
        if picks[0] == picks[1]:
            picks[1] = toggles[(toggles.index(picks[0]) + 1) % len(toggles)]
        for p in picks:
            self.press(p)
        self.press("choose")
        if 'value="ride:"' in self.page:
            self.press("ride:")
        if 'value="confirm"' not in self.page:
            raise RuntimeError("no review page")
        self.press("confirm")
        if 'class="code"' not in self.page or 'class="qr"' not in self.page:
            raise RuntimeError("no ticket page after confirm")
        return (county, township, village, [int(p.split(":")[1]) for p in picks])


def ui_prober(display, phase_q, out_q, stop):
    """Runs tap cycles; each timed tap is sent to out_q as (phase, kind, seconds|None)."""
    d = phone_x11.Display(display)
    phase = "baseline"
    while not stop.is_set():
        while not phase_q.empty():
            phase = phase_q.get()
        for kind, xy in (("page switch", BROWSE), ("filter", TRADE_CHIP), ("filter", ALL_TRADES),
                         ("page switch", HOME)):
            first, last = d.timed_tap(xy, SCREEN)
            out_q.put((phase, kind, first, last))
            d.settle(SCREEN, quiet=0.1)


def rss(pid):
    got = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                got[k] = int(v.split()[0]) / 1024.0
    return got


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def free_display():
    return ":" + str(next(d for d in range(170, 250) if not os.path.exists(f"/tmp/.X11-unix/X{d}")))


def start_xvfb(display):
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    return xvfb


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


def start_kiosk(binary, data, port, display):
    """The kiosk (touch UI, phone form on) on `display`, its form on 127.0.0.1:port; waits for the port."""
    env = dict(os.environ, DISPLAY=display)
    log = open(pathlib.Path(data) / "kiosk.log", "a")
    app = subprocess.Popen([binary, "--data-dir", data, "--listen", f"127.0.0.1:{port}"], env=env,
                           stdout=log, stderr=subprocess.STDOUT)
    # The form starts once the kiosk is unlocked (issue 17).
    x = lambda *a: subprocess.run(["xdotool", *a], env=env, check=False, capture_output=True)
    for _ in range(100):
        if x("search", "--onlyvisible", "--name", "jobfair-kiosk").stdout.strip():
            break
        time.sleep(0.2)
    time.sleep(2)
    unlock_window(x, data)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return app
        except OSError:
            if app.poll() is not None:
                break
            time.sleep(0.1)
    app.kill()
    raise SystemExit(f"the kiosk's phone form did not open its port; see {data}/kiosk.log")


def default_binary():
    release = ROOT / "target/release/jobfair-kiosk"
    return release if release.exists() else ROOT / "target/debug/jobfair-kiosk"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=str(default_binary()))
    ap.add_argument("--phones", type=int, default=200)
    ap.add_argument("--think", default="0",
                    help="seconds a person takes on each page before sending it, e.g. 1-3 (default 0: "
                         "every phone sends its next form as soon as it has the page)")
    ap.add_argument("--baseline-cycles", type=int, default=25)
    ap.add_argument("--after-cycles", type=int, default=10)
    ap.add_argument("--shots", help="save screenshots of the UI states into this directory")
    args = ap.parse_args()
    binary = pathlib.Path(args.binary)
    lo, _, hi = args.think.partition("-")
    think = (float(lo), float(hi or lo))
    profile = binary.parent.name
    loadavg = open("/proc/loadavg").read().split()[:3]
    data = tempfile.mkdtemp(prefix="phone-load-")
    port = free_port()
    set_passphrase(binary, data)
    subprocess.run([binary, "--data-dir", data, "phone", "on"], check=True, capture_output=True)
    display = free_display()
    xvfb = start_xvfb(display)
    app = None
    try:
        app = start_kiosk(binary, data, port, display)
        time.sleep(4)   # the first frames
        if args.shots:
            shots = pathlib.Path(args.shots)
            shots.mkdir(parents=True, exist_ok=True)
            subprocess.run(["import", "-display", display, "-window", "root", str(shots / "home.png")])
            d = phone_x11.Display(display)
            d.tap(*BROWSE)
            time.sleep(1.5)
            subprocess.run(["import", "-display", display, "-window", "root", str(shots / "openings.png")])
            d.tap(*TRADE_CHIP)
            time.sleep(1.5)
            subprocess.run(["import", "-display", display, "-window", "root", str(shots / "filtered.png")])
            d.tap(*ALL_TRADES)
            time.sleep(1)
            d.tap(*HOME)
            time.sleep(1.5)
        rss_start = rss(app.pid)

        ctx = multiprocessing.get_context("spawn")
        phase_q, out_q, stop = ctx.Queue(), ctx.Queue(), ctx.Event()
        prober = ctx.Process(target=ui_prober, args=(display, phase_q, out_q, stop))
        prober.start()
        samples = []

        def drain():
            while not out_q.empty():
                samples.append(out_q.get())

        # Baseline: the form on, no phone traffic.
        while sum(1 for s in samples if s[0] == "baseline") < 4 * args.baseline_cycles:
            drain()
            time.sleep(0.05)
        rss_before = rss(app.pid)

        # The phones, all at once.
        phase_q.put("phones")
        people = [person(i) for i in range(args.phones)]
        phones = [Phone(port, i, think) for i in range(args.phones)]
        results = [None] * args.phones
        barrier = threading.Barrier(args.phones + 1)

        def run(i):
            barrier.wait()
            t0 = time.perf_counter()
            try:
                got = phones[i].register(*people[i])
                results[i] = ("ok", got, time.perf_counter() - t0)
            except Exception as e:  # noqa: BLE001 - every failure is reported
                results[i] = ("failed", f"{type(e).__name__}: {e}", time.perf_counter() - t0)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(args.phones)]
        for t in threads:
            t.start()
        barrier.wait()
        t_start = time.perf_counter()
        while any(t.is_alive() for t in threads):
            drain()
            time.sleep(0.05)
        wall = time.perf_counter() - t_start
        rss_phones = rss(app.pid)
        drain()
        # A few cycles after the phones (the UI back at rest).
        phase_q.put("after")
        while sum(1 for s in samples if s[0] == "after") < 4 * args.after_cycles:
            drain()
            time.sleep(0.05)
        stop.set()
        prober.join(timeout=20)
        drain()
        rss_end = rss(app.pid)
        app.send_signal(signal.SIGTERM)
        app.wait(timeout=30)
        app = None
    finally:
        if app is not None:
            app.kill()
        xvfb.terminate()

    # What was stored.
    db = sqlite3.connect(pathlib.Path(data) / "kiosk.db")
    rows = db.execute("SELECT id, phone, name, resident_id, source, home_county, home_township, home_village "
                      "FROM registrations").fetchall()
    openings = {}
    for rid_, oid in db.execute("SELECT registration_id, opening_id FROM registration_openings ORDER BY position"):
        openings.setdefault(rid_, []).append(oid)
    outbox = db.execute("SELECT count(*), count(DISTINCT id) FROM outbox WHERE kind = 'registration'").fetchone()
    db.close()
    by_phone = {}
    for r in rows:
        by_phone.setdefault(r[1], []).append(r)
    lost, doubled, wrong = [], [], []
    for i, (phone, name, rid) in enumerate(people):
        got = by_phone.get(phone, [])
        if not got:
            lost.append(phone)
            continue
        if len(got) > 1:
            doubled.append(phone)
        r = got[0]
        res = results[i]
        want_place = res[1][:3] if res and res[0] == "ok" else None
        want_open = sorted(res[1][3]) if res and res[0] == "ok" else None
        if (r[2], r[3], r[4]) != (name, rid, "phone") or (want_place and tuple(r[5:8]) != want_place) \
                or (want_open and sorted(openings.get(r[0], [])) != want_open):
            wrong.append((phone, r[2:], openings.get(r[0])))
    extra = [p for p in by_phone if p not in {x[0] for x in people}]
    failed = [(i, r[1]) for i, r in enumerate(results) if r is None or r[0] != "ok"]

    # Where the slowest requests are: p99 by the request's place in a phone's walk (the first GETs
    # come from all phones at once, released by one barrier).
    if os.environ.get("PHONE_LOAD_BY_STEP"):
        steps = max(len(p.times) for p in phones)
        for k in range(steps):
            xs = [p.times[k][1] * 1000 for p in phones if len(p.times) > k]
            print(f"step {k:2} {phones[0].times[k][0] if len(phones[0].times) > k else '?':4}: "
                  f"p50 {pct(xs, 50):6.1f} p99 {pct(xs, 99):6.1f} max {max(xs):6.1f} ms")
    times = [t for p in phones for t in p.times]
    gets = [t[1] * 1000 for t in times if t[0] == "GET"]
    posts = [t[1] * 1000 for t in times if t[0] == "POST"]
    every = gets + posts
    statuses = {}
    for t in times:
        statuses[t[2]] = statuses.get(t[2], 0) + 1
    per_phone = [r[2] for r in results if r]

    def ui(phase, kind, at):
        xs = [s[at] * 1000 for s in samples if s[0] == phase and s[1] == kind and s[at] is not None]
        missed = sum(1 for s in samples if s[0] == phase and s[1] == kind and s[at] is None)
        return xs, missed

    print(f"# phone_load — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"binary: {binary} ({profile} profile); {args.phones} phones, think time {args.think} s a page; "
          f"load average before: "
          f"{' '.join(loadavg)} (1, 5, 15 min; other people's builds share the 2 cores)")
    print(f"phones: {len(people) - len(failed)} of {len(people)} reached their ticket in {wall:.1f} s "
          f"(a phone's whole path: median {statistics.median(per_phone):.2f} s, max {max(per_phone):.2f} s)")
    for i, why in failed[:10]:
        print(f"  phone {i} FAILED: {why}")
    print(f"requests: {len(times)} ({len(gets)} GET pages, {len(posts)} POST forms); statuses {statuses}")
    print("| requests | n | p50 ms | p90 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, xs in (("GET (a page)", gets), ("POST (a form → 303)", posts), ("all", every)):
        print(f"| {label} | {len(xs)} | {pct(xs, 50):.1f} | {pct(xs, 90):.1f} | {pct(xs, 99):.1f} | {max(xs):.1f} |")
    print(f"stored: {len(rows)} registrations, {len(by_phone)} distinct phones, outbox {outbox[0]} "
          f"registration records ({outbox[1]} distinct ids); lost {len(lost)}, doubled {len(doubled)}, "
          f"wrong {len(wrong)}, not ours {len(extra)}")
    for w in wrong[:5]:
        print("  WRONG:", w)
    print(f"kiosk memory: VmRSS {rss_start['VmRSS']:.1f} MB at start, {rss_before['VmRSS']:.1f} MB before the "
          f"phones, {rss_phones['VmRSS']:.1f} MB when they were done, {rss_end['VmRSS']:.1f} MB at the end; "
          f"peak (VmHWM) {rss_end['VmHWM']:.1f} MB")
    print("kiosk UI (XTest tap → XGetImage sees the first changed frame / the last one before 150 ms of rest):")
    print("| UI action | phase | n | first change p50 ms | p90 | max | drawn in full p50 ms | p90 | max "
          "| no change in 5 s |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for kind in ("page switch", "filter"):
        for phase in ("baseline", "phones", "after"):
            xs, missed = ui(phase, kind, 2)
            ys, _ = ui(phase, kind, 3)
            if xs:
                print(f"| {kind} | {phase} | {len(xs)} | {pct(xs, 50):.1f} | {pct(xs, 90):.1f} | {max(xs):.1f} "
                      f"| {pct(ys, 50):.1f} | {pct(ys, 90):.1f} | {max(ys):.1f} | {missed} |")
            else:
                print(f"| {kind} | {phase} | 0 | – | – | – | – | – | – | {missed} |")
    p99 = pct(every, 99)
    ok = not (lost or doubled or wrong or extra or failed) and len(rows) == args.phones \
        and outbox[0] == args.phones == outbox[1]
    print(f"goal: phone_load_lost | {len(lost)} lost, {len(doubled)} doubled | 0 and 0 | "
          f"{'met' if ok else 'MISSED'}")
    print(f"goal: phone_load_p99 | {p99:.1f} ms | ≤ 100 ms | {'met' if p99 <= 100 else 'MISSED'}")
    if ok:
        shutil.rmtree(data, ignore_errors=True)
    else:
        print(f"data dir kept: {data}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
