"""Streaming gzip/deflate decoding: any number of gzip members, any split of the input,
bounded output per pull, trailing bytes, truncation and garbage."""

import gzip
import os
import zlib

import pytest
from godot_http.request import DecodeError, Decoder, decoder_for

TEXT = b"".join(b"line %d of some text that compresses well\n" % i for i in range(3000))


def run(decoder, data, split, max_out=4096):
    out = bytearray()
    for i in range(0, len(data), split):
        decoder.push(data[i : i + split])
        while True:
            piece = decoder.pull(max_out)
            assert len(piece) <= max_out
            if not piece:
                break
            out += piece
    while decoder.pending:
        piece = decoder.pull(max_out)
        if not piece:
            break
        out += piece
    decoder.finish()
    return bytes(out)


def raw_deflate(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


@pytest.mark.parametrize("split", [1, 7, 1024, 1 << 20])
@pytest.mark.parametrize(
    "coding,encoded",
    [
        ("gzip", gzip.compress(TEXT)),
        ("gzip", gzip.compress(TEXT[:5000]) + gzip.compress(TEXT[5000:])),  # two members
        ("gzip", b"".join(gzip.compress(TEXT[i : i + 9000]) for i in range(0, len(TEXT), 9000))),
        ("deflate", zlib.compress(TEXT)),  # zlib format
        ("deflate", raw_deflate(TEXT)),  # raw deflate
    ],
)
def test_decodes_whatever_the_split(coding, encoded, split):
    assert run(Decoder(coding), encoded, split) == TEXT


@pytest.mark.parametrize("tail", [b"\0", b"x", b"\n\n", b"\x1f"])
def test_bytes_after_the_last_gzip_member_are_ignored_and_counted(tail):
    d = Decoder("gzip")
    assert run(d, gzip.compress(TEXT) + tail, 5) == TEXT
    assert d.trailing_garbage == len(tail) and d.members == 1


def test_a_zip_bomb_never_expands_past_max_out_per_pull():
    bomb = gzip.compress(bytes(64 << 20))  # 64 MiB of zeros, about 64 KiB compressed
    d = Decoder("gzip")
    d.push(bomb)
    first = d.pull(1 << 16)
    assert len(first) == 1 << 16 and d.pending


@pytest.mark.parametrize(
    "coding,data,what",
    [
        ("gzip", gzip.compress(TEXT)[:-9], "Truncated"),
        ("gzip", b"not gzip at all", "does not start with a gzip header"),
        ("gzip", gzip.compress(TEXT)[:10] + os.urandom(64), "Invalid gzip"),
        ("deflate", zlib.compress(TEXT)[:-20], "Truncated"),
        ("deflate", b"\x01", "too short"),
    ],
)
def test_broken_bodies_raise_decode_error(coding, data, what):
    with pytest.raises(DecodeError, match=what):
        run(Decoder(coding), data, 3)


def test_empty_body_is_fine_and_unknown_codings_are_not_decoded():
    assert run(Decoder("gzip"), b"", 1) == b""
    assert decoder_for("br") is None and decoder_for(None) is None and decoder_for(" GZIP ").coding == "gzip"
