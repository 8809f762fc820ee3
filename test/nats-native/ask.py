#!/usr/bin/env python3
"""Ask Switchyard for a chat completion or embeddings with a plain NATS request, in Python 3's
standard library only: the NATS text protocol over a socket (CONNECT, SUB, HPUB, MSG/HMSG).

    ask.py [--server nats://127.0.0.1:4222] [--user U --password P] [--timeout 30]
           [--header 'x-switchyard-deadline-ms: 5000'] ... SUBJECT BODY

SUBJECT is <root>.chat.<tenant>.<model token> (llm.chat.default.fast-triage-model) with BODY an
OpenAI chat-completions request as JSON, or <root>.embeddings.<tenant>.<model token> with BODY
an OpenAI embeddings request (the answer is OpenAI's list of embeddings). The answer arrives on
an inbox of the tenant,
_INBOX.<tenant>.<random> (the only reply subject Switchyard answers). Each message of the
answer is printed as one JSON line: {"headers": {...}, "body": <the JSON body, or null>}.
A streamed answer is one message per chunk, then an empty message (Switchyard-Stream: end);
an error is OpenAI's error JSON with Nats-Service-Error-Code and Nats-Service-Error headers.

Exit status: 0 answered, 1 answered with an error, 2 no answer within --timeout,
3 no responders (nothing serves the subject).
"""
import argparse
import json
import secrets
import socket
import sys
import time
from urllib.parse import urlparse


def read_line(sock, buf):
    while b"\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        buf.extend(chunk)
    line, _, rest = bytes(buf).partition(b"\r\n")
    buf[:] = rest
    return line.decode()


def read_exactly(sock, buf, size):
    while len(buf) < size + 2:  # the payload and its trailing CRLF
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        buf.extend(chunk)
    data = bytes(buf[:size])
    buf[:] = buf[size + 2 :]
    return data


def parse_headers(block):
    """'NATS/1.0 503\r\nName: value\r\n\r\n' -> ({'Name': 'value'}, '503')."""
    lines = block.decode().split("\r\n")
    status = lines[0][len("NATS/1.0") :].strip()
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, _, value = line.partition(":")
            headers[name.strip()] = value.strip()
    return headers, status


def next_message(sock, buf):
    """The next MSG or HMSG as (headers, status, payload), answering PINGs on the way."""
    while True:
        line = read_line(sock, buf)
        op = line.split(" ", 1)[0].upper()
        if op == "PING":
            sock.sendall(b"PONG\r\n")
        elif op == "-ERR":
            raise ConnectionError(line)
        elif op == "MSG":  # MSG <subject> <sid> [reply] <size>
            return {}, "", read_exactly(sock, buf, int(line.split()[-1]))
        elif op == "HMSG":  # HMSG <subject> <sid> [reply] <header size> <total size>
            parts = line.split()
            header_size, total = int(parts[-2]), int(parts[-1])
            data = read_exactly(sock, buf, total)
            headers, status = parse_headers(data[:header_size])
            return headers, status, data[header_size:]


def main():
    args = argparse.ArgumentParser(description="a plain NATS request to Switchyard")
    args.add_argument("--server", default="nats://127.0.0.1:4222")
    args.add_argument("--user")
    args.add_argument("--password")
    args.add_argument("--timeout", type=float, default=30.0)
    args.add_argument("--header", action="append", default=[], help="'Name: value'")
    args.add_argument("subject")
    args.add_argument("body")
    opts = args.parse_args()

    url = urlparse(opts.server)
    sock = socket.create_connection((url.hostname, url.port or 4222), timeout=opts.timeout)
    buf = bytearray()
    read_line(sock, buf)  # INFO {...}
    connect = {"verbose": False, "headers": True, "no_responders": True, "name": "ask.py"}
    if opts.user:
        connect.update(user=opts.user, **{"pass": opts.password})
    sock.sendall(f"CONNECT {json.dumps(connect)}\r\nPING\r\n".encode())
    reply = read_line(sock, buf)
    if reply != "PONG":
        raise ConnectionError(reply)

    tenant = opts.subject.split(".")[-2]
    inbox = f"_INBOX.{tenant}.{secrets.token_hex(8)}"
    header_block = "NATS/1.0\r\n" + "".join(f"{h.strip()}\r\n" for h in opts.header) + "\r\n"
    hdr, body = header_block.encode(), opts.body.encode()
    sock.sendall(
        f"SUB {inbox} 1\r\nHPUB {opts.subject} {inbox} {len(hdr)} {len(hdr) + len(body)}\r\n".encode()
        + hdr + body + b"\r\n"
    )

    deadline = time.monotonic() + opts.timeout
    while True:
        sock.settimeout(max(0.001, deadline - time.monotonic()))
        try:
            headers, status, payload = next_message(sock, buf)
        except socket.timeout:
            print(json.dumps({"timeout": opts.timeout}))
            return 2
        if status.startswith("503"):
            print(json.dumps({"no_responders": opts.subject}))
            return 3
        answer = json.loads(payload) if payload else None
        print(json.dumps({"headers": headers, "body": answer}), flush=True)
        if "Nats-Service-Error-Code" in headers:
            return 1
        if answer is None or answer.get("object") != "chat.completion.chunk":
            return 0  # the result, or the empty message that ends a stream


if __name__ == "__main__":
    sys.exit(main())
