#!/usr/bin/env python3
"""Every hostile input of issue 15, through the command line: each must give
either a clear error (exit 1, a message naming the file and the field or
element) with nothing left in --out, or a documented correct result. Never a
signal, a hang or an exit 0 with wrong output.
Usage: hostile_input_test.py path/to/resihmr   (run from the project root)
"""
import glob
import io
import json
import os
import resource
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_run import run  # noqa: E402

FAILURES = []


def check(name, ok, detail=""):
    print(f"{name:58s} {'ok' if ok else 'FAIL ' + detail}")
    if not ok:
        FAILURES.append(name)


def resihmr(exe, args, limit_mb=None, timeout=120):
    """Runs resihmr; a signal, a time-out or a memory blow-up is a failure by itself."""
    def limit():
        if limit_mb:
            resource.setrlimit(resource.RLIMIT_AS, (limit_mb << 20, limit_mb << 20))
    try:
        r = subprocess.run([exe, *args], capture_output=True, text=True, timeout=timeout, preexec_fn=limit)
    except subprocess.TimeoutExpired:
        return None
    return r


def expect_error(name, exe, args, fragments, outputs=(), limit_mb=None):
    r = resihmr(exe, args, limit_mb)
    if r is None:
        check(name, False, "hung (time-out)")
        return
    problems = []
    if r.returncode != 1:
        problems.append(f"exit {r.returncode}, expected 1")
    for f in fragments:
        if f not in r.stderr:
            problems.append(f"message lacks '{f}'")
    for o in outputs:
        if glob.glob(o + "*"):
            problems.append(f"left {os.path.basename(o)} behind")
    check(name, not problems, "; ".join(problems) + "\n" + r.stderr[-600:])


def main():
    exe = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        def path(name):
            return os.path.join(tmp, name)

        def write(name, data):
            with open(path(name), "wb") as f:
                f.write(data if isinstance(data, bytes) else data.encode())
            return path(name)

        # -- meshes (measure)
        head = ("ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\n"
                "element face 1\nproperty list uchar int vertex_indices\nend_header\n")
        out = path("m.json")
        meshes = [
            ("PLY: property before element", "a.ply", "ply\nformat ascii 1.0\nproperty float x\nelement vertex 3\nend_header\n",
             ["a.ply", "property before any element"]),
            ("PLY: no end_header", "b.ply", "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\n" * 50,
             ["b.ply", "end_header"]),
            ("PLY: nan coordinate", "c.ply", head + "0 0 0\nnan 1 0\n0 1 1\n3 0 1 2\n", ["c.ply", "vertex 1", "non-finite"]),
            ("PLY: 1e308 coordinate", "d.ply", head + "0 0 0\n1e308 1 0\n0 1 1\n3 0 1 2\n", ["d.ply", "vertex 1", "range"]),
            ("PLY: face index out of range", "e.ply", head + "0 0 0\n1 1 0\n0 1 1\n3 0 1 7\n", ["e.ply", "face 0", "index 7"]),
            ("PLY: 2e9 declared vertices", "f.ply", "ply\nformat binary_little_endian 1.0\nelement vertex 2000000000\n"
             "property float x\nproperty float y\nproperty float z\nend_header\n", ["f.ply", "2000000000"]),
            ("STL ASCII: nan vertex", "g.stl", "solid s\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex nan 0 0\n"
             "vertex 0 1 0\nendloop\nendfacet\nendsolid\n", ["g.stl", "line 5", "non-finite"]),
            ("STL ASCII: junk token", "h.stl", "solid s\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 junk 0\n"
             "vertex 0 1 0\nendloop\nendfacet\nendsolid\n", ["h.stl", "line 5", "junk"]),
            ("STL binary: 2^31 declared triangles", "i.stl", b"x" * 80 + struct.pack("<I", 2 ** 31) + b"\0" * 100,
             ["i.stl", "declares 2147483648 facets"]),
            ("STL binary: 1e30 vertex (mm)", "j.stl", b"x" * 80 + struct.pack("<I", 1) +
             struct.pack("<12fH", 0, 0, 1, 0, 0, 0, 1e30, 0, 0, 0, 1, 0, 0), ["j.stl", "facet 0", "range"]),
            ("OBJ: face index out of range", "k.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 9\n", ["k.obj", "line 4", "9"]),
            ("OBJ: nan vertex", "l.obj", "v 0 0 0\nv nan 0 0\nv 0 1 0\nf 1 2 3\n", ["l.obj", "line 2", "non-finite"]),
        ]
        for name, file, content, fragments in meshes:
            expect_error(name, exe, ["measure", "--mesh", write(file, content), "--units", "mm", "--out", out],
                         fragments, [out])
        expect_error("STL in metres: a 20 m coordinate", exe,
                     ["measure", "--mesh", write("m.stl", b"x" * 80 + struct.pack("<I", 1) +
                                                 struct.pack("<12fH", 0, 0, 1, 0, 0, 0, 20, 0, 0, 0, 1, 0, 0)),
                      "--units", "m", "--out", out], ["m.stl", "range"], [out])

        # -- models and parameters (pose)
        good = path("good.npz")
        run(exe, "make-model", "--out", good)
        model = dict(np.load(good))
        params = write("p.json", "{}")
        mesh_out = path("out.ply")
        for key in ("v_template", "shapedirs", "posedirs", "J_regressor", "weights"):
            m = dict(model)
            m[key] = m[key].copy()
            m[key].flat[7] = 1e308
            np.savez(path(f"huge_{key}.npz"), **m)
            expect_error(f"model: 1e308 in {key}", exe, ["pose", "--model", path(f"huge_{key}.npz"), "--params", params,
                                                         "--out", mesh_out], [f"huge_{key}.npz", key], [mesh_out])
        m = dict(model)
        m["weights"] = m["weights"] * 0.5
        np.savez(path("half_weights.npz"), **m)
        expect_error("model: skinning weights summing to 0.5", exe, ["pose", "--model", path("half_weights.npz"),
                                                                     "--params", params, "--out", mesh_out],
                     ["half_weights.npz", "weights", "sums to"], [mesh_out])
        for key, value in (("pose", [[1e308, 0, 0]] + [[0, 0, 0]] * 23), ("betas", [1e308]), ("transl", [0, 0, 1e308])):
            expect_error(f"params: 1e308 in {key}", exe,
                         ["pose", "--params", write(f"huge_{key}.json", json.dumps({key: value})), "--out", mesh_out],
                         [f"huge_{key}.json", key, "range"], [mesh_out])
        expect_error("params: zeroed_joints 4294967301", exe,
                     ["pose", "--params", write("z.json", '{"zeroed_joints": [4294967301]}'), "--out", mesh_out],
                     ["z.json", "zeroed_joints[0]", "4294967301"], [mesh_out])
        m = dict(model)
        m["f"] = np.random.default_rng(0).integers(0, m["v_template"].shape[0], size=(2000, 3))
        np.savez(path("random_faces.npz"), **m)
        r = resihmr(exe, ["pose", "--model", path("random_faces.npz"), "--params", params, "--out", mesh_out])
        check("model with non-manifold faces: posed and written", r is not None and r.returncode == 0 and
              os.path.getsize(mesh_out) > 0, "" if r is None else r.stderr)
        os.remove(mesh_out)

        # -- npz container
        raw = bytearray(open(good, "rb").read())
        corrupt = bytearray(io.BytesIO(raw).getvalue())
        with zipfile.ZipFile(io.BytesIO(bytes(raw))) as z:
            info = z.getinfo("v_template.npy")
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
        corrupt[start + info.compress_size // 2] ^= 0x01  # inside the deflate stream of v_template
        write("corrupt.npz", bytes(corrupt))
        expect_error("npz: a corrupted member", exe, ["pose", "--model", path("corrupt.npz"), "--params", params,
                                                      "--out", mesh_out], ["corrupt.npz", "v_template"], [mesh_out])
        b = io.BytesIO()
        with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("v_template.npy", b"\x93NUMPY\x01\x00v\x00{'descr': '<f8', 'fortran_order': False, 'shape': "
                       b"(487500000,), }" + b" " * 44 + b"\n")
        declared = bytearray(b.getvalue())
        struct.pack_into("<I", declared, declared.find(b"PK\x03\x04") + 22, 3_900_000_128)
        struct.pack_into("<I", declared, declared.find(b"PK\x01\x02") + 24, 3_900_000_128)
        write("declares.npz", bytes(declared))
        expect_error("npz: a 200-byte member declaring 3.9 GB (1 GB memory limit)", exe,
                     ["pose", "--model", path("declares.npz"), "--params", params, "--out", mesh_out],
                     ["declares.npz", "v_template", "512 MiB"], [mesh_out], limit_mb=1024)
        # A deflate bomb: 1.2 GB of zeros in about 1.2 MB, under a truthful header.
        n = 150_000_000
        header = b"{'descr': '<f8', 'fortran_order': False, 'shape': (%d,), }" % n
        header += b" " * (64 - (10 + len(header) + 1) % 64) + b"\n"
        npy_head = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header
        comp = zlib.compressobj(9, zlib.DEFLATED, -15)
        chunk = bytes(1 << 24)
        body, crc = comp.compress(npy_head), zlib.crc32(npy_head)
        for _ in range(8 * n // len(chunk)):
            body += comp.compress(chunk)
            crc = zlib.crc32(chunk, crc)
        rest = bytes(8 * n % len(chunk))
        body += comp.compress(rest) + comp.flush()
        crc = zlib.crc32(rest, crc)
        size = len(npy_head) + 8 * n
        name = b"v_template.npy"
        local = struct.pack("<IHHHHHIII HH".replace(" ", ""), 0x04034b50, 20, 0, 8, 0, 0, crc, len(body), size,
                            len(name), 0) + name
        central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0, 8, 0, 0, crc, len(body), size, len(name),
                              0, 0, 0, 0, 0, 0) + name
        end = struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 1, 1, len(central), len(local) + len(body), 0)
        write("bomb.npz", local + body + central + end)
        expect_error("npz: a 1.2 MB deflate bomb (1 GB memory limit)", exe,
                     ["pose", "--model", path("bomb.npz"), "--params", params, "--out", mesh_out],
                     ["bomb.npz", "v_template", "512 MiB"], [mesh_out], limit_mb=1024)

        # -- keypoints, config, threads, fit quality, leftovers
        synth = path("synth")
        run(exe, "synth", "--n", "2", "--seed", "3", "--out", synth)
        kp = os.path.join(synth, "keypoints.json")
        coco = json.load(open(kp))
        coco["annotations"][0]["segmentation"] = [[10, 10, 3e9, 10, 400, 300]]
        write("poly.json", json.dumps(coco))
        for command in ("inspect", "fit"):
            r = resihmr(exe, [command, "--keypoints", path("poly.json"), "--out", path(f"poly_{command}")])
            said = "" if r is None else r.stderr + r.stdout
            if command == "fit" and r is not None and r.returncode == 0:  # fit keeps person warnings in the JSON
                said = json.dumps(json.load(open(os.path.join(path("poly_fit"), "synth_000000_0.json")))["warnings"])
            check(f"{command}: polygon coordinate 3e9 -> warning, no mask, exit 0", r is not None and r.returncode == 0 and
                  "segmentation" in said and "no mask" in said,
                  "" if r is None else f"exit {r.returncode}\n{said[-400:]}")
        for command, extra in (("fit", ["--keypoints", kp]), ("eval", ["--dataset", synth]), ("synth", ["--n", "2"])):
            target = path(f"threads_{command}") + ("" if command != "eval" else ".json")
            expect_error(f"{command} --threads 1000000", exe, [command, *extra, "--out", target, "--threads", "1000000"],
                         ["--threads", "1..256"], [target])
        for name, args, fragment in (("synth --image-size 99999999999x5", ["synth", "--n", "2", "--image-size", "99999999999x5"], "--image-size"),
                                     ("eval --shard 1/99999999999", ["eval", "--dataset", synth, "--shard", "1/99999999999"], "--shard"),
                                     ("fit --focal 1e300", ["fit", "--keypoints", kp, "--focal", "1e300"], "--focal")):
            target = path("flag_out")
            expect_error(name, exe, [*args, "--out", target], [fragment], [target])
        for name, config, fragment in (("max_iterations 1e12", {"stages": [{"max_iterations": 1e12}]}, "max_iterations"),
                                       ("camera_max_iterations 1e10", {"camera_max_iterations": 1e10}, "camera_max_iterations"),
                                       ("max_iterations 2.5", {"stages": [{"max_iterations": 2.5}]}, "not an integer")):
            target = path("fit_config")
            expect_error(f"--config {name}", exe, ["fit", "--keypoints", kp, "--out", target, "--config",
                                                   write("c.json", json.dumps(config))], ["c.json", fragment], [target])
        one = {"images": [{"id": 1, "file_name": "a.png", "width": 640, "height": 480}],
               "annotations": [{"id": 1, "image_id": 1, "keypoints": [320, 240, 2] * 17, "num_keypoints": 17}]}
        target = path("fit_one_pixel")
        r = resihmr(exe, ["fit", "--keypoints", write("one.json", json.dumps(one)), "--out", target])
        result = json.load(open(os.path.join(target, "a_1.json"))) if r is not None and r.returncode == 0 else {}
        check("fit: 17 keypoints on one pixel -> suspect, not ok", result.get("status") == "suspect" and
              any("m from the camera" in s for s in result.get("suspect_reasons", [])), str(result.get("status")))
        for name, annotations in (("no person", []),
                                  ("every keypoint absent", [{"id": 1, "image_id": 1, "keypoints": [0] * 51}])):
            target = path("fit_empty")
            one["annotations"] = annotations
            expect_error(f"fit: {name} -> exit 1, --out not created", exe,
                         ["fit", "--keypoints", write("e.json", json.dumps(one)), "--out", target], [], [target])
        # A second fit into the same --out: its files replaced, a user's own file kept, no staging folder left.
        target = path("fit_again")
        for _ in range(2):
            r = resihmr(exe, ["fit", "--keypoints", kp, "--out", target])
            open(os.path.join(target, "user_file.txt"), "w").write("mine")
        names = sorted(os.listdir(target))
        check("fit into an existing --out: replaced, others kept, nothing left beside",
              r is not None and r.returncode == 0 and "user_file.txt" in names and len(names) == 2 * 3 + 2 and
              not glob.glob(target + ".partial*"), str(names))
    if FAILURES:
        print(f"{len(FAILURES)} case(s) failed")
        sys.exit(1)
    print("every hostile input handled")


if __name__ == "__main__":
    main()
