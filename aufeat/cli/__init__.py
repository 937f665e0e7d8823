"""Command-line interfaces: ``aufeat`` (main.py) and ``aufeat-bench`` (bench.py)."""

import os

# FFmpeg's own log lines ("moov atom not found") went to stderr before aufeat's one-line
# error about the same file; set before OpenCV is imported, as OpenCV reads it then.
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")  # AV_LOG_QUIET
