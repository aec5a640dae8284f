"""`flask model predict`: what the model says about texts, and the words behind it."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import click
from flask.cli import with_appcontext

import classifier
from intake.triage.version_commands import model_for

EMPTY: dict[str, Any] = {"topic": None, "topic_probabilities": {}, "p_actionable": None,
         "reasons": {"topic": [], "actionable": []}}


def _decode(raw: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise click.ClickException(f"{name}: not UTF-8 or GB18030 text; save it as UTF-8.")


def texts_of(content: str, name: str) -> Iterator[str]:
    """Yield the texts: one per line, or the `text` column of a CSV whose header names it."""
    first = content.split("\n", 1)[0].rstrip("\r")
    header = next(csv.reader([first]), [])
    if "text" in header and (len(header) > 1 or name.lower().endswith(".csv")):
        reader = csv.DictReader(io.StringIO(content, newline=""))
        try:
            for row in reader:
                yield row.get("text") or ""
        except csv.Error as exc:
            raise click.ClickException(f"{name}: line {reader.line_num}: {exc}") from exc
        return
    if name.lower().endswith(".csv"):
        raise click.ClickException(f"{name}: the CSV has no `text` column; name the column "
                                   "that holds the texts `text` in the first row.")
    lines = content.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line opens no new one
    for line in lines:
        yield line.rstrip("\r")


def result(model: classifier.TriageModel, text: str) -> dict:
    """Return exactly what --json prints for one text (a blank line predicts nothing)."""
    if not text.strip():
        return dict(EMPTY)
    p = model.predict_one(text)
    return {"topic": p.topic, "topic_probabilities": p.topic_probabilities,
            "p_actionable": p.p_actionable, "reasons": p.reasons}


def _words(rows: list[dict]) -> str:
    return ", ".join(f"{row['text']} {row['weight']:+.2f}" for row in rows) or "-"


def _human(number: int, text: str, out: dict) -> None:
    click.echo(f"{number}. {text[:70]}{'…' if len(text) > 70 else ''}")
    if out["topic"] is None:
        click.echo("   (blank line: nothing to score)")
        return
    top = sorted(out["topic_probabilities"].items(), key=lambda kv: -kv[1])[:3]
    click.echo(f"   topic {out['topic']} ({', '.join(f'{k} {v:.2f}' for k, v in top)})"
               f"   P(actionable) {out['p_actionable']:.2f}")
    act = out["reasons"]["actionable"]
    click.echo(f"   topic words: {_words(out['reasons']['topic'])}")
    click.echo(f"   raised P: {_words([r for r in act if r['weight'] > 0])}")
    click.echo(f"   lowered P: {_words([r for r in act if r['weight'] < 0])}")


@click.command("predict")
@click.argument("source", type=click.File("rb"), default="-", required=False)
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object per input line, in order: topic, topic_probabilities, "
                   "p_actionable, reasons. Nothing else goes to standard output.")
@click.option("--version", help="A registered model version (default: the active one).")
@with_appcontext
def predict(source, as_json: bool, version: str | None) -> None:
    """Score texts from FILE (or - for standard input): one per line, or a CSV `text` column."""
    model, version = model_for(version)
    name = getattr(source, "name", "-")
    count = 0
    for count, text in enumerate(texts_of(_decode(source.read(), name), name), start=1):
        out = result(model, text)
        if as_json:
            click.echo(json.dumps(out, ensure_ascii=False))
        else:
            _human(count, text, out)
    click.echo(f"Scored {count} texts with model {version}.", err=True)
