"""Speed of the browser workbench (`drafter serve`), as a clerk feels it.

A copy of the 淮安 example with an offline draft is served by `drafter serve` in its own process
(as a clerk starts it); a client on loopback measures

1. first page load: the workbench `/2024` (tables pane) as the first request after start, then the
   median of later loads; the same for the checked draft (`/2024?tab=draft`) and the year list `/`;
   with chromium present, also the browser's navigation timing of the workbench's first load (htmx, the
   script and the style sheet included), in a just-started browser and after the year list. Target: under 300 ms.
2. validation of an edited cell: POST /2024/stats/cell (the value saved into stats.yaml with its
   comments, the rules run, the marks of every cell returned), median and 95th percentile. Target:
   under 100 ms.

    python benchmarks/bench_web.py [--edits 60] [--loads 20]

Figures only: nothing here asserts a time (the machine may be shared).
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(workspace: Path, port: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "report_drafter", "serve", "--dir", str(workspace), "--port",
                               str(port), "--no-browser"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise SystemExit("drafter serve did not start: " + server.stdout.read().decode("utf-8", "replace"))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def timed(call) -> tuple[float, object]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def browser_loads(base: str) -> list[tuple[str, dict]] | None:
    """Navigation timing of the workbench's first load in chromium: in a just-started browser (fresh profile),
    and in a browser that has already shown the year list (as a clerk arrives from `/`). None without chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path(CHROMIUM).exists():
        return None
    timing = ("() => { const n = performance.getEntriesByType('navigation')[0];"
              " return {response: n.responseEnd - n.startTime, ready: n.domContentLoadedEventEnd - n.startTime,"
              " load: n.loadEventEnd - n.startTime}; }")
    out = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_context().new_page()
        page.goto(base + "/2024", wait_until="load")
        out.append(("just-started browser", page.evaluate(timing)))
        page = browser.new_context().new_page()
        page.goto(base + "/", wait_until="load")
        page.goto(base + "/2024", wait_until="load")
        out.append(("after the year list", page.evaluate(timing)))
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edits", type=int, default=60)
    parser.add_argument("--loads", type=int, default=20)
    args = parser.parse_args()
    import httpx

    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp) / "huaian"
        shutil.copytree(ROOT / "examples" / "huaian", workspace,
                        ignore=shutil.ignore_patterns("draft.md", "draft.provenance.json", ".history", "chat.json"))
        subprocess.run([sys.executable, "-m", "report_drafter", "generate", "--year", "2024", "--dir", str(workspace),
                        "--backend", "offline"], check=True, capture_output=True)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start(workspace, port)
        try:
            with httpx.Client(base_url=base, timeout=30) as client:
                print(f"drafter serve on {base}, workspace: the 淮安 2024 example with an offline draft\n")
                print("1. page loads (HTML of the page, server and loopback)")
                for url in ("/2024", "/2024?tab=draft", "/"):
                    first, response = timed(lambda url=url: client.get(url))
                    assert response.status_code == 200, response.text[:300]
                    later = [timed(lambda url=url: client.get(url))[0] for _ in range(args.loads)]
                    print(f"   {url:18s} first {ms(first)}   median of {args.loads} {ms(statistics.median(later))}"
                          f"   ({len(response.content) // 1024} KB)")
                html = client.get("/2024").text
                for label, t in browser_loads(base) or []:
                    print(f"   chromium, /2024 first load, {label:20s}: response {ms(t['response'] / 1000)}"
                          f"   DOMContentLoaded {ms(t['ready'] / 1000)}   load {ms(t['load'] / 1000)}")
                print("   target: under 300 ms\n")

                csrf = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
                version = re.search(r'id="stats-version" name="version" value="([^"]+)"', html).group(1)
                headers = {"Origin": base, "X-CSRF-Token": csrf, "Accept": "application/json"}
                times = []
                for n in range(args.edits):
                    value = str(3001 + (n % 2))         # alternately breaks and mends rules 1 and 3
                    took, response = timed(lambda value=value, version=version: client.post(
                        "/2024/stats/cell", data={"path": "requests.new.0", "value": value, "version": version},
                        headers=headers))
                    assert response.status_code == 200, response.text[:300]
                    version = response.json()["version"]
                    times.append(took)
                times.sort()
                print(f"2. edited cell saved and validated ({args.edits} edits of 表三 一、本年新收 · 自然人)")
                print(f"   median {ms(statistics.median(times))}   95th percentile {ms(times[int(len(times) * 0.95) - 1])}"
                      f"   slowest {ms(times[-1])}")
                print("   target: under 100 ms")
        finally:
            server.terminate()
            server.wait(timeout=10)
    with open("/proc/loadavg") if Path("/proc/loadavg").exists() else open(__file__) as load:
        first = load.readline().split()[:3]
    if all(re.fullmatch(r"[\d.]+", x) for x in first):
        print(f"\nload average while measuring: {' '.join(first)} (on {__import__('os').cpu_count()} cores)")


if __name__ == "__main__":
    main()
