"""Writing output files safely and reproducibly.

Every file the package writes (figures, tables, notebooks, curated data)
goes through :func:`write_if_changed`: the bytes land in a temporary file in
the same folder and replace the target in one step, so a reader never sees a
half-written file; a file whose bytes are already right is left untouched
(its timestamp too).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


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
