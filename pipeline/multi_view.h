// Several views of the same people (`resihmr fit --views a.json,b.json,...
// [--cameras DIR_OR_FILE]`, or EasyMocap's folder DIR/<camera>/<frame>.json;
// docs/multiview.md): each view's keypoint file read and matched to its
// camera, persons grouped across views by annotation id (OpenPose: the
// person's index in the file), keypoints undistorted, each person fitted over
// its views (optim::FitMultiView), and the result as JSON, its mesh with the
// stumps measured, and overlays (pipeline/multi_view_pictures.h).
//
// A view's camera is the rig's camera named as the keypoint file's folder
// (EasyMocap's DIR/<camera>/<frame>.json), else as its stem (DIR/<camera>.json).
// A view whose camera the rig lacks, or two views of one camera, is an error.
// A person absent from some views is fitted over the others, with a warning
// naming them; a person in only one view is fitted from that view alone.
// Image sizes come from the rig's H_/W_ (or width/height), else from the
// keypoint file; a view with neither is an error.
// With `estimate_extrinsics` (`fit --extrinsics estimate`), the rig's R and t
// are not used: every view's pose is estimated with the body, and the world
// is the first view's camera frame that starts the fit (optim/multi_view_fit.h).
// The rig may then be empty (no --cameras): each view is named by its file's
// stem (by its folder where stems repeat) and gets the default camera of its
// image size (model::DefaultCamera: focal length the image's larger side).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "data/annotation_file.h"
#include "data/camera_rig.h"
#include "geometry/stump_mesh.h"
#include "optim/multi_view_fit.h"

namespace resihmr::pipeline {

struct MultiViewPerson {
  int64_t annotation_id = -1;
  std::vector<optim::CalibratedView> views;  // the views that hold this person, in --views order
  std::vector<std::string> warnings;         // views where the person is absent
};

struct MultiViewDataset {
  std::vector<data::AnnotationFile> files;   // one per view, as read (the persons' layouts live here)
  std::vector<std::string> camera_names;     // per view
  std::vector<MultiViewPerson> persons;      // in order of first appearance
  std::vector<std::string> warnings;
};

// Reads the views' keypoint files against `rig`; throws resihmr::Error naming
// the file and the view on a view without a camera, a repeated camera, or
// an unknown image size.
MultiViewDataset ReadMultiViewDataset(const std::vector<std::string>& view_files, const data::CameraRig& rig,
                                      bool estimate_extrinsics = false);

// EasyMocap's layout given as one folder (`fit --views DIR`): DIR/<camera>/
// <frame>.json, one keypoint file per camera and frame, a camera being any
// sub-folder that holds .json files (at most 64). Per frame (the files'
// stems, in sorted order; at most 100000) the files of the cameras that have
// it, cameras in name order. Throws resihmr::Error naming the folder when it
// holds no camera folder, or too many cameras or frames.
struct ViewFrame {
  std::string frame;
  std::vector<std::string> files;
};
std::vector<ViewFrame> ListViewFolder(const std::string& dir);

// Each accepted residual limb of a successful fit cut and capped on the
// posed mesh (world frame, metres): the convex cap, as one view's resihmr,
// without its depth-tilt search (the views see the depth) and without the
// stump profile (no masks in the views yet).
struct MultiViewMesh {
  geometry::StumpMesh mesh;
  std::vector<int> cut_of_limb;  // per entry of fit.residual_limbs: its index in mesh.limbs, or -1
  const geometry::StumpOutcome* stump_of(size_t limb) const {
    return cut_of_limb[limb] < 0 ? nullptr : &mesh.limbs[static_cast<size_t>(cut_of_limb[limb])];
  }
};
MultiViewMesh BuildMultiViewMesh(const model::BodyModel& model, const optim::MultiViewFit& fit);
// The same for any posed body and its residual limbs (one frame of a video).
MultiViewMesh BuildMeshWithStumps(const model::BodyModel& model, const model::BodyParams& params,
                                  const std::vector<optim::ResidualLimbResult>& limbs);

// One person's result: "status" (ok or failed), "error", "annotation_id",
// "params" (world frame: betas, pose [24][3] axis-angle, transl metres),
// "joints_3d" (J x 3 posed joints, world frame, metres),
// "views" (per view: name, used, note, mean/median 2D error px,
// "extrinsics" ("given" or "estimated"), "R" (3x3 rows) and "t" (metres) used,
// keypoints_2d_pred [K][2] with null where none, error_px [K]),
// "residual_limbs" (world frame, as docs/output.md, with "reference_view"
// and "views_used", and with `mesh` each stump's "measurements"), "mesh"
// (with `mesh`: its file person_<id>.ply, vertices, watertight),
// "warnings", "time_ms".
nlohmann::json MultiViewResultJson(const MultiViewPerson& person, const optim::MultiViewFit& fit,
                                   const MultiViewMesh* mesh = nullptr);

// Writes `folder`/person_<id>.json and, for a successful fit, its mesh
// person_<id>.ply (world frame, metres; binary unless `ascii_ply`; the
// residual limbs red, the vertex property "residual") and, with `images`
// (a folder; "" for none), each view's overlay person_<id>_<view>.png
// (pipeline/multi_view_pictures.h). Returns a warning per view whose photo
// could not be read.
std::vector<std::string> WriteMultiViewResultFiles(const model::BodyModel& model, const MultiViewPerson& person,
                                                   const optim::MultiViewFit& fit, const std::string& folder,
                                                   bool ascii_ply, const std::string& images = "");

}  // namespace resihmr::pipeline
