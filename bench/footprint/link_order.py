#!/usr/bin/env python3
"""Writes assets/link-order.txt: the kiosk's functions and constants in the order a day at the
fair first touches them, for the linker (`--symbol-ordering-file`, see build.rs).

    sudo python3 bench/footprint/link_order.py [BINARY]    (default target/release/jobfair-kiosk)
    python3 bench/footprint/link_order.py --measure [BINARY]   (the same walk, warm cache: memory
                                                               at each step; writes nothing)

Why: the kiosk's own code is ~31 MB, and what a day uses of it is scattered through all of it. The
kernel maps every 64 KiB around each page the program touches (fault-around) and reads ahead
around it, so the openings page kept ~20 MB of code resident for ~8.5 MB actually used
(bench/RESULTS.md, "Issue 17, third pass"). Laid out in first-touch order, the used code sits
together and the rest is never mapped.

How: the binary is dropped from the page cache and the disk's read-ahead set to 0 (hence root;
restored after), so that a page is resident only if the kiosk touched it. The script walks the
kiosk like a person, as docs/screenshots/shoot.py does (unlock, home, openings, an opening, a
registration to its ticket, a duplicate, the staff panel), and after each step reads which of
the binary's pages are resident (/proc/PID/pagemap). Every symbol on a page first seen at step k
goes in group k; groups in order, each in the binary's present order. The steps the footprint
bench takes (unlock, openings) come first.

The names carry Rust's hashes, which change with the compiler, the dependencies' versions and
features: run this again after such changes (a name the linker does not find is skipped, the
binary is the same code either way; only its layout, and so its memory, gets worse). Synthetic
data only.
"""
import json, os, pathlib, shutil, struct, subprocess, sys, tempfile, time

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs" / "screenshots"))
import shoot  # noqa: E402  (Screen, script, layout_points, set_passphrase, PASSPHRASE)

OUT = ROOT / "assets" / "link-order.txt"
KEEP = set("tTrRWwV")  # code and read-only data; .data.rel.ro is copied on relocation anyway


def read_ahead_file(path):
    st = os.stat(path)
    dev = f"/sys/dev/block/{os.major(st.st_dev)}:{os.minor(st.st_dev)}"
    for q in (f"{dev}/queue/read_ahead_kb", f"{dev}/../queue/read_ahead_kb"):
        if os.path.exists(q):
            return q
    raise SystemExit(f"no read_ahead_kb for the disk of {path}")


def drop_cache(path):
    fd = os.open(path, os.O_RDONLY)
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    os.close(fd)


def segments(binary):
    """PT_LOAD segments: (file offset, vaddr, file size)."""
    out = subprocess.run(["readelf", "-lW", binary], capture_output=True, text=True, check=True).stdout
    segs = []
    for line in out.splitlines():
        p = line.split()
        if p and p[0] == "LOAD":
            segs.append((int(p[1], 16), int(p[2], 16), int(p[4], 16)))
    return segs


def resident_vaddrs(pid, binary, segs):
    """The link-time addresses of the binary's pages resident in the process."""
    real = os.path.realpath(binary)
    pages = set()
    with open(f"/proc/{pid}/pagemap", "rb") as pm:
        for line in open(f"/proc/{pid}/maps"):
            p = line.split()
            if len(p) < 6 or os.path.realpath(p[5]) != real:
                continue
            a, b = (int(x, 16) for x in p[0].split("-"))
            off = int(p[2], 16)
            pm.seek(a // 4096 * 8)
            raw = pm.read((b - a) // 4096 * 8)
            for i in range((b - a) // 4096):
                if struct.unpack_from("<Q", raw, i * 8)[0] >> 63:
                    foff = off + i * 4096
                    for s_off, s_vaddr, s_size in segs:
                        if s_off <= foff < s_off + s_size:
                            pages.add((foff - s_off + s_vaddr) // 4096)
    return pages


def symbols(binary):
    out = subprocess.run(["nm", "-S", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
    syms = []
    for line in out.splitlines():
        p = line.split()
        if len(p) == 4 and p[2] in KEEP and int(p[1], 16) > 0:
            syms.append((int(p[0], 16), int(p[1], 16), p[3]))
    return sorted(syms)


def status(pid):
    fields = {}
    for line in open(f"/proc/{pid}/status"):
        k, _, v = line.partition(":")
        if k in ("VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem"):
            fields[k] = int(v.split()[0]) / 1000
    return "  ".join(f"{k} {v:5.1f} MB" for k, v in fields.items())


def main():
    args = sys.argv[1:]
    measure = "--measure" in args
    args = [a for a in args if a != "--measure"]
    if os.geteuid() != 0 and not measure:
        raise SystemExit("run as root: it sets the disk's read-ahead and reads /proc/PID/pagemap")
    binary = args[0] if args else str(ROOT / "target/release/jobfair-kiosk")
    # POINTS=FILE: where the buttons are, from an earlier `LAYOUT_POINTS=FILE cargo test --test ui_layout`.
    points = json.loads(pathlib.Path(os.environ["POINTS"]).read_text()) if os.environ.get("POINTS") \
        else shoot.layout_points()
    sc = shoot.Screen(points, "zh", (1280, 800))
    steps = [line for line in shoot.script(sc, "zh", 5).splitlines()
             if not line.startswith("size")]  # the window is already 1280×800
    data = tempfile.mkdtemp()
    subprocess.run([binary, "--data-dir", data, "staff", "set-pin"], input="2468\n", text=True, check=True,
                   capture_output=True)
    shoot.set_passphrase(binary, data)
    ra = read_ahead_file(binary)
    ra_before = open(ra).read().strip()
    display = ":" + str(next(d for d in range(120, 200) if not os.path.exists(f"/tmp/.X11-unix/X{d}")))
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = dict(os.environ, DISPLAY=display)
    x = lambda *a: subprocess.run(["xdotool", *a], env=env, check=False, capture_output=True, text=True)
    segs = segments(binary)
    seen, groups = set(), []

    def mark(name, pid):
        if measure:
            print(f"  {name:24s} {status(pid)}", flush=True)
            return
        new = resident_vaddrs(pid, binary, segs) - seen
        seen.update(new)
        groups.append((name, new))
        print(f"  {name:24s} +{len(new) * 4:6d} KiB", flush=True)

    try:
        time.sleep(1)
        if not measure:
            drop_cache(binary)
            open(ra, "w").write("0")
        app = subprocess.Popen([binary, "--data-dir", data], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            if x("search", "--onlyvisible", "--name", "jobfair-kiosk").stdout.strip():
                break
            time.sleep(0.2)
        time.sleep(2)
        mark("unlock page", app.pid)
        shoot.unlock_window(x, data)
        mark("unlocked", app.pid)
        for line in steps:
            cmd, _, rest = line.partition(" ")
            if cmd == "wait":
                time.sleep(float(rest))
            elif cmd == "click":
                x("mousemove", *rest.split(), "click", "1")
                time.sleep(0.2)
            elif cmd == "type":
                x("type", "--delay", "40", rest)
            elif cmd == "key":
                x("key", rest)
            elif cmd == "focus":
                win = x("search", "--name", "jobfair-kiosk").stdout.split()
                if win:
                    x("windowfocus", "--sync", win[0])
            elif cmd == "shot":
                mark(rest.removeprefix("zh-"), app.pid)
            if app.poll() is not None:
                raise SystemExit(f"the kiosk exited during: {line}")
        app.terminate()
        app.wait()
    finally:
        if not measure:
            open(ra, "w").write(ra_before)
        xvfb.terminate()
        shutil.rmtree(data)

    if measure:
        return
    syms = symbols(binary)
    placed, lines = set(), []
    for name, pages in groups:
        for addr, size, sym in syms:
            if sym in placed:
                continue
            if any(p in pages for p in range(addr // 4096, (addr + size - 1) // 4096 + 1)):
                placed.add(sym)
                lines.append(sym)
    OUT.write_text("".join(s + "\n" for s in lines))
    total = sum(len(p) for _, p in groups) * 4
    print(f"{total} KiB of the binary touched; {len(lines)} symbols written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
