#!/usr/bin/env python3
"""docs/python.md's worked example: read LDPose keypoints, fit, print each
residual limb's length and stump volume, save the mesh, and pose the saved
parameters again with a NumPy forward pass.

    python3 python/examples/worked_example.py KEYPOINTS.json OUT_DIR
"""
import os
import sys

import numpy as np

import resihmr


def rodrigues(aa):
    """Axis-angle (3,) to a rotation matrix."""
    theta = np.linalg.norm(aa)
    if theta < 1e-12:
        return np.eye(3)
    k = aa / theta
    K = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + np.sin(theta) * K + (1 - np.cos(theta)) * K @ K


def forward_pass(m, betas, pose, transl):
    """SMPL's forward pass in NumPy on the arrays of a model .npz: m from np.load,
    betas (B,), pose (J, 3) axis-angle, transl (3,); returns vertices (V, 3)."""
    v_shaped = m["v_template"] + m["shapedirs"][:, :, :len(betas)] @ betas
    joints = m["J_regressor"] @ v_shaped
    R = np.stack([rodrigues(r) for r in pose])
    v_posed = v_shaped + m["posedirs"] @ (R[1:] - np.eye(3)).reshape(-1)
    parents = m["kintree_table"][0].astype(np.int64)
    G = np.zeros((len(pose), 4, 4))
    for j in range(len(pose)):
        local = np.eye(4)
        local[:3, :3] = R[j]
        local[:3, 3] = joints[j] - (joints[parents[j]] if j else 0)
        G[j] = G[parents[j]] @ local if j else local
    G[:, :3, 3] -= np.einsum("jab,jb->ja", G[:, :3, :3], joints)
    T = np.einsum("vj,jab->vab", m["weights"], G)
    return np.einsum("vab,vb->va", T[:, :3, :3], v_posed) + T[:, :3, 3] + transl


def main(keypoints, out):
    os.makedirs(out, exist_ok=True)
    model = resihmr.BodyModel.embedded()
    persons = resihmr.read_keypoints(keypoints)
    results = resihmr.fit(model, persons, method="resihmr", threads=2)
    for r in results:
        print(f"{r.person.image} #{r.person.annotation_id}: {r.status}, mean 2D error {r.mean_error_px:.1f} px")
        for limb in r.residual_limbs:
            sigma = limb["length_sigma_mm"]  # None where RAFO gave no uncertainty
            volume = limb["measurements"]["volume_ml"] if limb.get("measurements") else None
            print(f"  {limb['limb']} {limb['level']}: length {limb['length_mm']:.0f} mm"
                  + (f" +- {sigma:.0f} mm" if sigma is not None else "")
                  + (f", stump volume {volume:.0f} mL" if volume is not None else ", no stump volume"))
    first = next(r for r in results if r.ok)
    first.mesh.save(os.path.join(out, "person.ply"))  # or .obj, .glb
    first.save(out)  # the files `resihmr fit` writes: .json, .npz, .ply

    # The saved parameters, posed again with NumPy alone.
    model.save(os.path.join(out, "model.npz"))
    m = dict(np.load(os.path.join(out, "model.npz")))
    stem = f"{os.path.splitext(first.person.image)[0]}_{first.person.annotation_id}"
    p = np.load(os.path.join(out, stem + ".npz"))
    pose = np.concatenate([p["global_orient"], p["body_pose"]]).reshape(-1, 3)
    vertices = forward_pass(m, p["betas"], pose, p["transl"])
    again, _ = model.pose(betas=p["betas"], pose=pose, transl=p["transl"])
    print(f"NumPy forward pass against resihmr: largest difference {np.abs(vertices - again).max():.1e} m")
    return vertices, again


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
