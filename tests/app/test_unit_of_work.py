"""Operations flush, the entry point commits: only views, commands and jobs call commit().

One request (or command, or job run) is one transaction: a service that committed half-way
would leave half a change stored when the view fails after it. The walk reads the source
(AST), so a commit in a comment or a string does not count.
"""

import ast
from pathlib import Path

import intake

ROOT = Path(intake.__file__).parent

# Entry points: Flask views, CLI commands and the job runner. They own the transaction.
ENTRY_POINTS = {
    "appeals/views.py", "cases/casework.py", "cases/commands.py", "cases/desk_move_views.py",
    "cases/merging.py", "cases/moderation.py", "core/commands.py", "core/jobs.py",
    "hotline/callback_views.py", "hotline/commands.py", "hotline/views.py", "matching/views.py",
    "misuse/views.py", "notifications/commands.py", "notifications/views.py",
    "notifications/worker.py", "partners/api.py", "partners/commands.py", "publishing/views.py",
    "reports/api.py", "reports/public.py", "triage/commands.py", "triage/version_commands.py",
    "users/auth.py", "users/commands.py",
}
# Operations that still commit themselves: none left (issue 16). A new one fails
# test_only_entry_points_commit; convert it rather than listing it here.
PENDING: set[str] = set()


def _commits(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "commit" and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr == "session"]


def _committing(root: Path = ROOT) -> dict[str, list[int]]:
    found = {}
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        lines = _commits(path)
        if lines:
            found[path.relative_to(root).as_posix()] = lines
    return found


def _stray(root: Path = ROOT) -> dict[str, list[int]]:
    return {name: lines for name, lines in _committing(root).items()
            if name not in ENTRY_POINTS | PENDING}


def test_only_entry_points_commit():
    stray = _stray()
    assert stray == {}, ("these operations commit; flush instead and let the view, command "
                         f"or job commit: {stray}")


def test_no_operation_is_left_to_commit():
    assert PENDING == set()


def test_a_committing_service_is_caught(tmp_path):
    # The guard itself: a service that commits is stray, the same line in a view is not.
    for name in ("reports/operations.py", "reports/public.py"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("def f(db):\n    db.session.commit()\n", encoding="utf-8")
    assert _stray(tmp_path) == {"reports/operations.py": [2]}


def test_the_lists_name_modules_that_commit():
    # A module that stopped committing leaves the lists, so they never hide a new commit.
    assert set(_committing()) == ENTRY_POINTS | PENDING


def test_the_walk_finds_a_commit(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from x import db\n\n\ndef f():\n    # session.commit() here\n"
                      "    db.session.commit()\n", encoding="utf-8")
    assert _commits(sample) == [6]
