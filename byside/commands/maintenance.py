"""`byside maintenance plan`: a maintenance slot judged against the zone's window, the notice
deadline, the subscribers to notify, and the .ics + notice files (byside/maintenance/)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Optional
from zoneinfo import ZoneInfo

import typer

from ..console import BadInput, out

maintenance_app = typer.Typer(help="Maintenance notices for the subscribers of a zone.", no_args_is_help=True)
DEFAULT_OUT_DIR = Path("build/maintenance")


def register(app: typer.Typer) -> None:
    app.add_typer(maintenance_app, name="maintenance")


def write_files(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Both files or neither, through byside/safeio.py (temp file + rename; a symlink to a regular
    file is written through; a folder, device or dangling link is refused): every target is checked
    before the first is written."""
    from .. import safeio

    targets = {folder / name: data for name, data in files.items()}
    for path in targets:
        safeio.check_target(path)  # safeio's own rule for what may be replaced, for all files first
    return [safeio.write_file(path, data) for path, data in targets.items()]


@maintenance_app.command("plan")
def plan(
    zone: str = typer.Option(..., "--zone", help="Zone id (zones/<zone>.yaml)"),
    start: str = typer.Option(..., "--start", help="Start, 'YYYY-MM-DD HH:MM' in the zone's local time"),
    duration: str = typer.Option(..., "--duration", help="How long: 90m, 2h, 1h30m"),
    emergency: bool = typer.Option(False, "--emergency", help="Emergency work (critical security patch): "
                                   "24 hours' notice instead of 3 business days"),
    today: Optional[str] = typer.Option(None, "--today", help="Today, 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM' local "
                                        "(default: now); also the files' DTSTAMP"),
    out_dir: Path = typer.Option(DEFAULT_OUT_DIR, "--out-dir", help="Folder for the .ics and the notice"),
) -> None:
    """Check a maintenance slot and write its notice. Exit 0 fine, 1 the notice would be late or the
    slot leaves the window, 2 bad input."""
    import zones

    from .. import maintenance as mp
    from ..maintenance.render import summary

    try:
        platform = zones.load_platform()
    except zones.ZoneDataError as exc:
        raise BadInput(str(exc)) from None
    try:
        if zone not in platform.zones:
            raise mp.BadPlan("--zone", f"unknown zone {zone!r}; known: {', '.join(platform.zones)}")
        tz = ZoneInfo(platform.zones[zone].timezone)
        now = mp.parse_today(today) if today else datetime.now(tz).replace(tzinfo=None, second=0, microsecond=0)
        notice = mp.plan_notice(platform, zone, mp.parse_local(start), mp.parse_duration(duration), emergency, now)
    except mp.BadPlan as exc:
        raise BadInput(str(exc)) from None
    written: list[str] = []
    if notice.inside_window:  # a slot outside the window is not announced
        ics, txt = mp.filenames(notice)
        written = [str(p) for p in write_files(out_dir, {ics: mp.to_ics(notice), txt: mp.to_text(notice).encode()})]
    for line in summary(notice, written):
        out.print(line, markup=False, highlight=False)
    if not notice.ok:
        raise typer.Exit(1)
