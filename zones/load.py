"""Load zones/*.yaml, type-check each file by its kind and validate them as one platform."""

from __future__ import annotations

import os
from pathlib import Path as FsPath

from .issues import Issue, ZoneDataError
from .loader import SourceFile, display_name, parse, read_yaml
from .model import DataCentersFile, SubscribersFile, ZoneFile
from .platform import Platform
from .validate import validate

PACKAGE_DIR = FsPath(__file__).resolve().parent
SINGLETONS = ("platform", "datacenters", "subscribers", "access")


def default_dir() -> FsPath:
    """zones/ itself, or the folder BYSIDE_ZONES_DIR names (the benchmarks' synthetic zones, a test's
    modified copy): read at each call, so every command and the Pulumi program follow it."""
    return FsPath(os.environ.get("BYSIDE_ZONES_DIR") or PACKAGE_DIR)


def yaml_files(directory: FsPath) -> tuple[list[FsPath], list[Issue]]:
    """Every `*.yaml` entry of the folder (hidden files aside: editor backups and locks), whatever
    it is — a dangling symlink or a folder is reported when read, never skipped — and an issue for
    each file that looks like zone data under another name (`we1.yml`, `WE1.YAML`): one spelling
    only, so that no file is silently left out."""
    try:
        entries = sorted(directory.iterdir())
    except FileNotFoundError:
        return [], [Issue(str(directory), 1, "<root>", "no such folder")]
    except NotADirectoryError:
        return [], [Issue(str(directory), 1, "<root>", "not a folder")]
    except OSError as exc:
        return [], [Issue(str(directory), 1, "<root>", f"cannot list the folder: {exc.strerror or exc}")]
    files, issues = [], []
    for p in entries:
        if p.name.startswith("."):
            continue
        if p.suffix == ".yaml":
            files.append(p)
        elif p.suffix.lower() in (".yaml", ".yml"):
            issues.append(Issue(display_name(p), 1, "<root>", f"zone files end in `.yaml`: rename it to "
                                f"{p.stem}.yaml (a `{p.suffix}` file is not read)"))
    return files, issues


def load(directory: FsPath | str | None = None) -> tuple[Platform | None, list[Issue]]:
    """Load and validate every file; return the platform (None on errors) and all issues."""
    directory = FsPath(directory) if directory else default_dir()
    files, issues = yaml_files(directory)
    if not files:
        return None, issues or [Issue(str(directory), 1, "<root>", "no *.yaml zone files found")]

    parsed: dict[str, list[tuple[SourceFile, object]]] = {}
    for path in files:
        src, errs = read_yaml(path)
        issues += errs
        if errs:
            continue
        doc, errs = parse(src)
        issues += errs
        if doc is not None:
            parsed.setdefault(doc.kind, []).append((src, doc))

    sources: dict[str, SourceFile] = {}
    for kind in SINGLETONS:
        found = parsed.get(kind, [])
        if len(found) > 1:
            first = found[0][0].name
            issues += [src.issue(("kind",), f"second `{kind}` file (first: {first})") for src, _ in found[1:]]
        if not found and not issues:
            issues.append(Issue(str(directory), 1, "<root>", f"no file of kind `{kind}`"))
        if found:
            sources[kind] = found[0][0]
    if any(i.severity == "error" for i in issues):
        return None, sorted(issues)

    zones: dict[str, ZoneFile] = {}
    for src, doc in parsed.get("zone", []):
        if doc.id in zones:
            issues.append(src.issue(("id",), f"duplicate zone id {doc.id!r} (also {sources[doc.id].name}:{sources[doc.id].line(('id',))})"))
            continue
        zones[doc.id] = doc
        sources[doc.id] = src

    dcs: DataCentersFile = parsed["datacenters"][0][1]
    subs: SubscribersFile = parsed["subscribers"][0][1]
    platform = Platform(
        platform=parsed["platform"][0][1],
        datacenters={d.id: d for d in dcs.datacenters},
        subscribers={s.id: s for s in subs.subscribers},
        access=parsed["access"][0][1],
        zones=dict(sorted(zones.items())),
        sources=sources,
    )
    issues += validate(platform, dcs, subs)
    issues = sorted(set(issues))
    if any(i.severity == "error" for i in issues):
        return None, issues
    return platform, issues


def load_platform(directory: FsPath | str | None = None) -> Platform:
    """Load zones/ or raise ``ZoneDataError`` listing every error."""
    platform, issues = load(directory)
    if platform is None:
        raise ZoneDataError(issues)
    return platform
