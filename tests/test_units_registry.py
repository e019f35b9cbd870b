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


DAY_PROBE = "import gpt4leak as g; print(g.Q_(1, 'day').to('hour').magnitude, g.parse_value('90 days').low.to('hour').magnitude)"


@pytest.mark.parametrize("corruption", ["one digit", "empty", "a line missing", "pint cache emptied"])
def test_a_corrupted_cache_is_detected_and_rebuilt(tmp_path, corruption):
    """Changing one digit of the cached definitions ("day = 25 * hour") changed every result silently; an empty
    file crashed every command; a missing line blamed the claims files. The cache is never trusted."""
    env = dict(os.environ, GPT4LEAK_CACHE=str(tmp_path / "c"))
    subprocess.run([sys.executable, "-c", DAY_PROBE], env=env, capture_output=True, text=True, check=True)
    (defs,) = [p for p in (tmp_path / "c").iterdir() if p.name.startswith("units-")]
    text = defs.read_text(encoding="utf-8")
    if corruption == "one digit":
        assert "day = 24 * hour" in text
        defs.write_text(text.replace("day = 24 * hour", "day = 25 * hour"), encoding="utf-8")
    elif corruption == "empty":
        defs.write_text("", encoding="utf-8")
    elif corruption == "a line missing":
        defs.write_text("\n".join(line for line in text.splitlines() if not line.startswith("day =")),
                        encoding="utf-8")
    else:
        for f in (tmp_path / "c" / "pint-cache").rglob("*"):
            if f.is_file():
                f.write_bytes(b"")
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", DAY_PROBE], env=env, capture_output=True, text=True, check=True)
        assert [float(x) for x in out.stdout.split()] == [24.0, 2160.0], out.stdout + out.stderr
