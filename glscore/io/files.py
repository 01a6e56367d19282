"""Writing output files safely and reproducibly.

Every file the package writes (figures, tables, notebooks, curated data)
goes through :func:`write_if_changed`: the bytes land in a temporary file in
the same folder and replace the target in one step, so a reader never sees a
half-written file; a file whose bytes are already right is left untouched
(its timestamp too). A folder of outputs (the report) goes through
:func:`publish_folder`: all of it or nothing; a folder option never names
a file (:func:`check_folder_target`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from glscore.errors import InputError


def write_if_changed(path: Path | str, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically unless it already holds them.

    Returns True when the file was (re)written.
    """
    path = Path(path)
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return True


def write_text_if_changed(path: Path | str, text: str) -> bool:
    """:func:`write_if_changed` for UTF-8 text with ``\\n`` line endings."""
    return write_if_changed(path, text.encode("utf-8"))


def rewrite_section(path: Path | str, start: str, end: str, section: str, what: str,
                    check: bool = False) -> bool:
    """Replace the text of ``path`` from the line ``start`` to the line ``end``
    (both kept: ``section`` starts and ends with them) by ``section``, or with
    ``check`` only compare. True when the section is (now) current; with
    ``check`` False when it is stale. ``ValueError`` (naming ``what``) when
    the markers are missing."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if start not in text or end not in text:
        raise ValueError(f"{path.name}: the markers of the {what} section are missing")
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    updated = before + section + after
    if check:
        return updated == text
    write_text_if_changed(path, updated)
    return True


def check_folder_target(out: Path, option: str = "--out") -> None:
    """``out`` can receive a folder of outputs: it is not an existing file."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{option} '{out}': exists and is a file, not a folder")


@contextlib.contextmanager
def deferred_interrupt() -> Iterator[None]:
    """Ctrl-C during the block is held back and raised when the block ends, so a
    step that must finish (renaming files into place) is not cut in two."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


def publish_folder(out: Path, files: Mapping[str, bytes | str],
                   stale_in: Sequence[str] = (), stale_files: Sequence[str] = ()) -> list[Path]:
    """Write ``files`` (relative path -> bytes or text) into the folder ``out``,
    all or nothing.

    Every file is first written into a staging folder beside ``out``
    (``.<name>.partial-*``); a failure or an interrupt there removes it and
    leaves ``out`` as it was. Then the files are moved into place with
    interrupts held back (:func:`deferred_interrupt`): a new ``out`` is the
    staging folder renamed, an existing one gets each changed file replaced
    atomically (an unchanged file keeps its timestamp) and loses the files of
    its ``stale_in`` subfolders, and the ``stale_files``, that ``files`` no
    longer has. Nothing
    outside ``out`` is written but the staging folder. Returns the paths.
    """
    check_folder_target(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        for name, data in files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
            os.chmod(target, 0o644)
        with deferred_interrupt():
            if not out.exists():
                os.chmod(staging, 0o755)
                os.rename(staging, out)
            else:
                move_into(staging, out, sorted(files), stale_in, stale_files)
    except OSError as exc:
        raise InputError(f"'{out}': cannot write the output ({exc.strerror or exc}: "
                         f"{exc.filename or ''}); nothing was changed") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return [out / name for name in sorted(files)]


def move_into(staging: Path, out: Path, names: Sequence[str],
              stale_in: Sequence[str] = (), stale_files: Sequence[str] = ()) -> None:
    """Move the files ``names`` (relative paths) of ``staging`` into ``out``, each
    replacing its target atomically (an identical target is kept, timestamp and
    all), then drop the files of ``out``'s ``stale_in`` subfolders, and the
    ``stale_files``, that ``names`` lacks. Run it under :func:`deferred_interrupt`."""
    for name in names:
        source, target = staging / name, out / name
        if target.is_file() and target.read_bytes() == source.read_bytes():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
    kept = set(names)
    for folder in stale_in:
        for stale in sorted((out / folder).glob("*")):
            if stale.is_file() and f"{folder}/{stale.name}" not in kept:
                stale.unlink()
    for name in stale_files:
        if name not in kept and (out / name).is_file():
            (out / name).unlink()
