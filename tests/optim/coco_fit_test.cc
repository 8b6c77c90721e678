#include <gtest/gtest.h>

#include "data/annotation_file.h"
#include "optim/intact_fit.h"
#include "tests/support/shared_data.h"
#include "tests/support/test_models.h"

namespace resihmr::optim {
namespace {

// The 14 real people of the COCO sample: everyone with >= 6 labelled
// keypoints is fitted, with a mean 2D error of at most 10 px.
TEST(IntactFit, RealCocoPeople) {
  RESIHMR_SHARED_DATA_FILE(path, "coco-val2017-sample/test_coco.json");
  const data::AnnotationFile file = data::ReadAnnotations(path);
  const model::BodyModel& m = testing::EmbeddedModel();
  double sum = 0;
  int fitted = 0, eligible = 0;
  for (const data::Observation& o : file.persons) {
    const FitResult r = FitIntact(m, o, model::DefaultCamera(o.image_width, o.image_height), FitOptions());
    if (o.num_present() < 6) continue;
    ++eligible;
    EXPECT_TRUE(r.ok) << o.annotation_id << ": " << r.error;
    if (!r.ok) continue;
    ++fitted;
    sum += r.mean_error_px;
    std::printf("annotation %ld: %d keypoints, mean 2D error %.2f px\n", static_cast<long>(o.annotation_id),
                o.num_present(), r.mean_error_px);
  }
  ASSERT_EQ(eligible, 12);
  EXPECT_EQ(fitted, eligible);
  std::printf("mean 2D error over %d real people: %.2f px\n", fitted, sum / fitted);
  EXPECT_LE(sum / fitted, 10.0);
}

}  // namespace
}  // namespace resihmr::optim
