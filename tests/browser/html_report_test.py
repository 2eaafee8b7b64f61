#!/usr/bin/python3
"""The HTML report (--html) in a real browser and a real validator.

  html_report_test.py render   --leakaudit BIN --fixture BIN
  html_report_test.py validate --leakaudit BIN --fixture BIN

Two pages: the fixture report (every kind, a leaked tree, 10 cycles with growth) that
tests/browser/html_report_fixture.cpp writes through the report writer, and the page of
a real `leakaudit run --html` (with --cycles when leakaudit has it).

render:   Debian's chromium, headless, opens each page: its screenshot is not blank and
          shows the chart's blue, and its DOM (--dump-dom) has one <circle class="point">
          per reading in each chart. Chromium runs in its own process group, bounded in
          time, with its own profile, HOME and caches in a temp folder; the group is
          killed whatever happens.
validate: HTML Tidy (Debian's `tidy`, HTML5-aware) finds no error and no warning.

A missing tool is a skip (the marker of tests/support/skip.hpp, which CTest's
SKIP_REGULAR_EXPRESSION turns into "Skipped"); .ci/install-deps installs both.
"""
import argparse
import html.parser
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import zlib

SKIP = "leakaudit-test-skipped:"
CHROMIUM_SECONDS = 90
CHART_BLUE = (0x09, 0x69, 0xDA)  # svg.chart .line and .point in report_html.cpp's style


def fail(message):
    print("FAIL: " + message, flush=True)
    sys.exit(1)


def skip(message):
    print(SKIP + " " + message, flush=True)
    sys.exit(0)


def run(argv, timeout=60, **kw):
    return subprocess.run(argv, capture_output=True, timeout=timeout, **kw)


# ---- the pages ---------------------------------------------------------------------


def fixture_page(args, tmp):
    path = os.path.join(tmp, "fixture.html")
    r = run([args.fixture, path])
    if r.returncode != 0:
        fail("fixture writer failed: %s" % r.stderr.decode(errors="replace"))
    # Readings per chart: baseline + 10 cycles (report_fixture.hpp).
    return path, {("descriptors", "pipe"): 11, ("heap_bytes", ""): 11}


def leakaudit_has_cycles(args):
    r = run([args.leakaudit, "run", "--help"])
    return b"--cycles" in r.stdout


# A harness in bash that cycles on the control channel and leaks one descriptor (a
# copy of /dev/null) per cycle; it waits for each acknowledgement when there is one.
CYCLING_HARNESS = r"""
say() { echo "{\"event\":\"$1\"}" >&"$LEAKAUDIT_CONTROL_FD"; [ -z "${LEAKAUDIT_ACK_FD:-}" ] || read -r _ <&"$LEAKAUDIT_ACK_FD"; }
n=${LEAKAUDIT_CYCLES:-1}
keep=()
for i in $(seq 1 "$n"); do
  say started
  exec {fd}</dev/null; keep+=("$fd")
  say stopped
done
"""

# Without cycles: a worker left running and a folder left in the watched temp folder.
LEAKING_HARNESS = 'sleep 300 & mkdir "$TMPDIR/plugin-html-$$"; echo started'


def real_run_page(args, tmp):
    watch = os.path.join(tmp, "watch")
    os.mkdir(watch)
    page = os.path.join(tmp, "run.html")
    argv = [args.leakaudit, "run", "--no-color", "--html", page, "--json", os.path.join(tmp, "run.json"),
            "--watch", watch, "--grace", "500ms"]
    expect = {}
    if leakaudit_has_cycles(args):
        cycles = 6
        argv += ["--cycles", str(cycles), "--", "/bin/bash", "-c", CYCLING_HARNESS]
        expect = {"*": cycles + 1}  # every chart: the baseline and one reading per cycle
    else:
        argv += ["--", "/bin/sh", "-c", LEAKING_HARNESS]
    env = dict(os.environ, TMPDIR=watch)
    r = run(argv, timeout=120, env=env, cwd=tmp)
    if r.returncode not in (0, 1) or not os.path.exists(page):
        fail("leakaudit run (exit %d) wrote no page: %s" % (r.returncode, r.stderr.decode(errors="replace")))
    if not expect and b"sleep 300" not in open(page, "rb").read():
        fail("the real run's page does not show the leaked `sleep 300`")
    return page, expect


# ---- validate ----------------------------------------------------------------------


def validate(pages):
    tidy = shutil.which("tidy")
    if not tidy:
        skip("tidy is not installed: the HTML is not validated (.ci/install-deps installs it)")
    for page, _ in pages:
        r = run([tidy, "-errors", "-quiet", "-utf8", page])
        report = (r.stdout + r.stderr).decode(errors="replace")
        if r.returncode != 0 or report.strip():
            fail("tidy says %s is not valid HTML5 (exit %d):\n%s" % (page, r.returncode, report))
        print("valid: " + os.path.basename(page))


# ---- render ------------------------------------------------------------------------


def chromium(binary, tmp, extra, page):
    """Runs one headless chromium on the page in its own process group; returns stdout."""
    home = os.path.join(tmp, "home")
    os.makedirs(home, exist_ok=True)
    env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=home + "/.config", XDG_CACHE_HOME=home + "/.cache")
    argv = [binary, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-breakpad", "--disable-dev-shm-usage", "--hide-scrollbars",
            "--user-data-dir=" + os.path.join(tmp, "profile"), "--window-size=1024,1400"] + extra + [
            "file://" + page]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=CHROMIUM_SECONDS)
    except subprocess.TimeoutExpired:
        fail("chromium did not finish within %ds: %s" % (CHROMIUM_SECONDS, " ".join(extra)))
    finally:
        # Its zygote and helpers share the group: end them all, whatever happened.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if proc.returncode != 0:
        fail("chromium exited %d: %s" % (proc.returncode, err.decode(errors="replace")[-2000:]))
    return out


def read_png(path):
    """(width, height, rows of (r, g, b) tuples) of an 8-bit RGB or RGBA PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("%s is not a PNG" % path)
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if ctype == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or color not in (2, 6) or interlace != 0:
                fail("unexpected PNG format: depth %d, color type %d, interlace %d" % (depth, color, interlace))
            channels = 3 if color == 2 else 4
        elif ctype == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append([tuple(line[x:x + 3]) for x in range(0, stride, channels)])
        prev = line
    return width, height, rows


class Charts(html.parser.HTMLParser):
    """(data-quantity, data-what) → number of <circle class="point"> in that chart."""

    def __init__(self):
        super().__init__()
        self.charts, self.current = {}, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg" and "chart" in (a.get("class") or "").split():
            self.current = (a.get("data-quantity"), a.get("data-what") or "")
            self.charts[self.current] = 0
        elif tag == "circle" and self.current and "point" in (a.get("class") or "").split():
            self.charts[self.current] += 1

    def handle_endtag(self, tag):
        if tag == "svg":
            self.current = None


def render(pages, tmp):
    binary = shutil.which("chromium")
    if not binary:
        skip("chromium is not installed: the page is not rendered (.ci/install-deps installs it)")
    for page, expect in pages:
        name = os.path.basename(page)
        dom = chromium(binary, tmp, ["--dump-dom"], page).decode(errors="replace")
        if "leakaudit report" not in dom:
            fail("%s: chromium's DOM has no report:\n%s" % (name, dom[:2000]))
        parser = Charts()
        parser.feed(dom)
        for key, points in expect.items():
            if key == "*":
                if not parser.charts or any(n != points for n in parser.charts.values()):
                    fail("%s: expected charts of %d points each in chromium's DOM, got %s" %
                         (name, points, parser.charts))
            elif parser.charts.get(key) != points:
                fail("%s: chart %s has %s points in chromium's DOM, expected %d (charts: %s)" %
                     (name, key, parser.charts.get(key), points, parser.charts))
        shot = os.path.join(tmp, name + ".png")
        chromium(binary, tmp, ["--screenshot=" + shot], page)
        if not os.path.exists(shot):
            fail("%s: chromium wrote no screenshot" % name)
        width, height, rows = read_png(shot)
        background = rows[0][0]
        drawn = sum(1 for row in rows for px in row if px != background)
        blue = sum(1 for row in rows for px in row if all(abs(px[k] - CHART_BLUE[k]) <= 24 for k in range(3)))
        print("%s: %dx%d screenshot, %d pixels drawn, %d in the chart's blue, charts %s" %
              (name, width, height, drawn, blue, parser.charts))
        if drawn < width * height // 200:
            fail("%s: the screenshot is blank (%d of %d pixels differ from the background)" %
                 (name, drawn, width * height))
        if expect and blue < 200:
            fail("%s: the screenshot shows no chart (%d pixels in the chart's blue)" % (name, blue))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["render", "validate"])
    ap.add_argument("--leakaudit", required=True)
    ap.add_argument("--fixture", required=True)
    args = ap.parse_args()
    if args.mode == "render" and not shutil.which("chromium"):
        skip("chromium is not installed: the page is not rendered (.ci/install-deps installs it)")
    if args.mode == "validate" and not shutil.which("tidy"):
        skip("tidy is not installed: the HTML is not validated (.ci/install-deps installs it)")
    with tempfile.TemporaryDirectory(prefix="leakaudit-test-html-") as tmp:
        pages = [fixture_page(args, tmp), real_run_page(args, tmp)]
        if args.mode == "render":
            render(pages, tmp)
        else:
            validate(pages)
    print("ok")


if __name__ == "__main__":
    main()
