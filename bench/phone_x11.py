"""Taps and frame timing on an X display through libX11 and libXtst (ctypes; Python stdlib only).

Used by bench/phone_load.py to time the kiosk's own UI: a tap is sent with XTest and flushed, then a
region of the screen is read back with XGetImage until it differs from what it was before the tap.
The time from the flush to the first changed read is the tap's latency as a person sees it (the
software renderer presents a whole frame at once). Reads take ~1 ms; the poll does not sleep.
"""
import ctypes
import ctypes.util
import time


class _Funcs(ctypes.Structure):
    _fields_ = [(n, ctypes.c_void_p) for n in
                ("create_image", "destroy_image", "get_pixel", "put_pixel", "sub_image", "add_pixel")]


class _XImage(ctypes.Structure):
    _fields_ = [("width", ctypes.c_int), ("height", ctypes.c_int), ("xoffset", ctypes.c_int),
                ("format", ctypes.c_int), ("data", ctypes.POINTER(ctypes.c_char)),
                ("byte_order", ctypes.c_int), ("bitmap_unit", ctypes.c_int),
                ("bitmap_bit_order", ctypes.c_int), ("bitmap_pad", ctypes.c_int), ("depth", ctypes.c_int),
                ("bytes_per_line", ctypes.c_int), ("bits_per_pixel", ctypes.c_int),
                ("red_mask", ctypes.c_ulong), ("green_mask", ctypes.c_ulong), ("blue_mask", ctypes.c_ulong),
                ("obdata", ctypes.c_void_p), ("f", _Funcs)]


_DESTROY = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(_XImage))
ALL_PLANES = ctypes.c_ulong(0xFFFFFFFF)
Z_PIXMAP = 2


class Display:
    def __init__(self, name):
        self.x = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
        self.xt = ctypes.CDLL(ctypes.util.find_library("Xtst") or "libXtst.so.6")
        self.x.XOpenDisplay.restype = ctypes.c_void_p
        self.x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x.XDefaultRootWindow.restype = ctypes.c_ulong
        self.x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        self.x.XGetImage.restype = ctypes.POINTER(_XImage)
        self.x.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int,
                                     ctypes.c_uint, ctypes.c_uint, ctypes.c_ulong, ctypes.c_int]
        self.x.XFlush.argtypes = [ctypes.c_void_p]
        self.x.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        self.xt.XTestFakeMotionEvent.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                                 ctypes.c_ulong]
        self.xt.XTestFakeButtonEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
        self.xt.XTestFakeKeyEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
        self.x.XStringToKeysym.restype = ctypes.c_ulong
        self.x.XStringToKeysym.argtypes = [ctypes.c_char_p]
        self.x.XKeysymToKeycode.restype = ctypes.c_ubyte
        self.x.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        self.dpy = self.x.XOpenDisplay(name.encode())
        if not self.dpy:
            raise RuntimeError(f"cannot open display {name}")
        self.root = self.x.XDefaultRootWindow(self.dpy)

    def grab(self, box):
        """The bytes of the screen region box = (x, y, w, h)."""
        x, y, w, h = box
        img = self.x.XGetImage(self.dpy, self.root, x, y, w, h, ALL_PLANES, Z_PIXMAP)
        if not img:
            raise RuntimeError("XGetImage failed")
        data = ctypes.string_at(img.contents.data, img.contents.bytes_per_line * h)
        _DESTROY(img.contents.f.destroy_image)(img)
        return data

    def tap(self, x, y):
        self.xt.XTestFakeMotionEvent(self.dpy, -1, x, y, 0)
        self.xt.XTestFakeButtonEvent(self.dpy, 1, 1, 0)
        self.xt.XTestFakeButtonEvent(self.dpy, 1, 0, 0)
        self.x.XSync(self.dpy, 0)

    def _code(self, name):
        code = self.x.XKeysymToKeycode(self.dpy, self.x.XStringToKeysym(name.encode()))
        if not code:
            raise RuntimeError(f"no keycode for {name!r}")
        return code

    def key(self, name, shift=False):
        """Presses and releases one key (an X keysym name: "A", "1", "Return"), with Shift held when
        asked, and flushes."""
        if shift:
            self.xt.XTestFakeKeyEvent(self.dpy, self._code("Shift_L"), 1, 0)
        code = self._code(name)
        self.xt.XTestFakeKeyEvent(self.dpy, code, 1, 0)
        self.xt.XTestFakeKeyEvent(self.dpy, code, 0, 0)
        if shift:
            self.xt.XTestFakeKeyEvent(self.dpy, self._code("Shift_L"), 0, 0)
        self.x.XSync(self.dpy, 0)

    def type_text(self, text, gap=0.005):
        """Types letters and digits as a keyboard-wedge scanner does: one key every `gap` seconds."""
        for c in text:
            self.key(c.upper() if c.isalpha() else c, shift=c.isupper())
            time.sleep(gap)

    def timed_key(self, name, box, quiet=0.15, timeout=5.0):
        """Presses key `name`; returns (first, last) like timed_tap."""
        before = self.grab(box)
        t0 = time.perf_counter()
        self.key(name)
        return self._watch(before, box, t0, quiet, timeout)

    def _watch(self, before, box, t0, quiet, timeout):
        first = last = None
        cur = before
        while True:
            now = time.perf_counter()
            if now - t0 > timeout or (last is not None and now - t0 - last >= quiet):
                return first, last
            img = self.grab(box)
            if img != cur:
                cur = img
                last = time.perf_counter() - t0
                if first is None:
                    first = last

    def timed_tap(self, xy, box, quiet=0.15, timeout=5.0):
        """Taps xy. Returns (first, last): seconds until region box first changed, and until its last
        change before it stayed the same for `quiet` seconds (the new page or list drawn in full);
        (None, None) when nothing changed within timeout."""
        before = self.grab(box)
        t0 = time.perf_counter()
        self.tap(*xy)
        return self._watch(before, box, t0, quiet, timeout)

    def settle(self, box, quiet=0.25, timeout=5.0):
        """Waits until region box has not changed for `quiet` seconds."""
        last, since, t0 = self.grab(box), time.perf_counter(), time.perf_counter()
        while time.perf_counter() - t0 < timeout:
            time.sleep(0.02)
            cur = self.grab(box)
            if cur != last:
                last, since = cur, time.perf_counter()
            elif time.perf_counter() - since >= quiet:
                return
