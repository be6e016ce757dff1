"""The ports tests give the servers they start: outside the ephemeral range, one block per test process."""
from __future__ import annotations

import socket

import pytest

from tests import conftest
from tests.conftest import free_port, free_ports, port_block


def test_each_test_process_chooses_from_its_own_block_below_the_ephemeral_range():
    blocks = [port_block(f"gw{n}", ephemeral_low=32_768) for n in range(conftest.PORT_BLOCKS)]
    assert port_block(None, ephemeral_low=32_768) == blocks[0]  # one process alone: the first block
    for one, other in zip(blocks, blocks[1:]):
        assert one.stop <= other.start  # no port in two blocks
    assert blocks[0].start >= 1024 and blocks[-1].stop <= 32_768
    assert all(len(block) >= 100 for block in blocks)


def test_without_room_below_the_ephemeral_range_the_kernel_chooses():
    assert port_block("gw0", ephemeral_low=conftest.PORTS_FROM + 50) is None


def test_ports_come_from_this_process_block_and_are_different(monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    block = port_block("gw1")
    ports = free_ports(5) + free_ports(5)
    assert len(set(ports)) == 10  # the next call goes on past the last call's ports
    if block is not None:  # this machine's ephemeral range leaves room below it
        assert all(port in block for port in ports)


def test_a_port_something_listens_on_is_passed_over(monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw2")
    if port_block("gw2") is None:
        pytest.skip("the ephemeral range leaves no room below it here: the kernel chooses the ports")
    first = free_port()
    taken = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        try:
            taken.bind(("127.0.0.1", first + 1))  # the port the walk would give next
            taken.listen()
        except OSError:
            pass  # something else has it already: passed over all the same
        chosen = free_port()
        assert chosen not in (first, first + 1)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
            server.bind(("127.0.0.1", chosen))  # really free
    finally:
        taken.close()
