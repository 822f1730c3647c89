"""Run a command in a network namespace where every outbound attempt is caught and recorded.

Usage (as root, or anywhere ``unshare --net --mount`` works)::

    python -m tests.network.sinkhole --report out.json [--linger SECONDS] -- command args...

Inside a fresh network and mount namespace:

* ``lo`` is up, and a TUN device held by the harness carries the default route (IPv4 and
  IPv6), so a connection to any outside address leaves through it instead of failing at once
  with "network unreachable"; every packet routed to it is read and recorded;
* ``/etc/resolv.conf`` is replaced (bind mount, this namespace only) by one naming
  127.0.0.1, where a DNS server records every query (UDP and TCP 53) and answers every A query
  with 127.0.0.1, so a program that looks a name up goes on to connect;
* listeners on 127.0.0.1 ports 80 and 443 (and ::1 when IPv6 works) record every connection
  and close it.

So an attempt is caught at its first step (the look-up), at the connection after a look-up,
and as a raw packet when the address was built in. The command runs to its end; then the
harness waits ``--linger`` seconds (a library that reports when it is idle or at exit gets
that long) and writes a JSON report: ``{"returncode", "dns": [names], "connections":
[[host, port]], "packets": [summaries]}``. It exits with the command's return code.

``tests/network/test_no_outbound.py`` runs the command, the model load and an app upload in
it. The harness tests itself there too: ``getent hosts``, a plain ``connect()`` to a public
address and ``curl`` to a name must each be recorded.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
DUMMY = "sink0"


def _run(*command: str) -> None:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _open_tun() -> int:
    """A TUN device named DUMMY whose packets this process reads (no packet information)."""
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", DUMMY.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def _setup_network() -> bool:
    """lo up, the TUN device with the default routes. Returns whether IPv6 is usable."""
    _run("ip", "link", "set", "lo", "up")
    _run("ip", "link", "set", DUMMY, "up")
    _run("ip", "addr", "add", "10.254.254.1/24", "dev", DUMMY)
    _run("ip", "route", "add", "default", "dev", DUMMY)
    try:
        _run("ip", "-6", "addr", "add", "fd00:254::1/64", "dev", DUMMY, "nodad")
        _run("ip", "-6", "route", "add", "default", "dev", DUMMY)
        return True
    except (subprocess.CalledProcessError, OSError):
        return False


def _replace_resolv_conf(directory: str) -> None:
    """Point name look-ups at 127.0.0.1 in this mount namespace only."""
    resolv = os.path.join(directory, "resolv.conf")
    with open(resolv, "w") as out:
        out.write("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
    _run("mount", "--make-rprivate", "/")
    _run("mount", "--bind", resolv, "/etc/resolv.conf")
    # nsswitch may list other sources (mdns, resolve); files + dns is what glibc falls back to.


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.dns: list[str] = []
        self.connections: list[list] = []
        self.packets: list[str] = []

    def add(self, kind: str, item) -> None:
        with self.lock:
            getattr(self, kind).append(item)
        print(f"[sinkhole] {kind}: {item}", file=sys.stderr, flush=True)


def _query_name(packet: bytes) -> tuple[str, int, int]:
    """Name, type and end offset of the question of a DNS message."""
    labels, at = [], 12
    while at < len(packet) and packet[at] != 0:
        length = packet[at]
        labels.append(packet[at + 1 : at + 1 + length].decode("ascii", "replace"))
        at += 1 + length
    qtype = struct.unpack(">H", packet[at + 1 : at + 3])[0] if at + 3 <= len(packet) else 0
    return ".".join(labels), qtype, at + 5


def _answer(packet: bytes) -> bytes:
    """A reply: A queries get 127.0.0.1, anything else an empty NOERROR answer."""
    name, qtype, end = _query_name(packet)
    header = packet[:2] + b"\x81\x80" + packet[4:6]
    question = packet[12:end]
    if qtype == 1:
        answer = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 5, 4) + socket.inet_aton("127.0.0.1")
        return header + struct.pack(">HHH", 1, 0, 0) + question + answer
    return header + struct.pack(">HHH", 0, 0, 0) + question


def _dns_udp(recorder: Recorder, sock: socket.socket) -> None:
    while True:
        data, peer = sock.recvfrom(4096)
        if len(data) < 12:
            continue
        name, qtype, _ = _query_name(data)
        recorder.add("dns", f"{name} (type {qtype})")
        sock.sendto(_answer(data), peer)


def _dns_tcp(recorder: Recorder, sock: socket.socket) -> None:
    while True:
        conn, _ = sock.accept()
        with conn:
            conn.settimeout(2)
            try:
                size = struct.unpack(">H", conn.recv(2))[0]
                data = conn.recv(size)
                name, qtype, _ = _query_name(data)
                recorder.add("dns", f"{name} (type {qtype}, tcp)")
                reply = _answer(data)
                conn.sendall(struct.pack(">H", len(reply)) + reply)
            except (OSError, struct.error):
                pass


def _listen(recorder: Recorder, sock: socket.socket) -> None:
    port = sock.getsockname()[1]
    while True:
        conn, peer = sock.accept()
        recorder.add("connections", [peer[0], port])
        conn.close()


def _sniff(recorder: Recorder, fd: int) -> None:
    while True:
        data = os.read(fd, 65535)
        version = data[0] >> 4 if data else 0
        if version == 4 and len(data) >= 20:
            proto = data[9]
            destination = socket.inet_ntoa(data[16:20])
            port = struct.unpack(">H", data[22:24])[0] if proto in (6, 17) and len(data) >= 24 else 0
            recorder.add("packets", f"IPv4 proto {proto} to {destination}:{port}")
        elif version == 6 and len(data) >= 40:
            proto = data[6]
            destination = socket.inet_ntop(socket.AF_INET6, data[24:40])
            port = struct.unpack(">H", data[42:44])[0] if proto in (6, 17) and len(data) >= 44 else 0
            if proto == 58:  # ICMPv6 (router or neighbour solicitation of the device itself)
                continue
            recorder.add("packets", f"IPv6 proto {proto} to [{destination}]:{port}")
        else:
            recorder.add("packets", f"{len(data)} bytes")


def _start(target, *args) -> None:
    threading.Thread(target=target, args=args, daemon=True).start()


def _bound(family: int, kind: int, address) -> socket.socket:
    sock = socket.socket(family, kind)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6:
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    sock.bind(address)
    if kind == socket.SOCK_STREAM:
        sock.listen(64)
    return sock


def inside(report: str, linger: float, command: list[str]) -> int:
    """The part that runs in the new namespaces (as their root)."""
    tun = _open_tun()
    ipv6 = _setup_network()
    recorder = Recorder()
    with tempfile.TemporaryDirectory() as directory:
        _replace_resolv_conf(directory)
        _start(_dns_udp, recorder, _bound(socket.AF_INET, socket.SOCK_DGRAM, ("127.0.0.1", 53)))
        _start(_dns_tcp, recorder, _bound(socket.AF_INET, socket.SOCK_STREAM, ("127.0.0.1", 53)))
        for port in (80, 443):
            _start(_listen, recorder, _bound(socket.AF_INET, socket.SOCK_STREAM, ("0.0.0.0", port)))
            if ipv6:
                _start(_listen, recorder, _bound(socket.AF_INET6, socket.SOCK_STREAM, ("::", port)))
        _start(_sniff, recorder, tun)
        started = time.monotonic()
        returncode = subprocess.call(command)
        elapsed = time.monotonic() - started
        time.sleep(linger)
        with recorder.lock:
            result = {
                "returncode": returncode,
                "seconds": round(elapsed, 2),
                "linger": linger,
                "dns": recorder.dns,
                "connections": recorder.connections,
                "packets": recorder.packets,
            }
    with open(report, "w") as out:
        json.dump(result, out, indent=1)
    return returncode


def available() -> str | None:
    """None when the harness can run here, else the reason it cannot."""
    for tool in ("unshare", "ip", "mount"):
        if subprocess.run(["sh", "-c", f"command -v {tool}"], capture_output=True).returncode:
            return f"{tool} is not installed (apt-get install util-linux iproute2 mount)"
    probe = subprocess.run(
        [
            "unshare",
            "--net",
            "--mount",
            "sh",
            "-c",
            f"ip tuntap add dev {DUMMY} mode tun && mount --make-rprivate / && echo ok",
        ],
        capture_output=True,
        text=True,
    )
    if probe.returncode or "ok" not in probe.stdout:
        return (
            "network and mount namespaces with a TUN device are not available here "
            f"(needs root or CAP_SYS_ADMIN and CAP_NET_ADMIN): {probe.stderr.strip()[:200]}"
        )
    return None


def run(command: list[str], linger: float = 0.0, timeout: float = 600, **popen) -> dict:
    """Run ``command`` in the sinkhole and return the report (with ``output``: its stdout)."""
    with tempfile.TemporaryDirectory() as directory:
        report = os.path.join(directory, "report.json")
        done = subprocess.run(
            [
                "unshare",
                "--net",
                "--mount",
                "--fork",
                sys.executable,
                "-m",
                "tests.network.sinkhole",
                "--report",
                report,
                "--linger",
                str(linger),
                "--",
                *command,
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            **popen,
        )
        if not os.path.exists(report):
            raise RuntimeError(f"the sinkhole did not run (exit {done.returncode}):\n{done.stderr[-3000:]}")
        with open(report) as handle:
            result = json.load(handle)
    result["output"] = done.stdout
    result["stderr"] = done.stderr
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", required=True)
    parser.add_argument("--linger", type=float, default=0.0)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    return inside(args.report, args.linger, command)


if __name__ == "__main__":
    sys.exit(main())
