#!/usr/bin/env python3
"""Writes the seed corpora (corpus/<target>/) and the regression inputs
(regressions/<target>/: every input that once crashed, hung or passed
silently, from issue 15) of the fuzz targets. Run once from tests/fuzz when
the formats change; the files are committed. Needs NumPy."""
import io
import base64
import json
import os
import struct
import zipfile

import numpy as np


def w(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "wb").write(data if isinstance(data, bytes) else data.encode())


def npz(**arrays):
    b = io.BytesIO()
    np.savez(b, **arrays)
    return b.getvalue()


COCO17 = ["nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder", "left_elbow",
          "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle",
          "right_ankle"]


def coco():
    kp = []
    for k in range(17):
        kp += [10 + k, 20 + k, 2]
    img = {"id": 1, "file_name": "a.png", "width": 64, "height": 48}
    poly = {"images": [img], "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "keypoints": kp, "num_keypoints": 17,
            "bbox": [5, 5, 40, 30], "area": 900, "segmentation": [[5, 5, 45, 5, 45, 35, 5, 35], [10, 10, 20, 10, 15, 20]]}],
            "categories": [{"id": 1, "name": "person", "keypoints": COCO17}]}
    w("corpus/coco_json/coco17_polygons.json", json.dumps(poly))
    compressed = json.loads(json.dumps(poly))
    compressed["annotations"][0]["segmentation"] = {"size": [48, 64], "counts": "P8a0o0:00N2O1O0000001O1N2"}
    w("corpus/coco_json/coco17_compressed_rle.json", json.dumps(compressed))
    crash = json.loads(json.dumps(poly))
    crash["annotations"][0]["segmentation"] = [[5, 5, 3e9, 5, 45, 35]]
    w("regressions/coco_json/polygon_coordinate_3e9.json", json.dumps(crash))
    wrap = json.loads(json.dumps(poly))
    wrap["images"][0]["width"] = 4294967936
    w("regressions/coco_json/image_width_wraps_int.json", json.dumps(wrap))
    video = {"images": [dict(img, id=i, frame_id=i) for i in (1, 2)],
             "annotations": [{"id": i, "image_id": i, "track_id": 0, "category_id": 1, "keypoints": kp,
                              "num_keypoints": 17} for i in (1, 2)],
             "categories": [{"id": 1, "name": "person", "keypoints": COCO17}]}
    w("corpus/coco_json/video_frames.json", json.dumps(video))


def makehuman():
    w("corpus/makehuman_obj/seed_two_groups.obj", "# a 5-vertex seed written by make_corpus.py\nv 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nv 0 0 1\n"
      "vt 0 0\ng body\ns off\nf 1/1 2/1 3/1 4/1\nf 1 2 5\ng joint-a\nf 2 3 5\n")
    w("corpus/makehuman_rig/seed_two_bones", b"\x00" + json.dumps({"bones": {
        "A": {"parent": "", "head": {"strategy": "MEAN", "vertex_indices": [0, 1], "default_position": [0, 0, 0]},
              "tail": {"strategy": "CUBE", "cube_name": "joint-a"}},
        "B": {"parent": "A", "head": {"strategy": "CUBE", "cube_name": "joint-a"},
              "tail": {"strategy": "MEAN", "vertex_indices": [3]}}}}).encode())
    w("corpus/makehuman_rig/seed_one_bone_weights", b"\x01" + json.dumps({"weights": {"A": [[0, 0.5], [3, 1.0]]}}).encode())
    w("corpus/phenotype_map/seed_two_betas.json", json.dumps({
        "phenotype": ["gender", "age", "muscle", "weight", "height", "proportions", "1"],
        "betas_from_phenotype": [[0.1, 0, 0.3, 0.2, 2.0, 0.4, -1.0], [0, 0.5, -0.2, 1.5, 0.1, 0, -0.7]],
        "sampled_range": [[0, 1], [0.5, 1], [0, 1], [0, 1], [0.35, 0.65], [0, 1]],
        "r2": [0.9, 0.8], "explained": [0.6, 0.3], "note": "a seed written by make_corpus.py"}))
    w("corpus/makehuman_target/seed_three_offsets", "# a seed written by make_corpus.py\n0 0.1 -0.2 0.03\n7 0 0 1e-3\n99 -0.5 0.5 0\n")


def params_and_config():
    w("corpus/params_json/full.json", json.dumps({"betas": [0.5, -1.0], "pose": [[0.1, 0, 0]] * 24, "transl": [0, 0, 3],
                                                   "zeroed_joints": [4, 7, 10]}))
    w("corpus/params_json/empty.json", "{}")
    w("regressions/params_json/zeroed_joint_wraps_to_5.json", '{"zeroed_joints": [4294967301]}')
    w("regressions/params_json/huge_translation.json", '{"transl": [0, 0, 1e308]}')
    w("regressions/params_json/huge_beta.json", '{"betas": [1e308]}')
    w("corpus/config_json/stages.json", json.dumps({"robust_rho_px": 100, "camera_max_iterations": 30,
                                                     "stages": [{"body_pose": 404, "shape": 100, "max_iterations": 15}]}))
    w("regressions/config_json/max_iterations_1e12.json", '{"stages": [{"max_iterations": 1e12}]}')
    w("regressions/config_json/camera_max_iterations_1e10.json", '{"camera_max_iterations": 1e10}')


def npz_files():
    w("corpus/init_npz/axis_angle.npz", npz(global_orient=np.zeros((2, 3)), body_pose=np.zeros((2, 69)),
                                            betas=np.zeros((2, 10)), transl=np.array([[0, 0, 3.0], [0.1, 0, 4]])))
    w("corpus/init_npz/matrices.npz", npz(global_orient=np.tile(np.eye(3), (1, 1, 1, 1)),
                                          body_pose=np.tile(np.eye(3), (1, 23, 1, 1))))
    w("corpus/init_npz/joints.npz", npz(joints=np.random.default_rng(1).normal(size=(1, 24, 3)) * 0.3 + [0, 0, 3]))
    w("regressions/init_npz/huge_orient.npz", npz(global_orient=np.full((1, 3), 1e308), body_pose=np.zeros((1, 69))))
    # A member whose stored bytes were changed: only the CRC-32 tells.
    good = bytearray(npz(a=np.arange(100.0)))
    i = good.find(struct.pack("<d", 1.0))
    good[i + 3] ^= 0x40
    w("regressions/npz/crc_mismatch.npz", bytes(good))
    # A 200-byte member that declares 3.9 GB.
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.npy", b"\x93NUMPY\x01\x00v\x00{'descr': '<f8', 'fortran_order': False, 'shape': (500000000,), }"
                   + b" " * 44 + b"\n")
    raw = bytearray(b.getvalue())
    struct.pack_into("<I", raw, raw.find(b"PK\x03\x04") + 22, 3_900_000_000)
    struct.pack_into("<I", raw, raw.find(b"PK\x01\x02") + 24, 3_900_000_000)
    w("regressions/npz/member_declares_3_9_GB.npz", bytes(raw))


def meshes():
    tri = ("solid t\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nvertex 0 1 0\nendloop\nendfacet\n"
           "facet normal 0 0 1\nouter loop\nvertex 1 0 0\nvertex 1 1 0\nvertex 0 1 0\nendloop\nendfacet\nendsolid t\n")
    w("corpus/mesh_stl/two_facets_ascii.stl", tri)
    tet = [((0, 0, 0), (1, 0, 0), (0, 1, 0)), ((0, 0, 0), (0, 0, 1), (1, 0, 0)), ((0, 0, 0), (0, 1, 0), (0, 0, 1)),
           ((1, 0, 0), (0, 0, 1), (0, 1, 0))]
    out = b"binary stl".ljust(80, b" ") + struct.pack("<I", len(tet))
    for t in tet:
        out += struct.pack("<12fH", 0, 0, 1, *[c for p in t for c in p], 0)
    w("corpus/mesh_stl/tetrahedron_binary.stl", out)
    w("regressions/mesh_stl/declares_2e31_facets.stl", b"x" * 80 + struct.pack("<I", 2 ** 31) + b"\0" * 100)
    w("regressions/mesh_stl/nan_vertex_ascii.stl", tri.replace("vertex 1 0 0", "vertex nan 0 0", 1))
    w("regressions/mesh_stl/junk_token_ascii.stl", tri.replace("vertex 1 0 0", "vertex 1 junk 0", 1))
    w("corpus/mesh_obj/quad_and_triangle.obj",
      "# t\nv 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nv 0 0 1\nvn 0 0 1\nf 1//1 2//1 3//1 4//1\nf -5 -4 -1\ng x\nusemtl m\n")
    w("regressions/mesh_obj/face_index_out_of_range.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 9\n")
    w("regressions/mesh_obj/nan_vertex.obj", "v 0 0 0\nv nan 0 0\nv 0 1 0\nf 1 2 3\n")
    head = ("ply\nformat ascii 1.0\ncomment t\nelement vertex 4\nproperty float x\nproperty float y\nproperty float z\n"
            "property uchar red\nelement face 2\nproperty list uchar int vertex_indices\nend_header\n")
    w("corpus/mesh_ply/ascii_quad.ply", head + "0 0 0 1\n1 0 0 2\n1 1 0 3\n0 1 0 4\n3 0 1 2\n3 0 2 3\n")
    points = [(0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1)]
    faces = [(0, 2, 1), (0, 1, 3), (0, 3, 2), (1, 2, 3)]
    for order, name in (("<", "little"), (">", "big")):
        header = ("ply\nformat binary_%s_endian 1.0\nelement vertex 4\nproperty float x\nproperty float y\n"
                  "property float z\nproperty int residual\nelement face 4\nproperty list uchar int vertex_indices\n"
                  "end_header\n") % name
        body = b"".join(struct.pack(order + "3fi", *p, 1) for p in points)
        body += b"".join(struct.pack(order + "B3i", 3, *f) for f in faces)
        w("corpus/mesh_ply/binary_%s_endian_tetrahedron.ply" % name, header.encode() + body)
    w("regressions/mesh_ply/property_before_element.ply", "ply\nformat ascii 1.0\nproperty float x\nelement vertex 3\nend_header\n")
    w("regressions/mesh_ply/no_end_header.ply", "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\n" + "comment x\n" * 20)
    w("regressions/mesh_ply/nan_coordinate.ply", head + "0 0 0 1\nnan 0 0 2\n1 1 0 3\n0 1 0 4\n3 0 1 2\n3 0 2 3\n")
    w("regressions/mesh_ply/huge_coordinate.ply", head + "0 0 0 1\n1e308 0 0 2\n1 1 0 3\n0 1 0 4\n3 0 1 2\n3 0 2 3\n")
    w("regressions/mesh_ply/face_index_out_of_range.ply", head + "0 0 0 1\n1 0 0 2\n1 1 0 3\n0 1 0 4\n3 0 1 2\n3 0 2 9\n")
    w("regressions/mesh_ply/declares_2e9_vertices.ply", "ply\nformat binary_little_endian 1.0\nelement vertex 2000000000\n"
      "property float x\nproperty float y\nproperty float z\nend_header\n")


def png(width, height, rows, bit_depth=8, colour_type=0):
    """A PNG from rows of bytes (no library: zlib and the chunk layout)."""
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\0" + r for r in rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def masks():
    # The first byte of a mask_png input is the instance id asked for (0: binary); the rest is the file.
    binary = png(8, 6, [bytes([0, 255, 255, 0, 0, 0, 0, 0])] * 6)
    ids = png(8, 6, [struct.pack(">8H", 0, 1, 1, 2, 2, 0, 0, 0)] * 6, bit_depth=16)
    w("corpus/mask_png/binary.bin", b"\0" + binary)
    w("corpus/mask_png/instance_ids_16bit.bin", b"\2" + ids)
    w("corpus/mask_png/rgb_binary.bin", b"\0" + png(4, 2, [bytes([255, 255, 255, 0, 0, 0] * 2)] * 2, colour_type=2))
    w("regressions/mask_png/declares_2e9_pixels.bin", b"\0" + binary[:16] + struct.pack(">II", 2000000000, 2000000000) + binary[24:])
    w("regressions/mask_png/truncated.bin", b"\0" + binary[: len(binary) // 2])


def cameras():
    K = [[1000.0, 0, 320], [0, 1000.0, 240], [0, 0, 1]]
    rig = {"cameras": [{"name": "01", "K": K, "R": [[1, 0, 0], [0, 1, 0], [0, 0, 1]], "t": [0, 0, 3],
                        "dist": [-0.1, 0.01, 0, 0, 0], "width": 640, "height": 480},
                       {"name": "02", "K": K, "rvec": [0, 1.5707963, 0], "t": [-3, 0, 3]}]}
    w("corpus/camera_rig_json/two_cameras.json", json.dumps(rig))
    head = '%YAML:1.0\n---\nnames:\n  - "01"\n'
    def mat(name, rows, cols, data):
        return "%s: !!opencv-matrix\n  rows: %d\n  cols: %d\n  dt: d\n  data: [%s]\n" % (
            name, rows, cols, ", ".join("%r" % float(v) for v in data))
    intri = head + mat("K_01", 3, 3, sum(K, [])) + mat("dist_01", 1, 5, [-0.1, 0.01, 0, 0, 0]) + "H_01: 480\nW_01: 640\n"
    extri = head + mat("R_01", 3, 1, [0, 0.2, 0]) + mat("Rot_01", 3, 3, [1, 0, 0, 0, 1, 0, 0, 0, 1]) + mat("T_01", 3, 1, [0, 0, 3])
    w("corpus/camera_rig_yaml/easymocap.bin", intri + "\0" + extri)
    # cv::FileStorage threw std::length_error (not cv::Exception) on this text: terminate() before 2026-12-03.
    w("regressions/camera_rig_yaml/filestorage_length_error.bin", base64.b64decode(
        "JVlBTUw6MS4wCi0tLQpuYW1lczoKICAtICIwMSIKS18wMTogISFvcGVuY3YtbWF0cml4CiAgcm93czogMwogIDoxLjAKLS0tCm5hbWVzOgog"
        "IC0AICIwMSIKUl8wMTogISFvcGVuY3YtbWF0cml4CiAgcm93czogMwogIGNvbHM6IDEKICBkdDogZAogIGRhdGE6IFswLjAsIDB0cml4CiAg"
        "cm93czogMwogIGNvbHM6IDMKICBkdDogZAogIGRhdGE6IFsxMDAwLjAsIDAuMCwgMzIwLjAsIDAuMCwgMTAwMC4wLCAyNCAzLjBdCg=="))
    # cv::FileStorage (OpenCV 4.6) looped for ever on these texts (the reader no longer uses it).
    w("regressions/camera_rig_yaml/filestorage_hang.bin", b"%YAML:1.\n---a:s\nm  -\n_")
    w("regressions/camera_rig_yaml/filestorage_hang_after_end.bin", b"%YAML:1.\ns:3\n...\n- !!opencv-matrix\na:[]")
    # Hung cv::FileStorage after the subset check; mended by reading YAML without it (data/opencv_yaml.h).
    w("regressions/camera_rig_yaml/filestorage_hang_3.bin", base64.b64decode("JVlBTUw6MS4wCi0tLQouLi4tZXM6ICAtICIwMCItbWF0cml4CmR0OiBkCiAgZHF0YTogWzEwMDAuMCwgMC4wLCAzMjUuMCwgMC4wMiwgMDAwLjAsIF0KICBkdDogZAogIGRhdGE6IFs1LjAsICAwLjAsIDAuMCwgMy4wXQo="))
    w("corpus/camera_rig_yaml/rodrigues_only.bin", intri + "\0" + head + mat("R_01", 3, 1, [0, 0.2, 0]) + mat("T_01", 3, 1, [0, 0, 3]))


def views():
    listing = {"frame": "world = camera 00 = the ground truth's camera frame",
               "persons": [{"annotation_id": 0, "cameras": "views/synth_000000",
                            "views": ["views/synth_000000/%02d/keypoints.json" % v for v in range(4)]},
                           {"annotation_id": 7, "cameras": "views/synth_000007",
                            "views": ["views/synth_000007/00/keypoints.json"]}]}
    w("corpus/views_json/synth_views.json", json.dumps(listing))
    w("corpus/views_json/outside.json", json.dumps({"persons": [{"annotation_id": 1, "cameras": "../elsewhere",
                                                               "views": ["/etc/passwd"]}]}))


if __name__ == "__main__":
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    coco()
    makehuman()
    params_and_config()
    npz_files()
    meshes()
    masks()
    cameras()
    views()
