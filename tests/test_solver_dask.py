"""The solver over other executors: a Dask cluster and a process pool give exactly the in-process result, and a
task carries only the space's value lists, whatever the space's size."""

import pickle
from concurrent.futures import Executor, ProcessPoolExecutor

import numpy as np
import pytest

distributed = pytest.importorskip("dask.distributed")

import dask

from gpt4leak.solver import Space, constraint, load_space, solve

#: The leak's first question (are ~55B shared attention, ~111B per expert and 120 layers compatible with MQA?).
LEAK = ("peleg2023.n_layers", "peleg2023.expert_mlp_params", "peleg2023.shared_attention_params", "n_kv_heads=1")
CHUNK = 1 << 16


@pytest.fixture(scope="module")
def space():
    """27 million candidates: the shipped space at three depths (about 9 s on one core)."""
    return load_space().restrict(n_layers=[116, 120, 124])


@pytest.fixture(scope="module")
def expected(space):
    sol = solve(LEAK, space, pruning=False, chunk=CHUNK)
    assert sol.feasible > 0 and sol.evaluated == space.size  # every candidate searched, something found
    assert space.size > 10 * CHUNK  # several chunks for each worker
    return sol.to_dict()


@pytest.fixture(scope="module")
def client():
    # Dask's nannies start workers with MALLOC_TRIM_THRESHOLD_=65536, which hands every freed chunk array back to
    # the system and halves the solver's speed on a worker; the result is the same either way.
    with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=None)
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def test_a_dask_cluster_gives_exactly_the_in_process_result(client, space, expected):
    done = []
    with distributed.get_task_stream(client) as stream:
        sol = solve(LEAK, space, pruning=False, chunk=CHUNK, executor=client.get_executor(), progress=done.append)
    assert sol.to_dict() == expected
    assert len(done) == -(-space.size // CHUNK)
    workers = {t["worker"] for t in stream.data}
    assert len(workers) == 2, "both workers evaluate chunks"


def test_another_chunk_size_on_the_cluster_gives_the_same_result(client, space, expected):
    sol = solve(LEAK, space, pruning=False, chunk=100_003, executor=client.get_executor())
    assert sol.to_dict() == expected


def test_a_process_pool_gives_exactly_the_in_process_result(space, expected):
    with ProcessPoolExecutor(2) as pool:
        assert solve(LEAK, space, pruning=False, chunk=CHUNK, executor=pool).to_dict() == expected
        assert solve(LEAK, space, pruning=False, chunk=3 * CHUNK + 1, executor=pool).to_dict() == expected


def test_pruning_on_the_cluster_finds_the_same_candidates(client, space, expected):
    sol = solve(LEAK, space, chunk=CHUNK, executor=client.get_executor()).to_dict()
    assert sol["evaluated"] < expected["evaluated"]
    for key in ("feasible", "ranges", "top", "relaxations", "nearest"):
        assert sol[key] == expected[key], key


# --------------------------------------------------------------------------- memory per worker
def _huge() -> Space:
    """A space of 1.3e10 candidates: its object holds only ~3,000 values."""
    return Space({"n_layers": np.arange(16, 177, 2), "d_model": np.arange(4096, 32769, 64),
                  "n_heads": [32, 48, 64, 80, 96, 128, 160, 192], "n_kv_heads": [0, 1, 4, 8, 16],
                  "head_dim": [0, 128], "expert_d_ff": np.arange(8192, 98305, 1024), "gated": [0, 1],
                  "n_experts": [8, 16], "experts_per_token": [1, 2], "n_shared_experts": [0, 1],
                  "vocab_size": [50257, 100256], "tied": [0, 1]}, name="huge")


def test_a_task_is_small_whatever_the_space_size():
    huge = _huge()
    assert huge.size > 1e10
    cons = tuple(constraint(c) for c in ("n_layers=120", "n_kv_heads=1", "total_params=1.7..1.9 trillion"))
    sizes = {s.size: len(pickle.dumps((s, cons, 0, 1 << 18, 10))) for s in (huge, load_space(),
                                                                             load_space(name="run"))}
    assert max(sizes.values()) < 100_000, sizes
    assert sizes[huge.size] < 10 * sizes[load_space().size]  # grows with the value lists, not the candidates


class _Recorder(Executor):
    """Records the tasks the solver hands an executor (their number and pickled sizes), then stops it."""

    class Stop(Exception):
        pass

    def __init__(self):
        self.count, self.sizes = 0, []

    def map(self, fn, *iterables, **kw):
        (tasks,) = iterables
        tasks = list(tasks)
        self.count = len(tasks)
        self.sizes = [len(pickle.dumps((fn, t))) for t in (tasks[0], tasks[len(tasks) // 2], tasks[-1])]
        self.shapes = [(t[2], t[3], t[4]) for t in (tasks[0], tasks[-1])]
        raise self.Stop


def test_the_solver_sends_each_task_only_the_space_constraints_and_a_range():
    huge = _huge()
    rec = _Recorder()
    with pytest.raises(_Recorder.Stop):
        solve(("n_layers=120", "n_kv_heads=1"), huge, pruning=False, chunk=1 << 18, top=10, executor=rec)
    assert rec.count == -(-huge.size // (1 << 18))
    assert max(rec.sizes) < 100_000, rec.sizes
    assert rec.shapes[0] == (0, 1 << 18, 10) and rec.shapes[1][1] == huge.size
