"""Model versions in the database: register, promote, roll back, export and import."""

from __future__ import annotations

from dataclasses import dataclass

import classifier
from intake.audit import trail as audit
from intake.audit.trail import Actor
from intake.core.extensions import db
from intake.core.models import utcnow
from intake.triage.models import ModelActivation, ModelVersion

MAX_VERSION = 64  # the length of model_versions.version


class RegistryError(Exception):
    """A registry change that cannot be made; the message says why and what to do."""


@dataclass(frozen=True)
class ExportedModel:
    """An artifact and what travels with it: its version name and SHA-256."""

    version: str
    sha256: str
    artifact: bytes

    def sidecar(self) -> str:
        """Return the checksum line written next to an exported file (sha256sum format)."""
        return f"{self.sha256}  {self.version}\n"


def versions() -> list[ModelVersion]:
    """Return every registered version, newest first."""
    return list(db.session.scalars(db.select(ModelVersion).order_by(ModelVersion.id.desc())))


def find(version: str) -> ModelVersion:
    """Return the version with this name or raise RegistryError."""
    row = db.session.scalars(db.select(ModelVersion).where(ModelVersion.version == version)).first()
    if row is None:
        raise RegistryError(f"no model version {version!r}; `flask model list` shows them")
    return row


def activations() -> list[ModelActivation]:
    """Return the activation log, oldest first."""
    return list(db.session.scalars(db.select(ModelActivation).order_by(ModelActivation.id)))


def active() -> ModelActivation | None:
    """Return the activation that is in force (the newest), or None."""
    return db.session.scalars(
        db.select(ModelActivation).order_by(ModelActivation.id.desc()).limit(1)
    ).first()


def _stack() -> list[int]:
    # Promotions push a version, rollbacks pop one: the top is the active version.
    stack: list[int] = []
    for row in activations():
        if (row.note or "").startswith("rollback"):
            stack = stack[:-1] or [row.version_id]
        else:
            stack.append(row.version_id)
    return stack


def register(model: classifier.TriageModel, card: dict, *, actor: Actor) -> ModelVersion:
    """Store a model artifact with its card (not yet active) and audit it."""
    blob = classifier.dump_model(model, card)
    sha = classifier.artifact_sha256(blob)
    row = ModelVersion(version=f"{utcnow():%Y%m%d-%H%M%S}-{sha[:8]}",
                       created_by=audit.actor_name(actor), sha256=sha, size=len(blob),
                       card=card, artifact=blob)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "model.register", "model_version", row.version,
                 after={"sha256": sha, "size": len(blob)})
    db.session.flush()
    return row


def _activate(row: ModelVersion, *, actor: Actor, note: str, after: dict) -> ModelActivation:
    current = active()
    activation = ModelActivation(version=row, activated_by=audit.actor_name(actor), note=note)
    db.session.add(activation)
    audit.record(actor, f"model.{note.split()[0]}", "model_version", row.version,
                 before={"active": current.version.version if current else None},
                 after={"active": row.version, **after})
    db.session.flush()
    return activation


def promote(version: str, *, actor: Actor, force: bool = False) -> ModelVersion:
    """Make a version the one every worker scores with; a failed gate needs force."""
    row = find(version)
    current = active()
    if current is not None and current.version_id == row.id:
        raise RegistryError(f"{version} is already the active version")
    gate = (row.card or {}).get("gate") or {}
    if gate.get("passed") is False and not force:
        failed = ", ".join(c["name"] for c in gate.get("checks", []) if not c["passed"])
        raise RegistryError(f"{version} failed the quality gate ({failed}); "
                            "use --force to promote it anyway")
    _check_loads(row)
    _activate(row, actor=actor, note="promote", after={"forced": force})
    return row


def rollback(*, actor: Actor) -> ModelVersion:
    """Re-activate the version that was active before the current one."""
    stack = _stack()
    if len(stack) < 2:
        raise RegistryError("there is no earlier active version to roll back to")
    row = db.session.get_one(ModelVersion, stack[-2])
    current = db.session.get_one(ModelVersion, stack[-1])
    _check_loads(row)
    _activate(row, actor=actor, note=f"rollback from {current.version}",
              after={"rolled_back": current.version})
    return row


def _check_loads(row: ModelVersion) -> None:
    # Never switch every worker to an artifact none of them can load.
    try:
        classifier.load_model(row.artifact, expected_sha256=row.sha256)
    except classifier.ModelLoadError as exc:
        raise RegistryError(f"{row.version} cannot be loaded: {exc}") from exc


def load(version: str) -> classifier.TriageModel:
    """Load a registered version's model, verified, or raise RegistryError."""
    row = find(version)
    try:
        model, _card = classifier.load_model(row.artifact, expected_sha256=row.sha256)
    except classifier.ModelLoadError as exc:
        raise RegistryError(f"{version} cannot be loaded: {exc}") from exc
    return model


def export(version: str, *, actor: Actor) -> ExportedModel:
    """Return a version's artifact for another deployment, and audit that it left."""
    row = find(version)
    audit.record(actor, "model.export", "model_version", row.version,
                 after={"sha256": row.sha256})
    db.session.flush()
    return ExportedModel(row.version, row.sha256, row.artifact)


def record_rescore(scope: str, scored: int, version: str | None, *, actor: Actor) -> None:
    """Audit a rescore: which reports were re-ranked, how many, by which version."""
    audit.record(actor, "model.rescore", "reports", scope,
                 after={"scored": scored, "version": version})
    db.session.flush()


def parse_sidecar(text: str) -> tuple[str, str]:
    """Return (sha256, version) from a checksum line, or raise RegistryError."""
    parts = text.split()
    if len(parts) != 2 or len(parts[0]) != 64 or any(c not in "0123456789abcdef"
                                                     for c in parts[0].lower()):
        raise RegistryError("the checksum file must hold one line: <sha256>  <version>")
    return parts[0].lower(), parts[1]


def import_model(blob: bytes, *, sha256: str, version: str, actor: Actor) -> ModelVersion:
    """Verify an artifact (checksum, format, allow-list) and register it, not active."""
    if not 0 < len(version) <= MAX_VERSION:
        # Cut silently, two long names became one and the second import crashed.
        raise RegistryError(f"a version name has 1 to {MAX_VERSION} characters; "
                            f"this one has {len(version)}")
    try:
        _model, card = classifier.load_model(blob, expected_sha256=sha256)
    except classifier.ModelLoadError as exc:
        raise RegistryError(f"refused: {exc}") from exc
    same = db.session.scalars(db.select(ModelVersion).where(ModelVersion.sha256 == sha256)).first()
    if same is not None:
        raise RegistryError(f"this artifact is already registered as {same.version}")
    if db.session.scalars(db.select(ModelVersion).where(ModelVersion.version == version)).first():
        raise RegistryError(f"a different model is already registered as {version}")
    row = ModelVersion(version=version, created_by=audit.actor_name(actor), sha256=sha256,
                       size=len(blob), card={**card, "imported": True}, artifact=blob)
    db.session.add(row)
    audit.record(actor, "model.import", "model_version", row.version,
                 after={"sha256": sha256, "size": len(blob)})
    db.session.flush()
    return row
