"""Text in figures: user names drawn as written, wrapped to the figure's width."""

from __future__ import annotations

from .._text import printable

__all__ = ["_label", "_wrapped", "_wrapped_label"]


def _label(text) -> str:
    r"""User text (data set, feature, classifier, class, AU names) as matplotlib shows it as is.

    matplotlib reads text between two ``$`` as mathtext: ``cost_$5_vs_$10.csv``
    would fail to draw and ``price$2$list.csv`` lose its dollars, so every ``$``
    is escaped (``\$``, drawn as ``$``).
    """
    return printable(text).replace("$", r"\$")


def _wrapped_label(text, width: float, fontsize: float) -> str:
    r"""``text`` :func:`_wrapped` to ``width`` inches, then escaped (:func:`_label`).

    In that order: :func:`_wrapped` may break a line after a ``\``, so one that
    escapes a ``$`` would end a line and leave the ``$`` unescaped on the next.
    """
    return _label(_wrapped(printable(text), width, fontsize))


def _wrapped(text: str, width: float, fontsize: float) -> str:
    """``text`` broken into lines that fit a figure ``width`` inches wide.

    Lines break at spaces (and at the line breaks ``text`` has); a word longer
    than a line, such as a manifest's path, after a ``/`` or ``:`` of it, in a
    part still too long after a ``_``, ``.`` or ``-``, else where the line is
    full. Joined without the line breaks, the pieces of a word spell it whole.

    Examples
    --------
    >>> print(_wrapped("synthetic · cross:manifest:/data/thesis_2024/faces.csv", 2.0, 9))
    synthetic · cross:
    manifest:/data/
    thesis_2024/faces.csv
    """
    # an average character of matplotlib's default font is about 0.6 em wide
    per_line = max(20, int(0.9 * width * 72 / (0.6 * fontsize)))
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            for i, piece in enumerate(_word_pieces(word, per_line)):
                joined = f"{line}{' ' if line and i == 0 else ''}{piece}"
                if line and len(joined) > per_line:
                    lines.append(line)
                    joined = piece
                line = joined
        lines.append(line)
    return "\n".join(lines)


def _word_pieces(word: str, per_line: int) -> list[str]:
    """``word`` in pieces of at most ``per_line`` characters, cut after separators if it can."""
    import re

    pieces = [word]
    for separators in ("/:\\", "_.-", None):  # a path's folders first, then within names
        split = []
        for piece in pieces:
            if len(piece) <= per_line:
                split.append(piece)
            elif separators:
                sep = re.escape(separators)
                split += re.findall(f"[^{sep}]*[{sep}]+|[^{sep}]+", piece)
            else:
                split += re.findall(f".{{1,{per_line}}}", piece)
        pieces = split
    return pieces
