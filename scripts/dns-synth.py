#!/usr/bin/env python3
"""A UDP DNS server that makes up the benchmark zone from the question (python3 stdlib only).

Answers for dN.bench.example, any N, as scripts/bench-dns's dnsmasq zones do:
inside (VIEW int) _cisco-uds._tcp.dN has cucm1.dN (priority 1) and cucm2.dN
(priority 2), each with an A record 10.0.0.1 / 10.0.0.2; outside (VIEW ext)
_collab-edge._tls.dN has expe1.dN and expe2.dN (priority 1), 192.0.2.1 / .2.
A name with records but not of the type asked is NODATA; any other name under
bench.example is NXDOMAIN; names elsewhere are REFUSED. dnsmasq looks SRV
records up by a scan of its configuration, so with thousands of domains it,
not j2w, takes the time; this costs the same per question at any size.
usage: dns-synth.py VIEW PORT_FILE
"""
import os
import socket
import struct
import sys

T_A, T_SRV = 1, 33
ZONE = ("bench", "example")


def encode(labels):
    return b"".join(bytes([len(l)]) + l.encode() for l in labels) + b"\0"


def records(view, labels):
    """(SRV records, A address) of the name; None when the name does not exist."""
    n = len(labels)
    if n < 3 or tuple(labels[-2:]) != ZONE or not labels[-3].startswith("d"):
        return None
    dom = labels[-3:]
    if view == "int":
        srv, hosts = ("_cisco-uds", "_tcp"), {"cucm1": "10.0.0.1", "cucm2": "10.0.0.2"}
        prio = {"cucm1": 1, "cucm2": 2}
    else:
        srv, hosts = ("_collab-edge", "_tls"), {"expe1": "192.0.2.1", "expe2": "192.0.2.2"}
        prio = {"expe1": 1, "expe2": 1}
    if n == 5 and tuple(labels[:2]) == srv:
        return [(prio[h], 10, 8443, [h] + dom) for h in sorted(hosts)], None
    if n == 4 and labels[0] in hosts:
        return [], hosts[labels[0]]
    return None


def answer(view, q):
    if len(q) < 12:
        return None
    qid, flags, qd = struct.unpack("!HHH", q[:6])
    if flags & 0x8000 or qd != 1:
        return None
    off, labels = 12, []
    while off < len(q) and q[off] != 0:
        ln = q[off]
        if ln > 63 or off + 1 + ln > len(q):
            return None
        labels.append(q[off + 1:off + 1 + ln].decode("ascii", "replace").lower())
        off += 1 + ln
    if off + 5 > len(q):
        return None
    qtype = struct.unpack("!H", q[off + 1:off + 3])[0]
    question = q[12:off + 5]
    rr = records(view, labels)
    inside = len(labels) >= 2 and tuple(labels[-2:]) == ZONE
    rcode, answers = 0, []
    if not inside:
        rcode = 5
    elif rr is None:
        rcode = 3
    elif qtype == T_SRV:
        for prio, weight, port, target in rr[0]:
            rdata = struct.pack("!HHH", prio, weight, port) + encode(target)
            answers.append(struct.pack("!HHHIH", 0xC00C, T_SRV, 1, 0, len(rdata)) + rdata)
    elif qtype == T_A and rr[1] is not None:
        rdata = socket.inet_aton(rr[1])
        answers.append(struct.pack("!HHHIH", 0xC00C, T_A, 1, 0, len(rdata)) + rdata)
    # QR, AA when authoritative, RD copied, RA
    rflags = 0x8000 | (0x0400 if inside else 0) | (flags & 0x0100) | 0x0080 | rcode
    return struct.pack("!HHHHHH", qid, rflags, 1, len(answers), 0, 0) + question + b"".join(answers)


def main():
    view, port_file = sys.argv[1], sys.argv[2]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    with open(port_file + ".tmp", "w") as f:
        f.write(str(s.getsockname()[1]))
    os.rename(port_file + ".tmp", port_file)
    while True:
        q, addr = s.recvfrom(65535)
        a = answer(view, q)
        if a is not None:
            s.sendto(a, addr)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
