"""`byside maintenance plan`: a maintenance slot judged against the zone's window, the notice
deadline, the subscribers to notify, and the .ics + notice files (byside/maintenance/)."""

from __future__ import annotations

import os
import stat
import tempfile
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
    """All or nothing, never over something else: each file goes to a temporary file in the folder,
    then every one is renamed into place; an existing target that is not a regular file (a symlink,
    a folder, a device) stops the command before anything is written."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise BadInput(f"--out-dir: {folder} is not a folder")
    targets = {folder / name: data for name, data in files.items()}
    for path in targets:
        if path.is_symlink() or (path.exists() and not stat.S_ISREG(path.lstat().st_mode)):
            raise BadInput(f"--out-dir: {path} exists and is not a regular file; not replaced")
    folder.mkdir(parents=True, exist_ok=True)
    temps: list[tuple[str, Path]] = []
    try:
        for path, data in targets.items():
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o644)
            temps.append((tmp, path))
        for tmp, path in temps:
            os.replace(tmp, path)
    finally:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return list(targets)


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
