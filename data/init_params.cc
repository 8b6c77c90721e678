#include "data/init_params.h"

#include <Eigen/Geometry>
#include <cmath>

#include "model/error.h"
#include "model/npz.h"

namespace resihmr::data {
namespace {

// A key's values per person: `per` values each, for P persons.
struct PerPerson {
  int persons = 0;
  std::vector<double> values;
  int per = 0;
};

// Matches the array's shape against the accepted trailing shapes; the axes
// before them (none or one) count the persons.
bool Match(const model::NpyArray& a, const std::vector<std::vector<int64_t>>& tails, PerPerson* out, size_t* which) {
  for (size_t t = 0; t < tails.size(); ++t) {
    const std::vector<int64_t>& tail = tails[t];
    if (a.shape.size() != tail.size() && a.shape.size() != tail.size() + 1) continue;
    const size_t lead = a.shape.size() - tail.size();
    if (!std::equal(tail.begin(), tail.end(), a.shape.begin() + static_cast<long>(lead))) continue;
    out->persons = lead ? static_cast<int>(a.shape[0]) : 1;
    out->values = a.ToDoubles();
    out->per = static_cast<int>(out->values.size()) / std::max(out->persons, 1);
    *which = t;
    return true;
  }
  return false;
}

Eigen::Vector3d RotationToAxisAngle(const double* m, const std::string& where) {
  const Eigen::Matrix3d R = Eigen::Map<const Eigen::Matrix<double, 3, 3, Eigen::RowMajor>>(m);
  if (!R.allFinite() || (R.transpose() * R - Eigen::Matrix3d::Identity()).cwiseAbs().maxCoeff() > 1e-3 ||
      std::abs(R.determinant() - 1) > 1e-3) {
    throw Error(where + ": not a rotation matrix (orthonormal, determinant 1, expected)");
  }
  const Eigen::AngleAxisd aa(R);
  return aa.angle() * aa.axis();
}

// The shape keys, read and checked in one place for both kinds of file:
// betas (SMPL's shape space, so not applied to the embedded model) and
// model_betas (the fitted model's own, applied after betas; more than the
// model has are refused). Notes say what was not applied.
struct ShapeKeys {
  PerPerson betas, model_betas;
  bool apply_betas = false, has_model_betas = false;

  // Person p's betas, where the file has them.
  void Apply(int p, const model::BodyModel& model, InitParams* ip) const {
    if (apply_betas) {
      for (int i = 0; i < std::min(betas.per, model.num_betas); ++i) {
        ip->params.betas[i] = betas.values[static_cast<size_t>(p * betas.per + i)];
      }
      ip->betas_given = true;
    }
    if (has_model_betas) {
      for (int i = 0; i < model_betas.per; ++i) {
        ip->params.betas[i] = model_betas.values[static_cast<size_t>(p * model_betas.per + i)];
      }
      ip->betas_given = true;
    }
  }
};

ShapeKeys ReadShapeKeys(const std::string& path, const model::NpzContents& npz, const model::BodyModel& model, int P,
                        std::vector<std::string>* notes) {
  ShapeKeys k;
  size_t unused = 0;
  const auto read = [&](const char* key, PerPerson* into) {
    auto it = npz.arrays.find(key);
    if (it == npz.arrays.end()) return false;
    const model::NpyArray& a = it->second;
    if (a.shape.empty() || a.shape.size() > 2 || !Match(a, {{a.shape.back()}}, into, &unused) || into->persons != P) {
      throw Error(path + ": " + key + " has shape " + a.shape_string() + ", expected [" + std::to_string(P) + ", B]");
    }
    return true;
  };
  const bool has_betas = read("betas", &k.betas);
  k.has_model_betas = read("model_betas", &k.model_betas);
  if (k.has_model_betas && k.model_betas.per > model.num_betas) {
    throw Error(path + ": model_betas has " + std::to_string(k.model_betas.per) + " betas per person, the model " +
                std::to_string(model.num_betas) + " (they are this model's own shape space, so they must fit it)");
  }
  const bool embedded = model.source == "embedded";
  k.apply_betas = has_betas && !embedded;
  if (has_betas && embedded) notes->push_back("betas not applied: they are SMPL's shape space, not the embedded model's");
  if (k.apply_betas && k.betas.per > model.num_betas) {
    notes->push_back("betas: the first " + std::to_string(model.num_betas) + " of " + std::to_string(k.betas.per) +
                     " used (the model has no more)");
  }
  return k;
}

// HSMR style: 3D joints, or a skin mesh on the model's topology regressed to
// joints, per person; betas / model_betas (optional) hold the shape.
InitFile ReadInitPoints(const std::string& path, const model::BodyModel& model, const model::NpyArray* joints,
                        const model::NpyArray* verts, const model::NpzContents& npz) {
  InitFile out;
  PerPerson pts;
  size_t unused = 0;
  const int J = model.num_joints();
  const int usable = J == 24 ? 24 : std::min(22, J);
  int n = 0;
  if (joints) {
    if (joints->shape.size() < 2 || !Match(*joints, {{joints->shape[joints->shape.size() - 2], 3}}, &pts, &unused) ||
        pts.per / 3 < 4 || pts.per / 3 > 24) {
      throw Error(path + ": joints has shape " + joints->shape_string() + ", expected [P, n, 3] with 4 <= n <= 24");
    }
    n = std::min(pts.per / 3, usable);
    if (pts.per / 3 > usable) {
      out.notes.push_back("joints: the first " + std::to_string(usable) + " of " + std::to_string(pts.per / 3) +
                          " used (SMPL's joint order agrees with the model's that far)");
    }
  } else {
    const int V = model.num_vertices();
    if (!Match(*verts, {{V, 3}}, &pts, &unused)) {
      throw Error(path + ": the skin mesh has shape " + verts->shape_string() + ", expected [P, " + std::to_string(V) +
                  ", 3]: the fitted model's topology (--model; HSMR's skin has SMPL's 6890 vertices)");
    }
    n = usable;
  }
  const int P = pts.persons;
  const ShapeKeys shape = ReadShapeKeys(path, npz, model, P, &out.notes);
  for (int p = 0; p < P; ++p) {
    const std::string who = path + ": person " + std::to_string(p);
    InitParams ip;
    ip.params = model::BodyParams::Zero(model);
    const double* v = pts.values.data() + static_cast<size_t>(p) * static_cast<size_t>(pts.per);
    ip.joints_3d.resize(n, 3);
    if (joints) {
      for (int j = 0; j < n; ++j) ip.joints_3d.row(j) << v[3 * j], v[3 * j + 1], v[3 * j + 2];
    } else {
      const Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>> mesh(v, model.num_vertices(), 3);
      ip.joints_3d = (model.j_regressor * mesh).topRows(n);
    }
    if (!ip.joints_3d.allFinite()) throw Error(who + ": non-finite " + (joints ? "joints" : "vertices"));
    if (ip.joints_3d.cwiseAbs().maxCoeff() > model::kMaxAbsTranslation) {
      throw Error(who + ": " + (joints ? "joints" : "vertices") + " lie more than 1000 m from the camera");
    }
    shape.Apply(p, model, &ip);
    model::ValidateParams(ip.params, model, who);
    ip.has_transl = true;
    out.persons.push_back(std::move(ip));
  }
  out.notes.push_back(std::to_string(n) + " 3D joints per person" + (joints ? "" : " regressed from the skin mesh") +
                      ": the model is fitted to them for the start");
  return out;
}

}  // namespace

InitFile ReadInitParams(const std::string& path, const model::BodyModel& model) {
  return InitParamsFromNpz(model::ReadNpz(path), path, model);
}

InitFile InitParamsFromNpz(const model::NpzContents& npz, const std::string& path, const model::BodyModel& model) {
  const auto find = [&](std::initializer_list<const char*> names) -> const model::NpyArray* {
    for (const char* n : names) {
      auto it = npz.arrays.find(n);
      if (it != npz.arrays.end()) return &it->second;
    }
    return nullptr;
  };
  InitFile out;
  const model::NpyArray* orient = find({"global_orient"});
  const model::NpyArray* body = find({"body_pose"});
  if (!orient && !body) {
    const model::NpyArray* joints = find({"joints"});
    const model::NpyArray* verts = find({"skin_verts", "vertices"});
    if (joints || verts) return ReadInitPoints(path, model, joints, verts, npz);
  }
  if (!orient || !body) {
    throw Error(path + ": 'global_orient' and 'body_pose' (HMR2.0 / TokenHMR / AJAHR SMPL parameters), or 'joints' / "
                       "'skin_verts' (3D joints or a skin mesh, as from HSMR) are required (docs/learned.md)");
  }
  PerPerson o, b, t;
  size_t o_kind = 0, b_kind = 0, unused = 0;
  if (!Match(*orient, {{1, 3, 3}, {3, 3}, {3}}, &o, &o_kind)) {
    throw Error(path + ": global_orient has shape " + orient->shape_string() + ", expected [P,1,3,3], [P,3,3] or [P,3]");
  }
  if (!Match(*body, {{23, 3, 3}, {21, 3, 3}, {69}, {63}, {23, 3}, {21, 3}}, &b, &b_kind)) {
    throw Error(path + ": body_pose has shape " + body->shape_string() +
                ", expected [P,23,3,3], [P,21,3,3], [P,69], [P,63], [P,23,3] or [P,21,3]");
  }
  const bool orient_matrix = o_kind < 2, body_matrix = b_kind < 2;
  const int body_joints = (b_kind == 0 || b_kind == 2 || b_kind == 4) ? 23 : 21;
  if (o.persons != b.persons) {
    throw Error(path + ": global_orient has " + std::to_string(o.persons) + " persons, body_pose " +
                std::to_string(b.persons));
  }
  const int P = o.persons;
  const model::NpyArray* transl = find({"transl", "cam_t", "pred_cam_t_full"});
  if (transl && (!Match(*transl, {{3}}, &t, &unused) || t.persons != P)) {
    throw Error(path + ": the translation has shape " + transl->shape_string() + ", expected [" + std::to_string(P) + ", 3]");
  }
  const ShapeKeys shape = ReadShapeKeys(path, npz, model, P, &out.notes);
  PerPerson classes;
  const model::NpyArray* bpac = find({"bpac_classes"});
  if (bpac && (!Match(*bpac, {{4}}, &classes, &unused) || classes.persons != P)) {
    throw Error(path + ": bpac_classes has shape " + bpac->shape_string() + ", expected [" + std::to_string(P) + ", 4]");
  }
  if (body_joints == 23 && model.num_joints() < 24) out.notes.push_back("body_pose: joints 22-23 (SMPL hands) ignored");
  const int body_used = std::min(body_joints, model.num_joints() - 1);
  for (int p = 0; p < P; ++p) {
    const std::string who = path + ": person " + std::to_string(p);
    InitParams ip;
    ip.params = model::BodyParams::Zero(model);
    const double* ov = o.values.data() + static_cast<size_t>(p) * static_cast<size_t>(o.per);
    ip.params.pose.row(0) = (orient_matrix ? RotationToAxisAngle(ov, who + ": global_orient")
                                           : Eigen::Vector3d(ov[0], ov[1], ov[2]))
                                .transpose();
    const double* bv = b.values.data() + static_cast<size_t>(p) * static_cast<size_t>(b.per);
    for (int j = 0; j < body_used; ++j) {
      ip.params.pose.row(j + 1) =
          (body_matrix ? RotationToAxisAngle(bv + 9 * j, who + ": body_pose joint " + std::to_string(j + 1))
                       : Eigen::Vector3d(bv[3 * j], bv[3 * j + 1], bv[3 * j + 2]))
              .transpose();
    }
    shape.Apply(p, model, &ip);
    if (bpac) {
      ip.has_limbs = true;
      for (int head = 0; head < 4; ++head) {
        const double c = classes.values[static_cast<size_t>(4 * p + head)];
        if (c != std::floor(c) || c < 0 || c > 3) {
          throw Error(who + ": bpac_classes head " + std::to_string(head) + " is " + std::to_string(c) +
                      ", a class 0..3 expected");
        }
        const model::ResidualLimb r = model::ResidualLimbOfBpacClass(head, static_cast<int>(c));
        if (r.level != model::LossLevel::kNone) ip.limbs.push_back(r);
      }
    }
    if (transl) {
      ip.params.transl << t.values[static_cast<size_t>(3 * p)], t.values[static_cast<size_t>(3 * p + 1)],
          t.values[static_cast<size_t>(3 * p + 2)];
      ip.has_transl = true;
    }
    model::ValidateParams(ip.params, model, who);  // finite, and within the documented ranges
    if (ip.has_transl && !(ip.params.transl.z() > 0)) {
      throw Error(who + ": translation z must be positive (in front of the camera), got " +
                  std::to_string(ip.params.transl.z()));
    }
    out.persons.push_back(std::move(ip));
  }
  return out;
}

}  // namespace resihmr::data
