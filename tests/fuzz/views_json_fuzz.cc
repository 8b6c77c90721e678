// libFuzzer target: the views.json listing of a `synth --views` folder
// (data/views_listing.h, read by `eval --views`) on arbitrary bytes.
// Paths under the dataset folder, or a resihmr::Error; never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "model/error.h"
#include "data/views_listing.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const std::vector<resihmr::data::ListedViews> listing =
        resihmr::data::ParseViewsListing(text, "views.json", "dataset");
    for (const resihmr::data::ListedViews& p : listing) {
      if (p.views.empty() || p.views.size() > 64 || p.cameras.rfind("dataset/", 0) != 0) std::abort();
      for (const std::string& v : p.views) {
        if (v.rfind("dataset/", 0) != 0 || v.find("/../") != std::string::npos) std::abort();
      }
    }
  } catch (const resihmr::Error&) {
  }
  return 0;
}
