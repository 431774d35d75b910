#!/usr/bin/env python3
"""A loopback TCP proxy that adds a fixed delay to every request, for benchmarks.

Usage: latency_proxy.py LISTEN_PORT TARGET_PORT DELAY_MS

The AWS emulator answers in well under a millisecond on loopback, while a real AWS
endpoint is tens of milliseconds away. Delaying each chunk the client sends by
DELAY_MS before forwarding it gives every API call a realistic round-trip time, so a
benchmark shows what concurrency gains against the real service rather than against
a CPU-bound emulator. Each connection is served by its own threads (the delays of
concurrent calls overlap, as on a real network).
"""
import socket
import sys
import threading
import time

LISTEN, TARGET, DELAY = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) / 1000.0


def pipe(src, dst, delay):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if delay:
                time.sleep(delay)
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(client):
    upstream = socket.create_connection(("127.0.0.1", TARGET))
    threading.Thread(target=pipe, args=(client, upstream, DELAY), daemon=True).start()
    threading.Thread(target=pipe, args=(upstream, client, 0), daemon=True).start()


def main():
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", LISTEN))
    srv.listen(512)
    while True:
        conn, _ = srv.accept()
        serve(conn)


if __name__ == "__main__":
    main()
