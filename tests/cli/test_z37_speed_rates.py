"""The speed table's printed rates give its printed ratio.

References slower than a few images per second were printed with one decimal
(0.1/s beside 435.7x, whose rates divide to 480x; a slower one as 0.0/s).
"""

import pytest

from aufeat.cli._speed import HEADER, SpeedResult, format_row


def _columns(row: str):
    """Return ``(aufeat, reference, ratio)`` as printed in a row of the table."""
    fields = row.split()
    return float(fields[3].removesuffix("/s")), float(fields[4].removesuffix("/s")), \
        float(fields[5].removesuffix("x"))


@pytest.mark.parametrize(("ours", "reference"), [
    (48.4, 0.11106),  # aufeat-bench speed --quick: gabor 8x5 bank, skimage
    (91.2, 0.22410),
    (1477.0, 105.04),
    (12.3, 0.000437),  # a slow machine: was printed 0.0/s beside a finite ratio
    (23456.0, 1.049),
])
def test_printed_rates_divide_to_the_printed_ratio(ours, reference):
    row = format_row(SpeedResult("gabor", "8x5 face bank", "112x112", 7, ours,
                                 "skimage.filters.gabor", reference))
    printed_ours, printed_reference, printed_ratio = _columns(row)
    assert printed_reference > 0, row
    # three significant figures on each rate: their quotient is the ratio within 1 %
    assert printed_ours / printed_reference == pytest.approx(printed_ratio, rel=0.01), row
    # the rates stay right-aligned under their headers
    assert row.index("/s") + len("/s") == HEADER.index("aufeat") + len("aufeat"), row
    assert row.index("/s", row.index("/s") + 1) + len("/s") == (
        HEADER.index("reference") + len("reference")), row
