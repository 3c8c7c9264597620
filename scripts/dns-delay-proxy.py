#!/usr/bin/env python3
"""A UDP DNS proxy that holds every answer for a while (python3 stdlib only).

Stands for a resolver across a network in scripts/bench-dns: loopback answers
in microseconds, real resolvers in milliseconds, and that is where asking many
questions at once pays. usage: dns-delay-proxy.py UPSTREAM_PORT DELAY_MS PORT_FILE
"""
import asyncio
import os
import sys


class Proxy(asyncio.DatagramProtocol):
    def __init__(self, upstream, delay):
        self.upstream = upstream
        self.delay = delay
        self.pending = {}  # query id -> clients waiting (ids repeat among many in flight)
        self.transport = None
        self.up = None

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        if len(data) < 2:
            return
        self.pending.setdefault(data[:2], []).append(addr)
        self.up.sendto(data)

    def answer(self, data):
        waiting = self.pending.get(data[:2])
        if not waiting:
            return
        addr = waiting.pop(0)
        if not waiting:
            del self.pending[data[:2]]
        asyncio.get_running_loop().call_later(self.delay, self.transport.sendto, data, addr)


class Upstream(asyncio.DatagramProtocol):
    def __init__(self, proxy):
        self.proxy = proxy

    def datagram_received(self, data, addr):
        self.proxy.answer(data)


async def main():
    upstream_port, delay_ms, port_file = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    loop = asyncio.get_running_loop()
    proxy = Proxy(("127.0.0.1", upstream_port), delay_ms / 1000.0)
    transport, _ = await loop.create_datagram_endpoint(lambda: proxy, local_addr=("127.0.0.1", 0))
    up, _ = await loop.create_datagram_endpoint(lambda: Upstream(proxy),
                                                remote_addr=("127.0.0.1", upstream_port))
    proxy.up = up
    with open(port_file + ".tmp", "w") as f:
        f.write(str(transport.get_extra_info("sockname")[1]))
    os.rename(port_file + ".tmp", port_file)
    await asyncio.Event().wait()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
