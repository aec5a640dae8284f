"""`flask reports transparency`: the transparency figures per month, as text, CSV or JSON."""

import csv
import json
import sys

import click
from flask.cli import with_appcontext

from intake.core.models import CHANNELS, OUTCOMES
from intake.hotline.commands import reports_cli
from intake.transparency import figures as transparency


def _hours(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} h"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _text(result: transparency.Transparency) -> None:
    for figures in [*result.months, result.total]:
        partner = ("not available" if figures.partner_reports is None
                   else figures.partner_reports)
        click.echo(
            f"{figures.month}: reports {figures.reports} {figures.by_channel}, "
            f"languages {figures.by_language}; decisions {figures.decisions} "
            f"{figures.by_outcome}; to decision median {_hours(figures.median_hours)}, "
            f"p90 {_hours(figures.p90_hours)}; scored {_share(figures.scored_share)}; "
            f"topic changed {figures.topic_changed}/{figures.suggested}; appeals received "
            f"{figures.appeals_received}, upheld {figures.appeals_upheld}, reversed "
            f"{figures.appeals_reversed}; debunks published {figures.debunks_published}; "
            f"partner reports {partner}")


def _rounded(value: float | None, digits: int = 2):
    return None if value is None else round(value, digits)


def flat(figures: transparency.Figures, languages: list[str]) -> dict:
    """Return one month's (or the total's) figures as one flat row: CSV and JSON use it."""
    row = {"month": figures.month, "reports": figures.reports}
    row.update({f"reports_{c}": figures.by_channel.get(c, 0) for c in CHANNELS})
    row.update({f"reports_lang_{lang}": figures.by_language.get(lang, 0) for lang in languages})
    row["decisions"] = figures.decisions
    row.update({f"decided_{o}": figures.by_outcome.get(o, 0) for o in OUTCOMES})
    row.update({
        "median_hours_to_decision": _rounded(figures.median_hours),
        "p90_hours_to_decision": _rounded(figures.p90_hours),
        "reports_scored": figures.scored, "scored_share": _rounded(figures.scored_share, 4),
        "decisions_with_model_topic": figures.suggested,
        "topic_changed": figures.topic_changed,
        "topic_changed_share": _rounded(figures.changed_share, 4),
        "appeals_received": figures.appeals_received,
        "appeals_upheld": figures.appeals_upheld,
        "appeals_reversed": figures.appeals_reversed,
        "debunks_published": figures.debunks_published,
        "partner_reports": figures.partner_reports,
    })
    return row


@reports_cli.command("transparency")
@click.option("--from", "first", metavar="YYYY-MM",
              help="First month, in the newsroom's time zone (default: 11 months ago).")
@click.option("--to", "last", metavar="YYYY-MM", help="Last month (default: this month).")
@click.option("--csv", "as_csv", is_flag=True, help="One CSV row per month and a total row.")
@click.option("--json", "as_json", is_flag=True, help="A JSON document.")
@with_appcontext
def transparency_figures(first: str | None, last: str | None, as_csv: bool,
                         as_json: bool) -> None:
    """Print the transparency figures per month and in total (months in TIMEZONE)."""
    if as_csv and as_json:
        raise click.UsageError("Pick one of --csv and --json.")
    default_first, default_last = transparency.default_range()
    try:
        months = transparency.month_range(first or default_first, last or default_last)
    except transparency.MonthError as exc:
        hint = "--to" if str(exc).startswith("to ") else "--from"
        raise click.BadParameter(str(exc), param_hint=hint) from exc
    result = transparency.compute(months)
    rows = [flat(f, result.languages) for f in [*result.months, result.total]]
    if as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    elif as_json:
        click.echo(json.dumps({
            "from": months[0].key, "to": months[-1].key,
            "partner_reports_available": result.partner_available,
            "months": rows[:-1], "total": rows[-1],
        }, indent=2))
    else:
        _text(result)
