#!/usr/bin/env python3
"""`resihmr pose` against an independent NumPy forward pass (METHOD.md section 1).

Writes random but valid SMPL (24 joints), SMPL+H (52) and SMPL-X (55, with
expression columns and hand PCA) model files, plus the embedded model made
by `resihmr make-model`, poses each with random parameters through the
command line and compares every vertex and joint with the reference below,
written straight from the published order. Passes when all agree to 1e-6 m.
Usage: pose_reference_test.py path/to/resihmr
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

SMPL_PARENTS = [-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 20, 21]


def rodrigues(aa):
    theta = np.linalg.norm(aa)
    if theta < 1e-12:
        return np.eye(3)
    k = aa / theta
    K = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + np.sin(theta) * K + (1 - np.cos(theta)) * K @ K


def parents_for(J):
    parents = SMPL_PARENTS[:22]
    if J == 24:
        return SMPL_PARENTS
    first_hand = 25 if J == 55 else 22
    parents = list(parents) + ([15, 15, 15] if J == 55 else [])
    for side, wrist in ((0, 20), (1, 21)):
        for k in range(15):
            j = first_hand + 15 * side + k
            parents.append(wrist if k % 3 == 0 else j - 1)
    return parents


def random_model(rng, V, J, betas, expression=0, hands=False):
    m = {
        "v_template": rng.normal(size=(V, 3)) * [0.4, 0.8, 0.2],
        "shapedirs": rng.normal(size=(V, 3, betas + expression)) * 0.01,
        "posedirs": (rng.normal(size=(V, 3, 9 * (J - 1))) * 0.005).astype(np.float32),
        "f": np.stack([np.zeros(V - 2), np.arange(1, V - 1), np.arange(2, V)], 1).astype(np.uint32),
    }
    reg = np.zeros((J, V))
    for j in range(J):
        reg[j, rng.integers(0, V, 6)] += 1 / 6
    m["J_regressor"] = reg
    w = np.zeros((V, J))
    for v in range(V):
        w[v, rng.integers(0, J, 4)] += rng.uniform(0.1, 1.1, 4)
    m["weights"] = w / w.sum(1, keepdims=True)
    kt = np.zeros((2, J), dtype=np.uint32)
    kt[0] = [4294967295] + parents_for(J)[1:]
    kt[1] = np.arange(J)
    m["kintree_table"] = kt
    if hands:
        for s in "lr":
            m["hands_components" + s] = rng.normal(size=(45, 45)) * 0.2
            m["hands_mean" + s] = rng.normal(size=45) * 0.1
    return m


def reference(m, params, kind):
    v_template = m["v_template"].astype(np.float64)
    V = v_template.shape[0]
    J = m["kintree_table"].shape[1]
    parents = [-1] + [int(p) for p in m["kintree_table"][0, 1:]]
    shapedirs = m["shapedirs"].astype(np.float64)
    beta = np.zeros(shapedirs.shape[2])
    b = np.array(params.get("betas", []), dtype=np.float64)
    n_betas = shapedirs.shape[2]
    if kind == "smplx":
        n_betas = {400: 300, 20: 10}[shapedirs.shape[2]]
    beta[: len(b)] = b
    e = np.array(params.get("expression", []), dtype=np.float64)
    beta[n_betas : n_betas + len(e)] = e
    pose = np.array(params.get("pose", np.zeros((J, 3))), dtype=np.float64).reshape(J, 3).copy()
    first_hand = {"smplh": 22, "smplx": 25}.get(kind)
    for side, key in (("l", "left_hand_pose"), ("r", "right_hand_pose")):
        if key in params:
            c = np.array(params[key])
            hand = m["hands_mean" + side] + c @ m["hands_components" + side][: len(c)]
            start = first_hand + (0 if side == "l" else 15)
            pose[start : start + 15] += hand.reshape(15, 3)
    zeroed = set(params.get("zeroed_joints", []))
    transl = np.array(params.get("transl", [0, 0, 0]), dtype=np.float64)

    v_shaped = v_template + shapedirs @ beta                                 # 1
    joints = m["J_regressor"].astype(np.float64) @ v_shaped                  # 2
    R = np.stack([np.zeros((3, 3)) if j in zeroed else rodrigues(pose[j]) for j in range(J)])
    feature = (R[1:] - np.eye(3)).reshape(-1)                                 # 3
    v_posed = v_shaped + m["posedirs"].astype(np.float64) @ feature
    G = np.zeros((J, 4, 4))                                                   # 4
    for j in range(J):
        local = np.eye(4)
        local[:3, :3] = R[j]
        local[:3, 3] = joints[j] - (joints[parents[j]] if parents[j] >= 0 else 0)
        G[j] = local if parents[j] < 0 else G[parents[j]] @ local
    A = G.copy()
    A[:, :3, 3] -= np.einsum("jab,jb->ja", G[:, :3, :3], joints)
    T = np.einsum("vj,jab->vab", m["weights"].astype(np.float64), A)          # 5
    verts = np.einsum("vab,vb->va", T[:, :3, :3], v_posed) + T[:, :3, 3] + transl
    return verts, G[:, :3, 3] + transl


def read_obj_vertices(path):
    rows = [line.split()[1:4] for line in open(path) if line.startswith("v ")]
    return np.array(rows, dtype=np.float64)


def random_params(rng, J, n_betas, n_expr=0, hands=False, zeroed=None):
    p = {
        "betas": rng.normal(size=n_betas).tolist(),
        "pose": (rng.normal(size=(J, 3)) * 0.6).tolist(),
        "transl": [float(rng.normal()), float(rng.normal()), float(3 + rng.normal())],
    }
    if n_expr:
        p["expression"] = rng.normal(size=n_expr).tolist()
    if hands:
        p["left_hand_pose"] = rng.normal(size=6).tolist()
        p["right_hand_pose"] = rng.normal(size=12).tolist()
    if zeroed:
        p["zeroed_joints"] = zeroed
    return p


def main():
    exe = os.path.abspath(sys.argv[1])
    rng = np.random.default_rng(7)
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        cases = []
        smpl = random_model(rng, 500, 24, 10)
        np.savez(os.path.join(tmp, "smpl.npz"), **smpl)
        cases.append(("smpl.npz", smpl, "smpl", 24, 10, 0, False))
        smplh = random_model(rng, 300, 52, 16, hands=True)
        np.savez(os.path.join(tmp, "smplh.npz"), **smplh)
        cases.append(("smplh.npz", smplh, "smplh", 52, 16, 0, True))
        smplx = random_model(rng, 300, 55, 10, expression=10, hands=True)
        np.savez(os.path.join(tmp, "smplx.npz"), **smplx)
        cases.append(("smplx.npz", smplx, "smplx", 55, 10, 10, True))
        subprocess.run([exe, "make-model", "--out", os.path.join(tmp, "embedded.npz")], check=True, stdout=subprocess.DEVNULL)
        embedded = dict(np.load(os.path.join(tmp, "embedded.npz")))
        cases.append(("embedded.npz", embedded, "smpl", 24, 10, 0, False))
        for name, model, kind, J, n_betas, n_expr, hands in cases:
            for trial in range(4):
                zeroed = [18, 20, 22] if (trial == 2 and J == 24) else None
                params = random_params(rng, J, n_betas, n_expr, hands, zeroed)
                pfile = os.path.join(tmp, "params.json")
                json.dump(params, open(pfile, "w"))
                out = os.path.join(tmp, "mesh.obj")
                jout = os.path.join(tmp, "joints.json")
                subprocess.run([exe, "pose", "--model", os.path.join(tmp, name), "--params", pfile, "--out", out,
                                "--joints-out", jout], check=True, stdout=subprocess.DEVNULL)
                verts_ref, joints_ref = reference(model, params, kind)
                verts = read_obj_vertices(out)
                joints = np.array([j["position"] for j in json.load(open(jout))["joints"]])
                err = max(np.abs(verts - verts_ref).max(), np.abs(joints - joints_ref).max())
                worst = max(worst, err)
                print(f"{name} trial {trial}: max |resihmr - reference| = {err:.2e} m")
                if verts.shape != verts_ref.shape or err > 1e-6:
                    print("FAILED: differs from the published forward pass by more than 1e-6 m")
                    return 1
    print(f"all cases agree with the reference forward pass; worst difference {worst:.2e} m")
    return 0


if __name__ == "__main__":
    sys.exit(main())
