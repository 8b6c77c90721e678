#include "tests/support/test_models.h"

#include <random>

#include "model/embedded_body_model.h"
#include "model/embedded_model_file.h"

namespace resihmr::testing {

model::BodyModel RandomBodyModel(const RandomModelOptions& o) {
  std::mt19937 rng(o.seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  model::BodyModel m;
  m.source = "random";
  m.kind = o.num_joints == 24 ? model::ModelKind::kSmpl
                              : (o.num_joints == 52 ? model::ModelKind::kSmplh : model::ModelKind::kSmplx);
  m.joint_names = model::OfficialJointNames(o.num_joints);
  m.parents.assign(static_cast<size_t>(o.num_joints), -1);
  for (int j = 1; j < o.num_joints; ++j) {
    if (j < 22) {
      m.parents[static_cast<size_t>(j)] = model::SmplParents()[static_cast<size_t>(j)];
    } else {
      // Extra joints: jaw/eyes under the head (15), hand chains of three from the wrists.
      const int first_hand = o.num_joints == 55 ? 25 : 22;
      if (j < first_hand) {
        m.parents[static_cast<size_t>(j)] = 15;
      } else {
        const int k = (j - first_hand) % 15;
        const bool left = j - first_hand < 15;
        m.parents[static_cast<size_t>(j)] = k % 3 == 0 ? (left ? 20 : 21) : j - 1;
      }
    }
  }
  const int V = o.num_vertices, J = o.num_joints, S = o.num_betas + o.num_expression;
  m.num_betas = o.num_betas;
  m.num_expression = o.num_expression;
  m.v_template.resize(V, 3);
  for (int v = 0; v < V; ++v) m.v_template.row(v) << 0.4 * normal(rng), 0.8 * normal(rng), 0.2 * normal(rng);
  m.shapedirs.resize(3 * V, S);
  for (Eigen::Index i = 0; i < m.shapedirs.size(); ++i) m.shapedirs.data()[i] = 0.01 * normal(rng);
  m.posedirs = model::RowMatrixXd::Zero(3 * V, 9 * (J - 1));
  if (o.random_posedirs) {
    for (Eigen::Index i = 0; i < m.posedirs.size(); ++i) m.posedirs.data()[i] = 0.005 * normal(rng);
  }
  // Regressor: each joint averages a few random vertices.
  m.j_regressor = model::RowMatrixXd::Zero(J, V);
  for (int j = 0; j < J; ++j) {
    for (int k = 0; k < 6; ++k) m.j_regressor(j, static_cast<int>(uniform(rng) * V) % V) += 1.0 / 6.0;
  }
  m.weights = model::RowMatrixXd::Zero(V, J);
  for (int v = 0; v < V; ++v) {
    double sum = 0;
    for (int k = 0; k < o.influences; ++k) {
      const int j = static_cast<int>(uniform(rng) * J) % J;
      const double w = 0.1 + uniform(rng);
      m.weights(v, j) += w;
      sum += w;
    }
    m.weights.row(v) /= sum;
  }
  m.faces.resize(V - 2, 3);
  for (int f = 0; f < V - 2; ++f) m.faces.row(f) << 0, f + 1, f + 2;
  if (m.kind != model::ModelKind::kSmpl) {
    m.hands_components_left.resize(12, 45);
    m.hands_components_right.resize(12, 45);
    for (Eigen::Index i = 0; i < m.hands_components_left.size(); ++i) {
      m.hands_components_left.data()[i] = 0.2 * normal(rng);
      m.hands_components_right.data()[i] = 0.2 * normal(rng);
    }
    m.hands_mean_left = Eigen::VectorXd::Random(45) * 0.1;
    m.hands_mean_right = Eigen::VectorXd::Random(45) * 0.1;
  }
  m.vertex_keypoints = {{"nose", 3}, {"left_heel", V / 2}, {"right_heel", V - 1}};
  m.Finalize();
  return m;
}

const model::BodyModel& EmbeddedModel() {
  static const model::BodyModel model = model::EmbeddedBodyModel();  // the build's file
  return model;
}

}  // namespace resihmr::testing
