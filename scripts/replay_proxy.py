#!/usr/bin/env python3
"""A loopback HTTP proxy that records an AWS emulator's answers and replays them, for
benchmarks.

Usage: replay_proxy.py record LISTEN_PORT TARGET_PORT FILE
       replay_proxy.py replay LISTEN_PORT TARGET_PORT FILE DELAY_MS

`record` forwards every request to the emulator on TARGET_PORT and keeps each answer,
keyed by what the request asks (method, path and query, the SigV4 credential scope's
region and service, `X-Amz-Target`, body), writing them to FILE when stopped (SIGTERM or
SIGINT). `replay` answers every request it has an answer for after DELAY_MS, as a real
AWS endpoint tens of milliseconds away would, and serves many requests at once; a
request it has no answer for is forwarded to the emulator (and counted, printed on exit).

Why: moto answers one request at a time, about 4 ms each, in one Python process on the
same two cores as the scanner. Against it, a scan of 10,000 resources measures mostly
moto. Replaying the same answers keeps every byte of the emulated account, and the
latency of a real endpoint, while taking the emulator's own CPU time out of the figure.
"""
import asyncio
import pickle
import re
import signal
import sys

MODE, LISTEN, TARGET, FILE = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
DELAY = int(sys.argv[5]) / 1000.0 if MODE == "replay" else 0.0

answers = {}
misses = 0
served = 0


async def read_message(reader, request):
    """One HTTP/1.1 message (head and body) as bytes, or None at end of stream."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    if length:
        body = await reader.readexactly(int(length.group(1)))
        return head + body
    if re.search(rb"(?im)^transfer-encoding:\s*chunked", head):
        body = b""
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            body += size_line + chunk
            if size == 0:
                return head + body
    if request:
        return head
    # An answer without a length ends with the connection.
    return head + await reader.read()


def key_of(request):
    """What a request asks, without what changes from one run to the next (date,
    signature, invocation id, user agent)."""
    head, _, body = request.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    scope = re.search(rb"Credential=[^/]+/\d+/([^/]+)/([^/]+)/", head)
    target = re.search(rb"(?im)^x-amz-target:\s*(\S+)", head)
    return (
        lines[0],
        scope.groups() if scope else None,
        target.group(1) if target else None,
        body,
    )


async def forward(request):
    reader, writer = await asyncio.open_connection("127.0.0.1", TARGET)
    try:
        writer.write(request)
        await writer.drain()
        return await read_message(reader, False)
    finally:
        writer.close()


async def serve(reader, writer):
    global misses, served
    try:
        while True:
            request = await read_message(reader, True)
            if request is None:
                break
            key = key_of(request)
            answer = answers.get(key) if MODE == "replay" else None
            if answer is None:
                if DELAY:
                    await asyncio.sleep(DELAY)
                answer = await forward(request)
                if answer is None:
                    break
                if MODE == "record":
                    answers[key] = answer
                else:
                    misses += 1
            else:
                await asyncio.sleep(DELAY)
                served += 1
            writer.write(answer)
            await writer.drain()
            if re.search(rb"(?im)^connection:\s*close", answer.partition(b"\r\n\r\n")[0]):
                break
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


def stop(*_):
    if MODE == "record":
        with open(FILE, "wb") as f:
            pickle.dump(answers, f)
        print(f"recorded {len(answers)} answers", file=sys.stderr)
    else:
        print(f"replayed {served} answers, {misses} forwarded", file=sys.stderr)
    sys.exit(0)


async def main():
    global answers
    if MODE == "replay":
        with open(FILE, "rb") as f:
            answers = pickle.load(f)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop)
    server = await asyncio.start_server(serve, "127.0.0.1", LISTEN, backlog=512)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
