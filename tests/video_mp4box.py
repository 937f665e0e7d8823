"""Edit an mp4's sample table, as phones and editors write them (a test helper).

``uneven`` makes some frames last several frame durations (a recording that dropped
frames: its ``stts``); ``trimmed`` starts the presentation some frames into the media
through the edit list (``elst``), as a trimmed clip keeps the whole media. The frames'
data stay as they are.
"""

import struct

_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf"}


def _walk(data, start, end, path=()):
    """Yield (offset, size, type, enclosing boxes' offsets) of every box in data[start:end]."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        yield pos, size, kind, path
        if kind in _CONTAINERS:
            yield from _walk(data, pos + 8, pos + size, (*path, pos))
        pos += size


def _scale_durations(data, numerator, denominator):
    """Scale the movie's, track's, media's and edit's durations (version 0 boxes)."""
    for pos, _, kind, _ in list(_walk(data, 0, len(data))):
        at = {b"mvhd": 24, b"tkhd": 28, b"mdhd": 24, b"elst": 16}.get(kind)
        if at is not None:
            value = struct.unpack(">I", data[pos + at:pos + at + 4])[0]
            data[pos + at:pos + at + 4] = struct.pack(">I", value * numerator // denominator)


def uneven(src, dst, long_frames):
    """Copy mp4 ``src`` to ``dst`` with frame k lasting ``long_frames[k]`` frame durations."""
    data = bytearray(src.read_bytes())
    for pos, size, kind, path in _walk(data, 0, len(data)):
        if kind == b"stts":
            count, delta = struct.unpack(">II", data[pos + 16:pos + 24])
            assert struct.unpack(">I", data[pos + 12:pos + 16])[0] == 1  # one even run
            lengths = [long_frames.get(k, 1) for k in range(count)]
            body = data[pos + 8:pos + 12] + struct.pack(">I", count) + b"".join(
                struct.pack(">II", 1, n * delta) for n in lengths)
            grow = 8 + len(body) - size
            data[pos:pos + size] = struct.pack(">I4s", 8 + len(body), b"stts") + body
            for outer in path:
                outer_size = struct.unpack(">I", data[outer:outer + 4])[0]
                data[outer:outer + 4] = struct.pack(">I", outer_size + grow)
            _shift_chunk_offsets(data, grow)
            _scale_durations(data, sum(lengths), count)
            break
    dst.write_bytes(bytes(data))


def _shift_chunk_offsets(data, grow):
    """Move the chunk offsets (``stco``) by ``grow`` bytes when the moov before mdat grew."""
    boxes = list(_walk(data, 0, len(data)))
    moov = next(pos for pos, _, kind, _ in boxes if kind == b"moov")
    mdat = next(pos for pos, _, kind, _ in boxes if kind == b"mdat")
    if moov > mdat:
        return
    for pos, _, kind, _ in boxes:
        if kind == b"stco":
            n = struct.unpack(">I", data[pos + 12:pos + 16])[0]
            for i in range(n):
                at = pos + 16 + 4 * i
                data[at:at + 4] = struct.pack(">I", struct.unpack(">I", data[at:at + 4])[0] + grow)


def trimmed(src, dst, skip):
    """Copy mp4 ``src`` to ``dst`` with its edit list showing it from frame ``skip`` on."""
    data = bytearray(src.read_bytes())
    for pos, _, kind, _ in _walk(data, 0, len(data)):
        if kind == b"stts":
            delta = struct.unpack(">I", data[pos + 20:pos + 24])[0]
    for pos, _, kind, _ in _walk(data, 0, len(data)):
        if kind == b"elst":
            duration, _ = struct.unpack(">Ii", data[pos + 16:pos + 24])
            count = None
            for p, _, k, _ in _walk(data, 0, len(data)):
                if k == b"stsz":
                    count = struct.unpack(">I", data[p + 16:p + 20])[0]
            # the edit's duration (movie time scale) shrinks by the frames left out
            shown = duration * (count - skip) // count
            data[pos + 16:pos + 24] = struct.pack(">Ii", shown, skip * delta)
    dst.write_bytes(bytes(data))


def moov_first(data):
    """The mp4 ``data`` with its sample table (moov) moved before the frames' data (mdat)."""
    data = bytearray(data)
    boxes = {kind: (pos, size) for pos, size, kind, _ in _walk(data, 0, len(data)) if not _}
    (mdat, _), (moov, moov_size) = boxes[b"mdat"], boxes[b"moov"]
    assert mdat < moov
    box = data[moov:moov + moov_size]
    for pos, _, kind, _ in _walk(box, 0, len(box)):
        if kind == b"stco":
            n = struct.unpack(">I", box[pos + 12:pos + 16])[0]
            for i in range(n):
                at = pos + 16 + 4 * i
                box[at:at + 4] = struct.pack(">I", struct.unpack(">I", box[at:at + 4])[0]
                                             + moov_size)
    return bytes(data[:mdat] + box + data[mdat:moov] + data[moov + moov_size:])
