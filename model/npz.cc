#include "model/npz.h"

#include <zip.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "model/error.h"

namespace resihmr::model {
namespace {

std::string ZipErrorText(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string text = zip_error_strerror(&error);
  zip_error_fini(&error);
  return text;
}

// Upper bound for one uncompressed member, to refuse zip bombs before allocating.
constexpr zip_uint64_t kMaxMemberBytes = zip_uint64_t{4} << 30;

NpzContents ReadArchive(zip_t* archive, const std::string& what) {
  NpzContents contents;
  const zip_int64_t count = zip_get_num_entries(archive, 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &stat) != 0 || !(stat.valid & ZIP_STAT_NAME) ||
        !(stat.valid & ZIP_STAT_SIZE)) {
      throw Error(what + ": cannot read zip entry " + std::to_string(i) + ": " + zip_strerror(archive));
    }
    std::string name = stat.name;
    if (name.empty() || name.back() == '/') continue;  // directory entries
    if (name.size() < 4 || name.compare(name.size() - 4, 4, ".npy") != 0) {
      throw Error(what + ": entry '" + name + "' is not a .npy array (an .npz holds only .npy files)");
    }
    const std::string key = name.substr(0, name.size() - 4);
    const std::string where = what + ": " + key;
    if (stat.size > kMaxMemberBytes) throw Error(where + ": array is larger than 4 GiB");
    std::vector<uint8_t> buffer(static_cast<size_t>(stat.size));
    std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0),
                                                            &zip_fclose);
    if (!file) throw Error(where + ": cannot open zip entry: " + zip_strerror(archive));
    zip_uint64_t done = 0;
    while (done < stat.size) {
      const zip_int64_t got = zip_fread(file.get(), buffer.data() + done, stat.size - done);
      if (got <= 0) throw Error(where + ": truncated or corrupt zip entry: " + zip_file_strerror(file.get()));
      done += static_cast<zip_uint64_t>(got);
    }
    NpyArray array = ParseNpy(buffer.data(), buffer.size(), where);
    if (array.kind == 'O') {
      contents.skipped.push_back(key);
    } else {
      contents.arrays.emplace(key, std::move(array));
    }
  }
  return contents;
}

}  // namespace

NpzContents ReadNpz(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw Error(path + ": no such file");
  int code = 0;
  std::unique_ptr<zip_t, decltype(&zip_discard)> archive(zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code),
                                                         &zip_discard);
  if (!archive) throw Error(path + ": not a readable .npz (zip) archive: " + ZipErrorText(code));
  return ReadArchive(archive.get(), path);
}

NpzContents ReadNpzFromMemory(const uint8_t* bytes, size_t size, const std::string& what) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes, size, 0, &error);
  if (!source) {
    std::string text = zip_error_strerror(&error);
    zip_error_fini(&error);
    throw Error(what + ": " + text);
  }
  zip_t* raw = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (!raw) {
    zip_source_free(source);
    std::string text = zip_error_strerror(&error);
    zip_error_fini(&error);
    throw Error(what + ": not a readable .npz (zip) archive: " + text);
  }
  zip_error_fini(&error);
  std::unique_ptr<zip_t, decltype(&zip_discard)> archive(raw, &zip_discard);
  return ReadArchive(archive.get(), what);
}

void WriteNpz(const std::string& path, const std::map<std::string, NpyArray>& arrays) {
  const std::string temp = path + ".partial";
  std::filesystem::remove(temp);
  int code = 0;
  zip_t* archive = zip_open(temp.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
  if (!archive) throw Error(path + ": cannot create file: " + ZipErrorText(code));
  // libzip reads the buffers at zip_close: keep them alive until then.
  std::vector<std::vector<uint8_t>> buffers;
  buffers.reserve(arrays.size());
  for (const auto& [key, array] : arrays) {
    buffers.push_back(SerializeNpy(array));
    const std::vector<uint8_t>& bytes = buffers.back();
    zip_source_t* source = zip_source_buffer(archive, bytes.data(), bytes.size(), 0);
    const zip_int64_t index =
        source ? zip_file_add(archive, (key + ".npy").c_str(), source, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) : -1;
    if (index < 0) {
      if (source) zip_source_free(source);
      const std::string text = zip_strerror(archive);
      zip_discard(archive);
      std::filesystem::remove(temp);
      throw Error(path + ": cannot add array '" + key + "': " + text);
    }
    zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_DEFLATE, 1);
  }
  if (zip_close(archive) != 0) {
    const std::string text = zip_strerror(archive);
    zip_discard(archive);
    std::filesystem::remove(temp);
    throw Error(path + ": cannot write file: " + text);
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) {
    std::filesystem::remove(temp);
    throw Error(path + ": cannot write file: " + ec.message());
  }
}

}  // namespace resihmr::model
