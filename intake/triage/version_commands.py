"""`flask model list/promote/rollback/export/import`: the version registry from the CLI."""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click
from flask.cli import with_appcontext

import classifier
from intake.core.extensions import db
from intake.triage import registry as model_registry
from intake.triage import scoring as triage
from intake.triage.gate import metric

T = TypeVar("T")


def actor() -> str:
    """Return the audit name of whoever runs the command."""
    try:
        name = getpass.getuser()
    except Exception:  # no user name in some containers
        name = "unknown"
    return f"cli:{name}"


def fail(call: Callable[..., T], *args, **kwargs) -> T:
    """Run a registry call, turning its RegistryError into a clean CLI error."""
    try:
        result = call(*args, **kwargs)
    except model_registry.RegistryError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()  # the command is the unit of work: the registry only flushed
    return result


def model_for(version: str | None) -> tuple[classifier.TriageModel, str]:
    """Load a registered version, or the active model when none is named."""
    if version:
        return fail(model_registry.load, version), version
    active = triage.active_model(fresh=True)
    if active is None:
        raise click.ClickException("No usable active model. Train one: flask model train")
    return active.model, active.version


def _num(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:.3f}"


@click.command("list")
@with_appcontext
def list_versions() -> None:
    """List model versions: when, by whom, data size, held-out metrics, gate, which is active."""
    rows = model_registry.versions()
    if not rows:
        click.echo("No model versions yet. Train one: flask model train")
        return
    current = model_registry.active()
    click.echo(f"  {'version':<26}{'created (UTC)':<18}{'by':<16}{'n':>7}{'acc':>7}{'F1':>7}"
               f"{'AUC':>7}{'AP':>7}  gate")
    for row in rows:
        card = row.card or {}
        metrics = card.get("metrics")
        gate = (card.get("gate") or {}).get("passed")
        mark = "*" if current is not None and current.version_id == row.id else " "
        click.echo(
            f"{mark} {row.version:<26}{row.created_at:%Y-%m-%d %H:%M}  "
            f"{(row.created_by or '-')[:15]:<16}{(card.get('training_data') or {}).get('n', 0):>7}"
            f"{_num(metric(metrics, 'topic_accuracy')):>7}"
            f"{_num(metric(metrics, 'topic_macro_f1')):>7}"
            f"{_num(metric(metrics, 'actionable_roc_auc')):>7}"
            f"{_num(metric(metrics, 'actionable_average_precision')):>7}"
            f"  {'-' if gate is None else 'pass' if gate else 'FAIL'}")
    click.echo("* = active")


@click.command("promote")
@click.argument("version")
@click.option("--force", is_flag=True, help="Promote even if the version failed the gate.")
@with_appcontext
def promote(version: str, force: bool) -> None:
    """Make VERSION the model every worker scores with."""
    row = fail(model_registry.promote, version, actor=actor(), force=force)
    click.echo(f"Promoted {row.version}. Workers switch within their check interval; "
               "re-rank the queue with `flask model rescore --open`.")


@click.command("rollback")
@with_appcontext
def rollback() -> None:
    """Go back to the version that was active before the current one."""
    row = fail(model_registry.rollback, actor=actor())
    click.echo(f"Rolled back: {row.version} is active again.")


@click.command("export")
@click.argument("version")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def export(version: str, path: str) -> None:
    """Write VERSION's artifact to PATH and its checksum to PATH.sha256."""
    target = Path(path)
    if not target.parent.is_dir():
        raise click.BadParameter(f"folder {str(target.parent)!r} does not exist",
                                 param_hint="PATH")
    exported = fail(model_registry.export, version, actor=actor())
    target.write_bytes(exported.artifact)
    Path(f"{path}.sha256").write_text(exported.sidecar(), encoding="ascii")
    click.echo(f"Wrote {path} ({len(exported.artifact) / 1024:.0f} KiB) and {path}.sha256.")


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--sha256", "expected", help="Expected SHA-256 (default: read from PATH.sha256).")
@click.option("--as", "version", help="Version name (default: the name in PATH.sha256).")
@with_appcontext
def import_(path: str, expected: str | None, version: str | None) -> None:
    """Verify and register an exported artifact (not made active)."""
    sidecar = f"{path}.sha256"
    if expected is None:
        if not os.path.exists(sidecar):
            raise click.ClickException(
                f"{sidecar} is missing: copy it along with the model, or give --sha256")
        line = Path(sidecar).read_text("ascii", errors="replace")
        expected, named = fail(model_registry.parse_sidecar, line)
        version = version or named
    else:
        expected = expected.strip().lower()
        if len(expected) != 64 or any(c not in "0123456789abcdef" for c in expected):
            raise click.BadParameter("give the SHA-256 as 64 hexadecimal digits",
                                     param_hint="--sha256")
    version = version or f"imported-{expected[:8]}"
    row = fail(model_registry.import_model, Path(path).read_bytes(), sha256=expected,
               version=version, actor=actor())
    click.echo(f"Imported {row.version} (checksum and type allow-list verified). "
               f"Make it active with `flask model promote {row.version}`.")


REGISTRY_COMMANDS = (list_versions, promote, rollback, export, import_)
