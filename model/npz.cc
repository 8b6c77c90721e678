#include "model/npz.h"

#include <zip.h>
#include <zlib.h>

#include <algorithm>
#include <new>
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

// Reads exactly `n` bytes of an open member into `into`.
void ReadExactly(zip_file_t* file, uint8_t* into, zip_uint64_t n, const std::string& where) {
  zip_uint64_t done = 0;
  while (done < n) {
    const zip_int64_t got = zip_fread(file, into + done, n - done);
    if (got <= 0) throw Error(where + ": truncated or corrupt zip entry: " + zip_file_strerror(file));
    done += static_cast<zip_uint64_t>(got);
  }
}

// One member: its npy header first (a bounded read), checked against the
// size the zip declares and the limits, then the data, then its CRC-32.
// Returns false for an object array (listed as skipped, never read).
bool ReadMember(zip_t* archive, zip_uint64_t i, const zip_stat_t& stat, const std::string& where, uint64_t* total,
                NpyArray* out) {
  if (stat.size > kMaxNpzMemberBytes) {
    throw Error(where + ": the zip entry declares " + std::to_string(stat.size) +
                " bytes, more than the accepted 512 MiB per array");
  }
  if (*total + stat.size > kMaxNpzTotalBytes) {
    throw Error(where + ": the arrays add up to more than the accepted 2 GiB");
  }
  std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(zip_fopen_index(archive, i, 0), &zip_fclose);
  if (!file) throw Error(where + ": cannot open zip entry: " + zip_strerror(archive));
  const zip_uint64_t head_size = std::min<zip_uint64_t>(stat.size, 12 + kMaxNpyHeaderBytes);
  std::vector<uint8_t> head(static_cast<size_t>(head_size));
  ReadExactly(file.get(), head.data(), head_size, where);
  const NpyHeader header = ParseNpyHeader(head.data(), head.size(), where);
  if (header.array.kind == 'O') return false;
  const uint64_t declared = header.data_offset + header.data_bytes;
  if (declared != stat.size) {
    throw Error(where + ": the npy header declares shape " + header.array.shape_string() + " of " +
                header.array.dtype() + " (" + std::to_string(declared) + " bytes), the zip entry holds " +
                std::to_string(stat.size));
  }
  std::vector<uint8_t> buffer;
  try {
    buffer.resize(static_cast<size_t>(stat.size));
  } catch (const std::bad_alloc&) {
    throw Error(where + ": cannot allocate " + std::to_string(stat.size) + " bytes");
  }
  std::copy(head.begin(), head.end(), buffer.begin());
  ReadExactly(file.get(), buffer.data() + head_size, stat.size - head_size, where);
  if ((stat.valid & ZIP_STAT_CRC) &&
      crc32(0L, buffer.data(), static_cast<uInt>(buffer.size())) != static_cast<uLong>(stat.crc)) {
    throw Error(where + ": CRC-32 mismatch: the zip entry is corrupt");
  }
  *total += stat.size;
  *out = ParseNpy(buffer.data(), buffer.size(), where);
  return true;
}

NpzContents ReadArchive(zip_t* archive, const std::string& what) {
  NpzContents contents;
  const zip_int64_t count = zip_get_num_entries(archive, 0);
  if (count > 10000) throw Error(what + ": " + std::to_string(count) + " zip entries, more than the accepted 10000");
  uint64_t total = 0;
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
    NpyArray array;
    if (ReadMember(archive, static_cast<zip_uint64_t>(i), stat, what + ": " + key, &total, &array)) {
      contents.arrays.emplace(key, std::move(array));
    } else {
      contents.skipped.push_back(key);
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
    // A fixed date (2000-01-01), not the time of writing: the same arrays give the same bytes.
    zip_file_set_mtime(archive, static_cast<zip_uint64_t>(index), 946684800, 0);
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
