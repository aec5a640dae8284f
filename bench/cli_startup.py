"""Start-up time of `flask --help` and `flask users list`, with and without compiled bytecode.

    .venv/bin/python -m bench.cli_startup [--runs 10]

Where PYTHONDONTWRITEBYTECODE is set (as on the shared test machines) Python never caches
the bytecode of intake/ and classifier/, so every `flask` command compiles ~150 modules
again before it does anything. This copies the application twice into a temporary folder,
compiles one copy (`python -m compileall`, what `make bytecode` does) and runs each command
in both copies alternately, on one SQLite database, so both see the same load. It prints the
median wall and CPU (user + system) time of each and the load average.
"""

import argparse
import compileall
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = (("--help",), ("users", "list"))


def _copy(target: Path) -> Path:
    """Copy what `flask --app wsgi` loads (code, templates, compiled catalogue) to target."""
    for name in ("intake", "classifier", "templates"):
        shutil.copytree(ROOT / name, target / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / "wsgi.py", target / "wsgi.py")
    return target


def _run(cwd: Path, env: dict, args: tuple[str, ...]) -> tuple[float, float]:
    """Run `flask --app wsgi ARGS` once; return its wall and CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=cwd, env=env,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        copies = {"source only": _copy(base / "plain"), "bytecode": _copy(base / "compiled")}
        compileall.compile_dir(str(copies["bytecode"]), quiet=1)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "REPORTDESK_"))}
        env.update(PYTHONDONTWRITEBYTECODE="1", INSTANCE_PATH=str(base / "instance"),
                   DATABASE_URL=f"sqlite:///{base / 'cli.sqlite3'}")
        subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "setup-db"],
                       cwd=copies["bytecode"], env=env, check=True, capture_output=True)
        times: dict[tuple, list[tuple[float, float]]] = {}
        loads = [os.getloadavg()[0]]
        for _ in range(runs):
            for args in COMMANDS:
                for label, cwd in copies.items():
                    times.setdefault((args, label), []).append(_run(cwd, env, args))
            loads.append(os.getloadavg()[0])
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}; {runs} runs each, alternating")
    print(f"load average (1 min) during the runs: {min(loads):.1f} to {max(loads):.1f}")
    for (args, label), values in times.items():
        wall = statistics.median(w for w, _ in values)
        cpu = statistics.median(c for _, c in values)
        print(f"flask {' '.join(args):<11} {label:<12} median wall {wall:.2f} s, CPU {cpu:.2f} s")


if __name__ == "__main__":
    main()
