"""IPv6 spellings that carry a loopback or private IPv4 address are refused by the
fetcher's address check. The check is called directly: nothing here connects to or
resolves anything."""

from __future__ import annotations

import ipaddress

import pytest

from storydesk.sources.fetch import address_problem, embedded_ipv4


@pytest.mark.parametrize(("address", "expected"), [
    ("::127.0.0.1", "loopback"),                # IPv4-compatible
    ("::7f00:1", "loopback"),
    ("::ffff:127.0.0.1", "loopback"),           # IPv4-mapped
    ("::ffff:0:7f00:1", "loopback"),            # IPv4-translated (SIIT)
    ("64:ff9b::7f00:1", "loopback"),            # NAT64 well-known prefix
    ("64:ff9b::127.0.0.1", "loopback"),
    ("64:ff9b::a00:1", "private"),              # NAT64 of 10.0.0.1
    ("64:ff9b::169.254.169.254", "metadata"),
    ("64:ff9b:1::7f00:1", "NAT64"),             # local-use NAT64, refused whole
    ("2002:7f00:1::", "loopback"),              # 6to4 of 127.0.0.1
    ("2002:c0a8:101::1", "private"),            # 6to4 of 192.168.1.1
    ("2002:a9fe:a9fe::", "metadata"),           # 6to4 of 169.254.169.254
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"),  # Teredo, client 127.0.0.1
    ("2001:0:7f00:1::", "loopback"),            # Teredo, server 127.0.0.1
    ("::ffff:10.1.2.3", "private"),
    ("::1", "loopback"),
])
def test_embedded_non_public_ipv4_is_refused(address: str, expected: str) -> None:
    problem = address_problem(ipaddress.ip_address(address))
    assert problem is not None and expected in problem, (address, problem)


@pytest.mark.parametrize("address", [
    "64:ff9b::8.8.8.8", "2002:808:808::1", "::ffff:8.8.8.8", "2606:4700:4700::1111",
])
def test_public_ones_pass(address: str) -> None:
    assert address_problem(ipaddress.ip_address(address)) is None


def test_embedded_addresses_are_found() -> None:
    def found(a: str) -> list[str]:
        return [str(x) for x in embedded_ipv4(ipaddress.IPv6Address(a))]

    assert found("::127.0.0.1") == ["127.0.0.1"]
    assert found("64:ff9b::c000:201") == ["192.0.2.1"]
    assert found("2002:7f00:1::") == ["127.0.0.1"]
    assert "127.0.0.1" in found("2001:0:4136:e378:8000:63bf:80ff:fffe")
    assert found("::") == [] and found("::1") == [] and found("2606:4700::1") == []
