"""Executed-model truth: real transformers models, built tiny and run on CPU.

Needs the ``[validate]`` extra (torch, transformers); without it the whole folder is skipped
with a one-line reason. Every item here is marked ``executed``; torch runs on one thread so the
numbers and the timings do not depend on the machine's cores.
"""

import importlib.util

import pytest

_MISSING = [m for m in ("torch", "transformers") if importlib.util.find_spec(m) is None]
if _MISSING:
    pytest.skip(f"executed-model tests need the [validate] extra ({', '.join(_MISSING)} not installed)",
                allow_module_level=True)

import torch  # noqa: E402
import transformers  # noqa: E402

if int(transformers.__version__.split(".")[0]) < 5:
    pytest.skip(f"executed-model tests are written against transformers 5.x (experts implementations, cache "
                f"layers); found {transformers.__version__}", allow_module_level=True)

torch.set_num_threads(1)
transformers.logging.set_verbosity_error()


def pytest_collection_modifyitems(config, items):
    here = str(config.rootpath / "tests" / "executed")
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.executed)
