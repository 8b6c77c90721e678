"""The Dask example: a distributed.LocalCluster with 2 worker processes, one
task per shard calling the bindings; the merged results are those of one
process."""
import os
import sys

import distributed

import resihmr
from conftest import ROOT, without_times

sys.path.insert(0, os.path.join(ROOT, "python", "examples"))
import dask_fit  # noqa: E402


def test_dask_shards_merge_to_the_single_process_fit(tmp_path, model, synth_dir):
    keypoints = os.path.join(synth_dir, "keypoints.json")
    single = [r.to_json() for r in resihmr.fit(model, resihmr.read_keypoints(keypoints), threads=1)]
    out = str(tmp_path / "dask")
    os.makedirs(out)
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with cluster, distributed.Client(cluster) as client:
        merged = dask_fit.fit_with_dask(client, keypoints, shards=3, out=out)
        workers = client.run(os.getpid)
    assert len(workers) == 2 and os.getpid() not in workers.values()
    assert [without_times(t) for t in merged] == [without_times(t) for t in single]
    assert len([f for f in os.listdir(out) if f.endswith(".json")]) == len(single)
