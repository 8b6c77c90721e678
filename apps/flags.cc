#include "apps/flags.h"

DEFINE_string(model, "", "body model .npz (SMPL, SMPL+H, SMPL-X or made by make-model); empty: the embedded model");
DEFINE_string(out, "", "output path");
DEFINE_string(params, "", "body parameters JSON");
DEFINE_string(joints_out, "", "write posed joints and vertex keypoints to this JSON file");
DEFINE_uint32(seed, 0, "random seed");
DEFINE_string(keypoints, "", "keypoint annotation file (COCO / LDPose JSON or OpenPose JSON)");
DEFINE_string(images, "", "folder of the images the annotations refer to");
DEFINE_int32(threads, 1, "worker threads");
