#include "data/observation.h"

namespace resihmr::data {

int Observation::num_present() const {
  int n = 0;
  for (Eigen::Index k = 0; k < confidence.size(); ++k) n += confidence[k] > 0;
  return n;
}

}  // namespace resihmr::data
