"""Throughput of POST /api/v1/reports next to a do-nothing POST on the same gunicorn server.

Starts gunicorn with the production config (APP_ENV=production, gunicorn.conf.py, sync
workers) serving bench/noop_app.py, which is the real app plus reference endpoints: the same
view with scoring off and with clustering off, a POST that stores its body in one row, and a
do-nothing POST. wrk drives each endpoint with the same Lua script (a valid JSON report with
varied claim text, `Connection: close` so load spreads over the workers), runs alternate, and
the medians of the runs are compared. Every status code is counted: anything but 201 (204
for the reference POSTs) is reported and makes the exit status non-zero.

    .venv/bin/python bench/intake.py                      # SQLite file in a temp dir
    .venv/bin/python bench/intake.py --database-url postgresql://postgres@127.0.0.1/bench
"""

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.intake_server import (
    count_reports,
    create_bench_table,
    free_port,
    prepare_database,
    server_env,
    start_server,
    stop_server,
)

ENDPOINTS = (("POST /api/v1/reports (scored)", "/api/v1/reports", 201),
             ("same, scoring off", "/bench/unscored", 201),
             ("same, clustering off", "/bench/unclustered", 201),
             ("POST + one insert", "/bench/insert", 204),
             ("POST /bench/noop", "/bench/noop", 204))
# One Lua state per wrk thread: setup() runs in the main state and keeps the threads so
# done() can add up the status codes each thread counted in response().
LUA = r"""
local claims = {
  "视频称某品牌电动车在地下车库充电时电池自燃，整栋楼被疏散",
  "A post says robotaxis were banned in Wuhan after a crash with a bus",
  "网传工信部发文：明年起禁止L3级自动驾驶车辆上路",
  "A message claims a carmaker sells in-car camera footage to advertisers",
  "网传某新能源车企宣布破产，裁员三千人",
  "A viral clip claims 5G-V2X pilot roads knock out nearby charging stations",
}
local path = os.getenv("BENCH_PATH")
local threads = {}
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Connection"] = "close"

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  statuses = {}
end

function request()
  counter = counter + 1
  local claim = claims[counter % #claims + 1] .. " (" .. tid .. "-" .. counter .. ")"
  local body = '{"claim": "' .. claim .. '", "explanation": "bench run", '
    .. '"url": "https://news.example.com/a/' .. tid .. '/' .. counter .. '", '
    .. '"platform": "weibo", "language": "' .. (counter % 2 == 0 and "zh" or "en") .. '"}'
  return wrk.format(nil, path, nil, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
    .. '"socket_errors": %d, "timeouts": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write, e.timeout, table.concat(parts, ", ")))
end
"""


def run_wrk(base: str, path: str, seconds: int, args, script: Path) -> dict:
    cmd = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s", "--timeout",
           "10s", "-s", str(script), base]
    out = subprocess.run(cmd, env=dict(os.environ, BENCH_PATH=path), text=True,
                         capture_output=True, timeout=seconds + 60)
    match = re.search(r"^BENCH_RESULT (.*)$", out.stdout, re.M)
    if out.returncode or not match:
        sys.exit(f"wrk failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    result = json.loads(match.group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out.stdout)
    result["wrk_non2xx"] = int(non2xx.group(1)) if non2xx else 0
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def machine(args, scoring: str) -> list[str]:
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    db = "PostgreSQL" if args.database_url else "SQLite file (WAL)"
    return [
        f"machine: {os.cpu_count()} CPUs, {platform.platform()}, Python "
        f"{platform.python_version()}, {wrk.split(' Copyright')[0] if wrk else 'wrk ?'}",
        f"load average before/after: {args.load_before:.2f} / {os.getloadavg()[0]:.2f} "
        "(other processes make figures noisy; compare the ratios)",
        f"server: gunicorn {args.workers} sync workers, APP_ENV=production, {db}, "
        f"rate limits off, scoring {scoring}",
        f"load: wrk -t{args.threads} -c{args.connections} -d{args.duration}s, "
        f"Connection: close, {args.runs} runs per endpoint, alternating",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: SQLite in a temp dir)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per endpoint")
    args = parser.parse_args()
    args.load_before = os.getloadavg()[0]
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")

    tmp = Path(tempfile.mkdtemp(prefix="bench-intake-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = server_env(args, tmp / "instance", port)
    db_url = args.database_url or f"sqlite:///{tmp / 'instance' / 'reportdesk.sqlite3'}"
    script = tmp / "post_report.lua"
    script.write_text(LUA)
    scoring = prepare_database(env)
    create_bench_table(db_url)
    before = count_reports(db_url)
    scored_before = count_reports(db_url, "WHERE scoring_status = 'scored'")
    proc = start_server(env, tmp / "gunicorn.log", base)
    results: dict[str, list[dict]] = {name: [] for name, _, _ in ENDPOINTS}
    created = 0
    try:
        for _name, path, expected in ENDPOINTS:
            warm = run_wrk(base, path, args.warmup, args, script)
            created += warm["statuses"].get("201", 0) if expected == 201 else 0
        for i in range(args.runs):
            for name, path, expected in ENDPOINTS:
                result = run_wrk(base, path, args.duration, args, script)
                results[name].append(result)
                if expected == 201:
                    created += result["statuses"].get("201", 0)
                print(f"run {i + 1} {name:22} {result['rps']:8.0f} req/s  p50 "
                      f"{result['p50_us'] / 1000:6.1f} ms  p99 {result['p99_us'] / 1000:6.1f} ms"
                      f"  statuses {result['statuses']}", flush=True)
    finally:
        stop_server(proc)
    stored = count_reports(db_url) - before
    scored = count_reports(db_url, "WHERE scoring_status = 'scored'") - scored_before

    lines = machine(args, scoring)
    lines += ["", f"| endpoint | req/s (median of {args.runs}) | p50 ms | p99 ms |",
              "|---|---:|---:|---:|"]
    medians, problems, counts = {}, [], []
    for name, _path, expected in ENDPOINTS:
        runs = results[name]
        medians[name] = statistics.median(r["rps"] for r in runs)
        p50 = statistics.median(r["p50_us"] for r in runs) / 1000
        p99 = statistics.median(r["p99_us"] for r in runs) / 1000
        lines.append(f"| {name} | {medians[name]:,.0f} | {p50:.1f} | {p99:.1f} |")
        total = sum(r["requests"] for r in runs)
        unexpected = sum(n for r in runs for s, n in r["statuses"].items() if int(s) != expected)
        non2xx = sum(r["wrk_non2xx"] for r in runs)
        errors = sum(r["socket_errors"] + r["timeouts"] for r in runs)
        counts.append(f"{name}: {total:,} responses, not {expected}: {unexpected}, "
                      f"non-2xx (wrk): {non2xx}, socket errors/timeouts: {errors}")
        if unexpected or non2xx or errors:
            problems.append(f"{name}: {unexpected} responses were not {expected}, "
                            f"{errors} socket errors")
    intake, unscored, unclustered, insert, noop = (medians[name] for name, _, _ in ENDPOINTS)
    # wrk drops the requests in flight when a run ends; the server still stores them.
    in_flight = stored - created
    lines += ["", *counts,
              f"ratio scored intake / unscored intake (req/s): {intake / unscored:.2f}",
              f"ratio scored intake / noop (req/s): {intake / noop:.2f}",
              f"ratio unscored intake / noop (req/s): {unscored / noop:.2f}",
              f"ratio scored intake, clustering off / noop (req/s): {unclustered / noop:.2f}",
              f"ratio one insert / noop (req/s): {insert / noop:.2f}",
              f"reports stored: {stored:,} = {created:,} answered 201 + {in_flight} in flight "
              f"when a wrk run stopped (at most {args.connections} per run); "
              f"scored by the model: {scored:,}"]
    intake_endpoints = sum(1 for _, _, expected in ENDPOINTS if expected == 201)
    if not 0 <= in_flight <= args.connections * (args.runs + 1) * intake_endpoints:
        problems.append(f"{created} reports got 201 but {stored} were stored")
    print("\n" + "\n".join(lines))
    for problem in problems:
        print("PROBLEM:", problem)
    shutil.rmtree(tmp, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
