"""`flask` commands that need no model start light: no scikit-learn, no Alembic, no Huey.

Each command runs in a fresh interpreter (the only way to see what it imports); the timings
themselves are in bench/README.md ("Fast commands"), never asserted here.
"""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from intake import PACKAGES, ROOT

# What was made lazy (loaded by the one command or page that needs it), and what never was
# needed: scikit-learn and its stack come only with a model.
HEAVY = {"sklearn", "scipy", "numpy", "joblib", "alembic", "flask_migrate", "huey", "pydantic",
         "PIL", "feedgen"}
PROBE = """
import atexit, json, sys
from flask.cli import main

def dump(path=sys.argv[1]):
    with open(path, "w") as out:
        json.dump(sorted(sys.modules), out)

atexit.register(dump)
sys.argv = ["flask", "--app", "wsgi", *sys.argv[2:]]
main()
"""


def _flask(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run `flask --app wsgi ARGS` on a fresh SQLite database; return it and the top-level
    packages it imported."""
    done, modules = _flask_modules(tmp_path, *args)
    return done, {name.split(".")[0] for name in modules}


def _flask_modules(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run `flask --app wsgi ARGS` on a fresh SQLite database; return it and every module it
    imported."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REPORTDESK_", "FLASK_"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}",
               INSTANCE_PATH=str(tmp_path / "instance"))
    modules = tmp_path / "modules.json"
    done = subprocess.run([sys.executable, "-c", PROBE, str(modules), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert modules.is_file(), done.stderr
    return done, set(json.loads(modules.read_text()))


@pytest.mark.parametrize("args", [("--help",), ("users", "list")])
def test_commands_without_a_model_import_nothing_heavy(tmp_path, args):
    if args != ("--help",):
        _flask(tmp_path, "setup-db")  # `users list` reads a table
    done, imported = _flask(tmp_path, *args)

    assert done.returncode == 0, done.stderr
    assert imported & HEAVY == set()
    assert "intake" in imported  # the probe did build the app


@pytest.mark.parametrize("args", [("--help",), ("users", "list")])
def test_commands_on_sqlite_load_no_postgresql_dialect(tmp_path, args):
    # ~5 % of the start (bench/README.md); PostgreSQL servers load it when they connect.
    if args != ("--help",):
        _flask(tmp_path, "setup-db")
    done, imported = _flask_modules(tmp_path, *args)

    assert done.returncode == 0, done.stderr
    assert "sqlalchemy.dialects.sqlite" in imported  # the probe did reach the database layer
    assert "sqlalchemy.dialects.postgresql" not in imported


def test_help_still_lists_every_group(tmp_path):
    done, _ = _flask(tmp_path, "--help")

    listed = {line.split()[0] for line in done.stdout.splitlines() if line.startswith("  ")}
    assert {"db", "setup-db", "check-db", "jobs", "model", "users", "cases", "hotline",
            "reports", "notifications", "partners", "reporters"} <= listed


def test_the_lazy_db_group_runs_flask_migrate(tmp_path):
    _flask(tmp_path, "setup-db")
    helped, _ = _flask(tmp_path, "db", "--help")
    current, imported = _flask(tmp_path, "db", "current")

    assert helped.returncode == 0 and "upgrade" in helped.stdout and "--directory" in helped.stdout
    assert current.returncode == 0, current.stderr
    assert "(head)" in current.stdout and "alembic" in imported


def test_every_package_has_an_init_app_and_create_app_calls_each():
    packages = {p.name for p in Path(ROOT, "intake").iterdir() if (p / "__init__.py").is_file()}

    assert {package.__name__.removeprefix("intake.") for package in PACKAGES} == packages
    assert all(callable(package.init_app) for package in PACKAGES)


def test_core_imports_no_feature_package():
    features = {package.__name__ for package in PACKAGES} - {"intake.core"}
    found = []
    for path in Path(ROOT, "intake", "core").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            found += [f"{path.name}: {name}" for name in names
                      if any(name == f or name.startswith(f + ".") for f in features)]

    assert found == []
