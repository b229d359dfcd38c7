#!/usr/bin/env python3
"""10,000 bad form posts and slowloris connections against the kiosk's phone form (issue 15).

    python3 bench/phone_abuse.py [--binary target/release/jobfair-kiosk] [--posts 10000] [--slow 1000]

The real kiosk (touch UI under a private Xvfb, phone form on, `--listen 127.0.0.1:PORT`), as in
bench/phone_load.py. First 5 phones register properly; the kiosk is stopped and every table of
kiosk.db counted; it is started again and attacked:

1. Bad posts, from 200 client addresses (127.0.3.x–127.0.4.x; 50 each, inside the per-client
   burst, so the posts reach the form's own checks rather than the rate limit), each kind in turn:
   wrong CSRF token, no CSRF token, no cookie, a made-up cookie, another session's token, a body
   over 8 KB (sent whole, and as a chunked stream), a field over 256 bytes and 17 fields (both with
   the right cookie and token), JSON, text/plain, multipart, no content type. Every status is
   counted per kind; all must be 4xx. A post with the right cookie and token and a good phone
   number is sent by each attacker session at the end, so its session is checked to be where it
   was (the bad posts moved nothing).
2. Slowloris: --slow connections from one address send a request head one byte every 2 s and
   reopen when closed, for --slow-seconds; meanwhile one honest phone (another address) registers.
   Counted: how long the server kept each slow connection, whether any got an answer other than
   408/close, and the honest phone's page times.

The kiosk's VmRSS is sampled every 100 ms (before, peak during, after) and VmHWM read at the end.
The kiosk is stopped and every table counted again: nothing may have been stored.
Exit code 1 when a bad post was not refused or a count moved.
"""
import argparse, http.client, os, pathlib, random, resource, shutil, signal, socket, sqlite3, sys, tempfile
import threading, time, urllib.parse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from phone_load import (Phone, default_binary, free_display, free_port, person, pct, rss,  # noqa: E402
                        start_kiosk, start_xvfb)


def counts(db_path):
    db = sqlite3.connect(db_path)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        got = {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        # The kiosk's own bookkeeping, by key (it notes when it retired its sign-up journal at a stop).
        got.pop("kiosk_state", None)
        for k, v in db.execute("SELECT key, value FROM kiosk_state WHERE key != 'signup_journal_retired_at'"):
            got[f"kiosk_state:{k}"] = v
        return got
    finally:
        db.close()


class Attacker:
    """A client with a real session (cookie and CSRF token from its page), sending bad posts."""

    def __init__(self, port, n):
        self.port = port
        self.source = f"127.0.{3 + n // 250}.{1 + n % 250}"
        self.phone = Phone(port, 0)
        self.phone.source = self.source
        self.phone.request("GET", "/?s=1")
        self.phone.get()
        self.phone.press("start")
        self.phone.press("consent", id_consent="no", share_phone="yes")
        self.csrf = self.phone.page.split('name="csrf" value="')[1].split('"')[0]
        self.cookie = self.phone.cookie
        # Its page's keep-alive connection is closed: every bad post below opens its own.
        self.phone.conn.close()
        self.phone.conn = None

    def send(self, body, ctype, cookie=True, chunked=False):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30, source_address=(self.source, 0))
        headers = {}
        if ctype:
            headers["Content-Type"] = ctype
        if cookie is True:
            headers["Cookie"] = f"jf_s={self.cookie}"
        elif cookie:
            headers["Cookie"] = f"jf_s={cookie}"
        try:
            if chunked:
                c.putrequest("POST", "/")
                for k, v in headers.items():
                    c.putheader(k, v)
                c.putheader("Transfer-Encoding", "chunked")
                c.endheaders()
                chunk = b"a" * 4096
                try:
                    for _ in range(64):   # 256 KB if the server kept reading
                        c.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    c.send(b"0\r\n\r\n")
                except OSError:
                    pass   # the server answered and closed early: fine
            else:
                c.request("POST", "/", body=body.encode() if isinstance(body, str) else body, headers=headers)
            r = c.getresponse()
            r.read()
            return r.status
        except (ConnectionError, http.client.HTTPException, OSError) as e:
            return f"closed ({type(e).__name__})"
        finally:
            c.close()


def kinds(a, other):
    """The bad posts: (kind, body, content type, cookie, chunked)."""
    form = "application/x-www-form-urlencoded"
    ok = f"csrf={a.csrf}&a=phone&phone=13912345678"
    forged = "%064x" % random.getrandbits(256)
    return [
        ("wrong CSRF token", f"csrf={forged}&a=phone&phone=13912345678", form, True, False),
        ("no CSRF token", "a=phone&phone=13912345678", form, True, False),
        ("no cookie", ok, form, None, False),
        ("made-up cookie", ok, form, forged, False),
        ("another session's token", f"csrf={other.csrf}&a=phone&phone=13912345678", form, True, False),
        ("body over 8 KB", ok + "&name=" + "x" * 20_000, form, True, False),
        ("chunked body of 256 KB", None, form, True, True),
        ("field over 256 bytes", f"csrf={a.csrf}&a=name&name=" + "张" * 120, form, True, False),
        ("17 fields", ok + "".join(f"&f{i}=1" for i in range(15)), form, True, False),
        ("JSON", '{"csrf":"%s","a":"phone","phone":"13912345678"}' % a.csrf, "application/json", True, False),
        ("text/plain", ok, "text/plain", True, False),
        ("multipart", f'--b\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{a.csrf}\r\n--b--\r\n',
         "multipart/form-data; boundary=b", True, False),
        ("no content type", ok, None, True, False),
    ]


def slowloris(port, n, seconds, held, answers, stop):
    """n connections sending a request head one byte every 2 s; reopened when the server closes one."""
    head = b"GET / HTTP/1.1\r\nHost: kiosk\r\nUser-Agent: slow\r\nX-a: " + b"b" * 4000
    socks = {}

    def open_one():
        s = socket.socket()
        s.setblocking(False)
        try:
            s.bind(("127.0.9.1", 0))
            s.connect_ex(("127.0.0.1", port))
        except OSError:
            s.close()
            return
        socks[s] = [time.monotonic(), 0]

    t_end = time.monotonic() + seconds
    for _ in range(n):
        open_one()
    while time.monotonic() < t_end and not stop.is_set():
        for s in list(socks):
            opened, sent = socks[s]
            closed = False
            try:
                data = s.recv(4096)
                if data == b"":
                    closed = True
                else:
                    answers.append(data[:40])
                    closed = True
            except BlockingIOError:
                pass
            except OSError:
                closed = True
            if not closed:
                try:
                    if sent < len(head):
                        s.send(head[sent:sent + 1])
                        socks[s][1] += 1
                except BlockingIOError:
                    pass
                except OSError:
                    closed = True
            if closed:
                held.append(time.monotonic() - opened)
                s.close()
                del socks[s]
                open_one()
        time.sleep(2)
    for s in socks:
        s.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=str(default_binary()))
    ap.add_argument("--posts", type=int, default=10_000)
    ap.add_argument("--slow", type=int, default=1000, help="slowloris connections held at once")
    ap.add_argument("--slow-seconds", type=float, default=40)
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    binary = pathlib.Path(args.binary)
    loadavg = open("/proc/loadavg").read().split()[:3]
    data = tempfile.mkdtemp(prefix="phone-abuse-")
    db_path = pathlib.Path(data) / "kiosk.db"
    port = free_port()
    subprocess_run = __import__("subprocess").run
    subprocess_run([binary, "--data-dir", data, "phone", "on"], check=True, capture_output=True)
    display = free_display()
    xvfb = start_xvfb(display)
    app = None
    try:
        # 5 honest sign-ups, then the counts with the kiosk stopped.
        app = start_kiosk(binary, data, port, display)
        for i in range(5):
            Phone(port, 1000 + i).register(*person(1000 + i))
        app.send_signal(signal.SIGTERM)
        app.wait(timeout=30)
        before = counts(db_path)
        app = start_kiosk(binary, data, port, display)
        time.sleep(3)
        rss_before = rss(app.pid)
        samples, sampling = [], threading.Event()

        def sample():
            while not sampling.is_set():
                try:
                    samples.append(rss(app.pid)["VmRSS"])
                except OSError:
                    return
                time.sleep(0.1)

        sampler = threading.Thread(target=sample)
        sampler.start()

        # 1. Bad posts.
        clients = 200
        attackers = [Attacker(port, n) for n in range(clients)]
        per = args.posts // clients
        statuses = {}
        t0 = time.perf_counter()
        lock = threading.Lock()

        def attack(n):
            a, other = attackers[n], attackers[(n + 1) % clients]
            ks = kinds(a, other)
            for j in range(per):
                kind, body, ctype, cookie, chunked = ks[(n + j) % len(ks)]
                st = a.send(body, ctype, cookie, chunked)
                with lock:
                    statuses.setdefault(kind, {}).setdefault(st, 0)
                    statuses[kind][st] += 1

        threads = [threading.Thread(target=attack, args=(n,)) for n in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        post_seconds = time.perf_counter() - t0
        # Every attacker's session is still on the phone step: one good post each moves it on.
        still = 0
        for a in attackers:
            a.phone.get()
            if 'name="phone"' in a.phone.page and "13912345678" not in a.phone.page:
                still += 1
        rss_after_posts = rss(app.pid)

        # 2. Slowloris, with one honest phone registering meanwhile.
        held, answers, stop = [], [], threading.Event()
        slow = threading.Thread(target=slowloris, args=(port, args.slow, args.slow_seconds, held, answers, stop))
        slow.start()
        time.sleep(5)
        honest = Phone(port, 2000)
        honest.source = "127.0.8.1"
        t_h = time.perf_counter()
        try:
            honest.register(*person(2000))
            honest_ok = True
        except Exception as e:  # noqa: BLE001
            honest_ok = f"{type(e).__name__}: {e}"
        honest_s = time.perf_counter() - t_h
        slow.join()
        sampling.set()
        sampler.join()
        rss_end = rss(app.pid)
        app.send_signal(signal.SIGTERM)
        app.wait(timeout=30)
        app = None
    finally:
        if app is not None:
            app.kill()
        xvfb.terminate()
    after = counts(db_path)

    print(f"# phone_abuse — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"binary: {binary} ({binary.parent.name} profile); load average before: {' '.join(loadavg)}")
    total = sum(sum(v.values()) for v in statuses.values())
    refused = sum(n for v in statuses.values() for st, n in v.items() if isinstance(st, int) and 400 <= st < 500)
    closed = sum(n for v in statuses.values() for st, n in v.items() if not isinstance(st, int))
    print(f"bad posts: {total} from {clients} client addresses in {post_seconds:.1f} s; refused with 4xx {refused}, "
          f"connection closed without an answer {closed}")
    print("| kind | answers |")
    print("|---|---|")
    for kind, v in statuses.items():
        print(f"| {kind} | " + ", ".join(f"{st}: {n}" for st, n in sorted(v.items(), key=str)) + " |")
    print(f"attacker sessions still on the phone step with nothing typed: {still} of {clients}")
    kept = sorted(held)
    print(f"slowloris: {args.slow} connections held open for {args.slow_seconds:.0f} s (reopened when closed): "
          f"{len(held)} closed by the server, kept p50 {pct(kept, 50):.1f} s, max {max(kept) if kept else 0:.1f} s; "
          f"answers other than a close: {len(answers)} {sorted(set(a[:12] for a in answers))}")
    ht = [t[1] * 1000 for t in honest.times]
    print(f"an honest phone meanwhile: {'registered' if honest_ok is True else 'FAILED ' + str(honest_ok)} "
          f"in {honest_s:.2f} s, {len(ht)} requests, p50 {pct(ht, 50):.1f} ms, max {max(ht) if ht else 0:.1f} ms")
    print(f"kiosk memory: VmRSS {rss_before['VmRSS']:.1f} MB before, peak sampled {max(samples):.1f} MB, "
          f"{rss_after_posts['VmRSS']:.1f} MB after the posts, {rss_end['VmRSS']:.1f} MB at the end; "
          f"VmHWM {rss_end['VmHWM']:.1f} MB")
    changed = {t: (before.get(t), after.get(t)) for t in set(before) | set(after) if before.get(t) != after.get(t)}
    want_changed = {"registrations", "outbox", "registration_openings"}
    rows = lambda c: sum(v for v in c.values() if isinstance(v, int))
    print(f"tables: {len(before)}; rows before {rows(before)}, after {rows(after)} (kiosk_state compared by key, "
          f"without the time the journal was retired at the stop); changed: {changed or 'none'}")
    # The honest phone's sign-up is the one expected change (1 registration, its openings, 1 outbox record).
    honest_rows = (after.get("registrations", 0) - before.get("registrations", 0),
                   after.get("outbox", 0) - before.get("outbox", 0))
    ok = (refused == total == args.posts // clients * clients and still == clients
          and set(changed) <= want_changed and honest_rows == ((1, 1) if honest_ok is True else (0, 0))
          and not answers)
    print(f"goal: phone_abuse_refused | {refused} of {total} refused, stored {honest_rows[0] - (1 if honest_ok is True else 0)} "
          f"| all refused, nothing stored | {'met' if ok else 'MISSED'}")
    if ok:
        shutil.rmtree(data, ignore_errors=True)
    else:
        print(f"data dir kept: {data}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
