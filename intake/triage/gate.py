"""The quality gate: may a candidate replace the active model? Every check is named."""

from dataclasses import asdict, dataclass

# Gate metric key -> (metrics section, metric name) in classifier.evaluate()'s dict.
METRICS: dict[str, tuple[str, str]] = {
    "topic_accuracy": ("topic", "accuracy"),
    "topic_macro_f1": ("topic", "macro_f1"),
    "actionable_roc_auc": ("actionable", "roc_auc"),
    "actionable_average_precision": ("actionable", "average_precision"),
}


@dataclass(frozen=True)
class Check:
    """One named gate check and why it passed or failed."""

    name: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class Verdict:
    """The gate's answer and every check behind it."""

    passed: bool
    checks: list[Check]

    def to_dict(self) -> dict:
        """Return JSON-ready data for the model card."""
        return {"passed": self.passed, "checks": [asdict(c) for c in self.checks]}


def metric(metrics: dict | None, key: str) -> float | None:
    """Return one gate metric from a metrics dict, None when absent or undefined."""
    if not metrics:
        return None
    section, name = METRICS[key]
    return (metrics.get(section) or {}).get(name)


def judge(
    candidate: dict | None, active: dict | None, *, has_active: bool, decisions: int,
    held_out: int, config: dict,
) -> Verdict:
    """Compare candidate and active metrics on the same held-out set against the config."""
    if not has_active:
        # Any working model beats none: without one, every report waits unscored.
        return Verdict(True, [Check("active model", True,
                                    "no active model to compare with: any model is better")])
    need_d, need_h = config["MODEL_GATE_MIN_DECISIONS"], config["MODEL_GATE_MIN_HELD_OUT"]
    checks = [
        Check("decisions", decisions >= need_d, f"{decisions} decisions (need {need_d})"),
        Check("held-out size", held_out >= need_h,
              f"{held_out} held-out reports (need {need_h})"),
    ]
    for key, tolerance in config["MODEL_GATE_TOLERANCES"].items():
        new, old = metric(candidate, key), metric(active, key)
        if new is None or old is None:
            ok = new is not None or old is None
            detail = "not measurable on this held-out set" if ok else "candidate not measured"
            checks.append(Check(key, ok, detail))
            continue
        checks.append(Check(key, new >= old - tolerance,
                            f"candidate {new:.3f} vs active {old:.3f} "
                            f"(may be at most {tolerance:.3f} lower)"))
    return Verdict(all(c.passed for c in checks), checks)
