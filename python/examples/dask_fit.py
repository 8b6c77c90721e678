#!/usr/bin/env python3
"""Fit a keypoint file with Dask: one task per shard of the persons, each
calling the resihmr module on a worker, the results merged in order.

    python3 python/examples/dask_fit.py KEYPOINTS.json OUT_DIR [--shards 8] [--workers 2]

On one machine this starts a distributed.LocalCluster; on a cluster, pass
the scheduler's address with --scheduler (dask-scheduler / dask-jobqueue).
Each worker loads the body model once and keeps it (a worker-local cache),
and every task fits its persons on one thread: the parallelism is Dask's.
The per-person files are those of `resihmr fit` (Result.save), so the
merged folder is the same as one `resihmr fit --keypoints KEYPOINTS.json`.
"""
import argparse
import functools
import os
import sys


@functools.lru_cache(maxsize=None)
def _model(path):
    import resihmr
    return resihmr.BodyModel.load(path) if path else resihmr.BodyModel.embedded()


def fit_shard(keypoints, shard, shards, out=None, model_path="", method="resihmr"):
    """Fits persons shard, shard + shards, ... of `keypoints`; returns
    [(index, result JSON text)], and writes their files into `out` when given."""
    import resihmr
    persons = resihmr.read_keypoints(keypoints)
    mine = list(range(shard, len(persons), shards))
    results = resihmr.fit(_model(model_path), [persons[i] for i in mine], method=method, threads=1)
    if out:
        for r in results:
            r.save(out)
    return [(i, r.to_json()) for i, r in zip(mine, results)]


def fit_with_dask(client, keypoints, shards, out=None, model_path="", method="resihmr"):
    """One task per shard on `client` (a distributed.Client); the result JSON texts in the persons' order."""
    futures = [client.submit(fit_shard, keypoints, i, shards, out, model_path, method, pure=False) for i in range(shards)]
    merged = sorted(item for shard in client.gather(futures) for item in shard)
    return [text for _, text in merged]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("keypoints")
    parser.add_argument("out")
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scheduler", default="", help="address of a running Dask scheduler (default: a LocalCluster)")
    parser.add_argument("--model", default="", help="body model .npz (default: the embedded model)")
    parser.add_argument("--method", default="resihmr")
    a = parser.parse_args()
    from distributed import Client, LocalCluster
    os.makedirs(a.out, exist_ok=True)
    if a.scheduler:
        client = Client(a.scheduler)
    else:
        client = Client(LocalCluster(n_workers=a.workers, threads_per_worker=1, dashboard_address=None))
    with client:
        texts = fit_with_dask(client, os.path.abspath(a.keypoints), a.shards, os.path.abspath(a.out), a.model, a.method)
    print(f"{len(texts)} persons fitted in {a.shards} shards; results in {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
