"""Helpers that drive an HTTPClient the way a GDScript polling loop does, recording a trace."""

import time

from godot_http.constants import Status

S = Status
POLL_SLEEP = 0.0005


def wait_status(client, leave, timeout=5.0):
    """Poll while the status is in ``leave``; return (collapsed status sequence, last poll result)."""
    seq = [client.get_status()]
    rc = 0
    deadline = time.monotonic() + timeout
    while client.get_status() in leave:
        rc = client.poll()
        st = client.get_status()
        if st != seq[-1]:
            seq.append(st)
        if st in leave:
            if time.monotonic() > deadline:
                raise AssertionError(f"stuck in {S(st).name}: {seq}")
            time.sleep(POLL_SLEEP)
    return [S(s).name[7:] for s in seq], rc


def connect(client, host, port, tls=None, timeout=5.0):
    err = client.connect_to_host(host, port, tls)
    assert err == 0, err
    seq, rc = wait_status(client, (S.STATUS_RESOLVING, S.STATUS_CONNECTING), timeout)
    return seq, rc


def read_body(client, poll_between=False, timeout=5.0):
    """Read until the status leaves BODY; returns (body, reads as "len:STATUS" collapsed)."""
    body = b""
    reads = []
    deadline = time.monotonic() + timeout
    while client.get_status() == S.STATUS_BODY:
        if poll_between:
            rc = client.poll()
            if client.get_status() != S.STATUS_BODY:
                reads.append(f"poll={rc}:{S(client.get_status()).name[7:]}")
                break
        chunk = client.read_response_body_chunk()
        body += chunk
        entry = f"{len(chunk)}:{S(client.get_status()).name[7:]}"
        if not (entry.startswith("0:BODY") and reads and reads[-1] == entry):
            reads.append(entry)
        if client.get_status() == S.STATUS_BODY and not chunk:
            if time.monotonic() > deadline:
                raise AssertionError(f"body stuck: {reads}")
            time.sleep(POLL_SLEEP)
    return body, reads


def fetch(client, method, url, headers=(), body="", poll_between=False):
    err = client.request(method, url, list(headers), body)
    assert err == 0, err
    seq, rc = wait_status(client, (S.STATUS_REQUESTING,))
    code = client.get_response_code()
    length = client.get_response_body_length()
    chunked = client.is_response_chunked()
    hdrs = client.get_response_headers()
    data, reads = (b"", [])
    if client.get_status() == S.STATUS_BODY:
        data, reads = read_body(client, poll_between)
    return {
        "seq": seq,
        "code": code,
        "headers": hdrs,
        "length": length,
        "chunked": chunked,
        "body": data,
        "reads": reads,
        "status": S(client.get_status()).name[7:],
    }
