"""The harvest cache's manifest: one entry per review (its card, its file's hash and size, when it
was fetched, the last error), kept as one JSON file written atomically.

It is a record, not the truth about the files: a harvest killed after renaming a report but
before saving the manifest leaves a whole file that the next run checks and adopts, and a file
the manifest lists is checked before it is trusted. Unreadable manifests are set aside, never
fatal: the files are the cache.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

FORMAT = "dhrkg-homeoffice-manifest/1"


@dataclass(frozen=True)
class Entry:
    """What the cache knows of one review."""

    download_id: str
    title: str | None = None
    pseudonym: str | None = None
    csp: str | None = None
    region: str | None = None
    uploaded: str | None = None
    death: str | None = None
    url: str | None = None  # where it was fetched from (the harvest's base URL)
    file: str | None = None  # relative to the cache
    sha256: str | None = None
    size: int | None = None
    fetched_at: str | None = None
    listed_at: str | None = None  # when a listing last showed it
    error: str | None = None  # why the last attempt to fetch it failed
    tags: tuple[str, ...] = ()
    tags_collected: bool = False


@dataclass
class Manifest:
    """The entries by download id, loaded from and saved to ``path``."""

    path: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """The manifest at ``path``; empty (with a warning) when it is missing or unreadable.

        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> manifest = Manifest.load(folder / "manifest.json")
        >>> manifest.put(Entry("abc", csp="Lincoln", tags=("DHR process - police recommendations",)))
        >>> manifest.save()
        >>> Manifest.load(folder / "manifest.json").entries["abc"].tags
        ('DHR process - police recommendations',)
        """
        manifest = cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return manifest
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            manifest.warnings.append(f"{path}: unreadable manifest ({err}); the cached files are checked afresh")
            return manifest
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("reviews"), dict):
            manifest.warnings.append(f"{path}: not a dhrkg harvest manifest; the cached files are checked afresh")
            return manifest
        known = {f.name for f in fields(Entry)}
        for key, value in data["reviews"].items():
            if isinstance(value, dict) and value.get("download_id") == key:
                kept = {k: v for k, v in value.items() if k in known}
                kept["tags"] = tuple(kept.get("tags") or ())
                manifest.entries[key] = Entry(**kept)
        return manifest

    def get(self, download_id: str) -> Entry:
        return self.entries.get(download_id) or Entry(download_id)

    def put(self, entry: Entry) -> None:
        self.entries[entry.download_id] = entry

    def update(self, download_id: str, **changes: Any) -> Entry:
        entry = replace(self.get(download_id), **changes)
        self.put(entry)
        return entry

    def save(self) -> None:
        """Write the manifest atomically: the old one or the new one, never half of either."""
        reviews = {key: _plain(entry) for key, entry in sorted(self.entries.items())}
        write_atomically(self.path, json.dumps({"format": FORMAT, "reviews": reviews}, ensure_ascii=False,
                                               indent=1).encode("utf-8"))


def _plain(entry: Entry) -> dict[str, Any]:
    value = asdict(entry)
    value["tags"] = sorted(entry.tags)
    return value


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, make it durable, and rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
