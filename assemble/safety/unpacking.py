"""What zipfile raises on a damaged package (one tuple, for every place a package is
opened or a part read) → what went wrong, in words."""

from __future__ import annotations

import struct
import zipfile
import zlib

from ..errors import describe_os_error

# zipfile's own, and what its reading passes through: a truncated record (struct, EOF),
# a bad deflate stream (zlib), an offset past the end (ValueError, OSError), an
# unknown compression (NotImplementedError), an encrypted part (RuntimeError).
ZIP_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, struct.error, ValueError,
    NotImplementedError, RuntimeError, OSError,
)


def unpacking(exc: BaseException) -> str:
    """What went wrong unpacking a part, in words."""
    if isinstance(exc, zipfile.BadZipFile) and "CRC" in str(exc):
        return "a part does not match its checksum"
    if isinstance(exc, EOFError | struct.error):
        return "a part ends too soon"
    if isinstance(exc, zlib.error):
        return "a part cannot be unpacked"
    if isinstance(exc, OSError):
        return f"it cannot be read from the disk: {describe_os_error(exc)[0]}"
    return "a part cannot be unpacked"
