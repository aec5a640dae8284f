"""Sample hotline data shared by the hotline tests: call screen forms and call-log files."""

import csv
import io
from pathlib import Path

from intake.hotline.call_import import COLUMNS

NUMBER = "13800138000"  # the caller's number as typed; +8613800138000 normalised
# Every way the full number could leak into storage or logs.
NUMBER_FORMS = (NUMBER, "8613800138000", "138 0013 8000", "138-0013-8000")


def call_form(**overrides) -> dict[str, str]:
    """Return a valid call screen submission; keyword arguments override fields."""
    data = {
        "caller_number": "138 0013 8000",
        "started_at": "2026-11-24 10:05",
        "language": "zh",
        "claim": "网传视频称某品牌电动车在小区地下车库充电时电池起火自燃。",
        "platform": "douyin",
        "url": "",
        "explanation": "来电者说这段视频2021年就出现过。",
        "notes": "来电者语气平静",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def call_row(n: int, **overrides) -> dict[str, str]:
    """Return one call-log row; n makes the call id and the number distinct."""
    row = {
        "call_id": f"CC-{n:06d}",
        "started_at": "2026-11-20 14:03:00",
        "caller_number": f"+86 139 {n:04d} {n % 10000:04d}",
        "language": "zh" if n % 2 else "en",
        "summary": (f"来电称某车企召回三万辆电动车（{n}）" if n % 2
                    else f"Caller says a robotaxi ran a red light in Wuhan ({n})"),
        "operator": "olga",
        "urgent": "no",
        "consent": "no",
    }
    row.update(overrides)
    return row


def write_log(path: Path, rows: list[dict], *, header=COLUMNS, encoding: str = "utf-8",
              raw: str | None = None) -> Path:
    """Write a call-log CSV in the given encoding ("utf-8-sig" adds a BOM)."""
    if raw is None:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(name, "") for name in header])
        raw = out.getvalue()
    path.write_bytes(raw.encode(encoding))
    return path
