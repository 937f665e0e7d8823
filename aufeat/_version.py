"""aufeat's version, from the installed package's metadata.

Its own module so that aufeat's modules can record the version without
importing the top-level package (which lists every public name).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("aufeat")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"
