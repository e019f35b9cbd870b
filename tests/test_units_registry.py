"""The unit registry: bytes have a dimension of their own, built through a cache or without one."""

import os
import subprocess
import sys

import pytest

from gpt4leak.units import Q_, UnitError, check_dimension

PROBE = "import gpt4leak as g; print(g.Q_(40, 'GB').dimensionality, g.Q_(40, 'GB').to('GiB').magnitude)"


def test_a_byte_is_not_a_number():
    with pytest.raises(UnitError, match="GB"):
        check_dimension(Q_(40, "GB"), "dimensionless", "capacity")
    assert Q_(1, "GiB").to("byte").magnitude == 2**30


@pytest.mark.parametrize("cache", ["tmp", "unwritable"])
def test_registry_builds_with_a_cache_and_without_one(tmp_path, cache):
    env = dict(os.environ)
    env["GPT4LEAK_CACHE"] = str(tmp_path / "c") if cache == "tmp" else "/proc/no-such-place/gpt4leak"
    for _ in range(2):  # the second run reads the cache
        out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
        dim, gib = out.stdout.split()
        assert dim == "[information]" and float(gib) == pytest.approx(40e9 / 2**30)
    if cache == "tmp":
        assert any(p.name.startswith("units-") for p in (tmp_path / "c").iterdir())
