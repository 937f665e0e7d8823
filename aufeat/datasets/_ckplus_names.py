"""CK+ file names (``S005_001_00000011.png``) and the choice of a sequence's frames."""

from __future__ import annotations

import os
import re

from .errors import DatasetError

#: subject, sequence number and frame number at the start of a CK+ file name
_FILE = re.compile(r"^(S\d+)_(\d+)_(\d+)")


def _pick(frames: list, mode: str) -> list:
    if mode == "peak":
        return frames[-1:]
    if mode == "all":
        return frames
    last = isinstance(mode, str) and mode.startswith("last:") and mode[5:].isdigit()
    if last and int(mode[5:]) >= 1:
        return frames[-int(mode[5:]):]
    raise ValueError(f"frames must be 'peak', 'last:N' (N >= 1) or 'all', got {mode!r}")


def _parse_name(path: str) -> tuple[str, str, int]:
    match = _FILE.match(os.path.basename(path))
    if match is None:
        raise DatasetError("file name is not like S005_001_00000011.png", path=path)
    subject, seq, frame = match.groups()
    return subject, f"{subject}_{seq}", int(frame)


def _frames(files: list[str]) -> list[tuple[int, str]]:
    """Return ``(frame, path)`` sorted by frame, refusing two files of one sequence's frame."""
    seen: dict[tuple[str, int], str] = {}
    for file in sorted(files):
        _, sequence, frame = _parse_name(file)
        if (sequence, frame) in seen:
            raise DatasetError(f"frame {frame} of sequence {sequence} twice: "
                               f"{seen[sequence, frame]} and {file} (a converted copy or a "
                               "second download?); keep one", path=file)
        seen[sequence, frame] = file
    return sorted((frame, file) for (_, frame), file in seen.items())
