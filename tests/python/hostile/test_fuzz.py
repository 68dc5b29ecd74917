"""Issue 6 category 8: fuzzing the whole client's response reading (fuzz_target.py).

A short run here (hypothesis plus a few thousand random mutations); the one-million-input run
is ``-m slow`` (figures in docs/hostile-input.md)."""

import subprocess
import sys
import tracemalloc

import fuzz_target
import pytest
from fuzz_target import CORPUS, TOKENS, check, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

fragment = st.one_of(
    st.sampled_from(TOKENS),
    st.sampled_from(CORPUS),
    st.binary(max_size=12),
    st.sampled_from(
        [
            b"HTTP/1.1 200 OK\r\n",
            b"Content-Length: 3\r\n",
            b"\r\n\r\nabc",
            b"Transfer-Encoding: chunked\r\n\r\n",
            b"3\r\nabc\r\n",
            b"0\r\n\r\n",
        ]
    ),
)
response = st.lists(fragment, max_size=12).map(b"".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(response, st.booleans())
def test_parses_or_reports_a_protocol_error(data, head):
    check(run([data], 1 if head else 0))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(response, st.lists(st.integers(min_value=1, max_value=64), max_size=40))
def test_any_split_into_segments_gives_the_same_result(data, cuts):
    whole = check(run([data]))
    pieces, i = [], 0
    for n in cuts:
        pieces.append(data[i : i + n])
        i += n
    pieces.append(data[i:])
    assert run(pieces) == whole
    assert run([data[j : j + 1] for j in range(len(data))]) == whole  # byte by byte


def test_short_random_campaign_with_bounded_memory():
    tracemalloc.start()
    figures = fuzz_target.campaign(3000, seed=7, split_check_every=3)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert sum(figures["outcomes"].values()) == 3000 and peak < 8 * 1024 * 1024, (figures, peak)


@pytest.mark.slow
def test_one_million_inputs():
    out = subprocess.run(
        [sys.executable, fuzz_target.__file__, "1000000", "1"], capture_output=True, text=True, timeout=3600
    )
    print(out.stdout, out.stderr[-3000:])
    assert out.returncode == 0 and "inputs" in out.stdout, out.stderr[-3000:]
