"""How fast the fake gateway starts and serves: startup, first pages, requests per second.

Run: ``.venv/bin/python benchmarks/fake_gateway_rps.py [--seconds 3]``. Prints a table.
Client and server share the process (and the GIL), as they do in the test suite and the demo,
so the requests-per-second figures include the httpx client's own cost.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import httpx

from smstui.fake import FakeGateway

AUTH = {"X-Client-Id": "demo", "X-Client-Secret": "demo-secret"}
RUNS = 5


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def startup() -> tuple[float, float]:
    """(construct + start, stop) for a full-scale gateway, median of RUNS."""
    starts, stops = [], []
    for _ in range(RUNS):
        began = time.perf_counter()
        gw = FakeGateway(scale="full")
        gw.start()
        starts.append(time.perf_counter() - began)
        began = time.perf_counter()
        gw.stop()
        stops.append(time.perf_counter() - began)
    return statistics.median(starts), statistics.median(stops)


def first_page(path_for: str, params: dict[str, int]) -> tuple[float, float]:
    """(cold, warm) latency of one page on fresh gateways (connection already open)."""
    cold, warm = [], []
    for seed in range(RUNS):
        with (
            FakeGateway(scale="full", seed=seed) as gw,
            httpx.Client(base_url=gw.url, headers=AUTH, trust_env=False) as client,
        ):
            client.get("/auth")  # open the keep-alive connection first
            path = path_for.replace("{largest}", gw.largest_conversation)
            for bucket in (cold, warm):
                began = time.perf_counter()
                response = client.get(path, params=params)
                bucket.append(time.perf_counter() - began)
                response.raise_for_status()
    return statistics.median(cold), statistics.median(warm)


def throughput(seconds: float, *, random_pages: bool) -> tuple[float, int]:
    """Requests per second for GET /conversation/{largest}?limit=50 on one keep-alive client."""
    with (
        FakeGateway(scale="full") as gw,
        httpx.Client(base_url=gw.url, headers=AUTH, trust_env=False) as client,
    ):
        path = f"/conversation/{gw.largest_conversation}"
        pages = -(-gw.message_count(gw.largest_conversation) // 50)
        rng = random.Random(1)
        count = 0
        began = time.perf_counter()
        deadline = began + seconds
        while time.perf_counter() < deadline:
            page = rng.randint(1, pages) if random_pages else 1
            client.get(path, params={"limit": 50, "page": page}).raise_for_status()
            count += 1
        return count / (time.perf_counter() - began), count


def inbox_walk() -> tuple[float, int]:
    """Time to page through the whole inbox with limit=2000 on a fresh gateway."""
    with (
        FakeGateway(scale="full") as gw,
        httpx.Client(base_url=gw.url, headers=AUTH, trust_env=False, timeout=30) as client,
    ):
        began = time.perf_counter()
        page, seen = 1, 0
        while True:
            body = client.get("/message/inbox", params={"limit": 2000, "page": page}).json()
            if not body["messages"]:
                return time.perf_counter() - began, seen
            seen += body["shown"]
            page += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each RPS run")
    args = parser.parse_args()

    began = time.perf_counter()
    start, stop = startup()
    rows = [
        ("FakeGateway(scale='full').start()", ms(start)),
        ("stop()", ms(stop)),
    ]
    cases = [
        ("inbox page 1, limit=1000 (default)", "/message/inbox", {}),
        ("inbox page 1, limit=100", "/message/inbox", {"limit": 100}),
        ("50k conversation page 1, limit=50", "/conversation/{largest}", {"limit": 50}),
        (
            "50k conversation page 500, limit=50",
            "/conversation/{largest}",
            {"limit": 50, "page": 500},
        ),
        ("50k conversation page 1, limit=2000", "/conversation/{largest}", {"limit": 2000}),
        ("sent history page 1, limit=100", "/message/logging", {"limit": 100}),
    ]
    for label, path, params in cases:
        cold, warm = first_page(path, params)
        rows.append((f"{label}: first / repeat", f"{ms(cold)} / {ms(warm).strip()}"))
    walk, seen = inbox_walk()
    rows.append((f"whole inbox ({seen:,} items, limit=2000)", ms(walk)))
    for random_pages in (False, True):
        rps, count = throughput(args.seconds, random_pages=random_pages)
        which = "random pages" if random_pages else "page 1"
        rows.append((f"GET /conversation/{{50k}}?limit=50, {which}", f"{rps:8.0f} req/s ({count})"))

    width = max(len(label) for label, _ in rows)
    print(f"fake gateway benchmark (median of {RUNS} fresh gateways where it applies)")
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    print(f"  total benchmark time {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
