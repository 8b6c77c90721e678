#include "pipeline/other_persons_mask.h"

#include <map>
#include <string>
#include <tuple>

namespace resihmr::pipeline {

std::vector<std::vector<size_t>> OtherMaskedPersons(const std::vector<data::Observation>& persons) {
  std::map<std::tuple<std::string, std::string, int64_t>, std::vector<size_t>> by_image;
  for (size_t i = 0; i < persons.size(); ++i) {
    by_image[{persons[i].source, persons[i].image, persons[i].image_id}].push_back(i);
  }
  std::vector<std::vector<size_t>> out(persons.size());
  for (const auto& [image, members] : by_image) {
    for (size_t i : members) {
      if (persons[i].mask.empty()) continue;
      for (size_t j : members) {
        if (j != i && !persons[j].mask.empty() && persons[j].mask.size() == persons[i].mask.size()) out[i].push_back(j);
      }
    }
  }
  return out;
}

cv::Mat UnionOfMasks(const std::vector<data::Observation>& persons, const std::vector<size_t>& others) {
  if (others.empty()) return {};
  cv::Mat out = persons[others[0]].mask != 0;
  for (size_t k = 1; k < others.size(); ++k) out |= persons[others[k]].mask != 0;
  return out;
}

}  // namespace resihmr::pipeline
