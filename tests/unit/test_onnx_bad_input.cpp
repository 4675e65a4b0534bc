// Bad .onnx input: each defect is one InputError line naming the file and what is wrong,
// never a crash. The files are written here (truncations, garbage, models built with protobuf).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "onnx/onnx_fuzz.h"
#include "onnx/onnx_import.h"
#include "onnx/onnx_normalize.h"
#include "onnx/onnx_reader.h"
#include "onnx_builder.h"
#include "onnx_test_util.h"

namespace rcsim {
namespace {

namespace fs = std::filesystem;
using testonnx::Builder;
using testonnx::expect_one_line_error;

const std::string kModels = RCSIM_ONNX_MODELS_DIR;

std::string temp_path(const std::string& name) {
  const auto dir = fs::path(::testing::TempDir()) / ("rcsim_onnx_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return (dir / name).string();
}

std::string read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), std::streamsize(bytes.size()));
}

/// Reads and normalizes `bytes` written to a file named `name`.
void import_file(const std::string& name, const std::string& bytes) {
  const std::string path = temp_path(name);
  write_bytes(path, bytes);
  OnnxModel m = read_onnx(path);
  normalize(m);
}

TEST(OnnxBadInput, MissingUnreadableEmpty) {
  expect_one_line_error([] { read_onnx(temp_path("does_not_exist.onnx")); }, "does_not_exist.onnx: no such ONNX file");
  expect_one_line_error([] { read_onnx(::testing::TempDir()); }, "not a regular file");
  expect_one_line_error([] { import_file("empty.onnx", ""); }, "empty.onnx: not an ONNX model");
}

TEST(OnnxBadInput, TruncatedFiles) {
  const std::string bytes = read_bytes(kModels + "/resblock.onnx");
  ASSERT_GT(bytes.size(), 1000u);
  for (std::size_t keep : {std::size_t(1), std::size_t(7), std::size_t(100), bytes.size() / 3, bytes.size() / 2,
                           bytes.size() - 100, bytes.size() - 1}) {
    SCOPED_TRACE(keep);
    expect_one_line_error([&] { import_file("truncated.onnx", bytes.substr(0, keep)); }, "truncated.onnx: ");
  }
}

TEST(OnnxBadInput, RandomBytes) {
  std::mt19937 rng(1);
  for (int i = 0; i < 20; ++i) {
    std::string bytes(std::size_t(1 + rng() % 4000), '\0');
    for (auto& c : bytes) c = char(rng());
    expect_one_line_error([&] { import_file("random.onnx", bytes); }, "random.onnx: ");
  }
  // Plain text is not a ModelProto either.
  expect_one_line_error([] { import_file("text.onnx", "conv: {in: 1, out: 8}\n"); }, "not an ONNX model");
}

TEST(OnnxBadInput, UnsupportedOperators) {
  for (const std::string op : {"Softmax", "LSTM"}) {
    Builder b = testonnx::conv_model();
    b.graph->mutable_output(0)->set_name("z");
    b.node(op, {"y"}, {"z"}, "the_" + op);
    expect_one_line_error([&] { import_file("unsupported.onnx", b.bytes()); },
                          "unsupported.onnx: ONNX node 'the_" + op + "' (" + op + "): unsupported operator; supported: Add");
  }
}

TEST(OnnxBadInput, DynamicShapes) {
  Builder b;
  b.input("image", {-1, 1, -1, 28}).weights("w", {4, 1, 3, 3});
  b.node("Conv", {"image", "w"}, {"y"});
  b.output("y");
  expect_one_line_error([&] { import_file("dynamic.onnx", b.bytes()); },
                        "dynamic.onnx: ONNX input 'image': dimension 2 is dynamic ('d2'); export with static shapes");
  // A symbolic batch alone is fine: read as 1.
  Builder c = testonnx::conv_model();
  c.graph->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim(0)->set_dim_param("N");
  const std::string bytes = c.bytes();
  const OnnxModel m = parse_onnx(bytes.data(), bytes.size(), "batch N");
  EXPECT_EQ(m.inputs[0].dims, (std::vector<std::int64_t>{1, 2, 6, 6}));
  // No shape at all, or a non-float input.
  Builder d = testonnx::conv_model();
  d.graph->mutable_input(0)->mutable_type()->mutable_tensor_type()->clear_shape();
  expect_one_line_error([&] { import_file("noshape.onnx", d.bytes()); }, "ONNX input 'x' has no shape");
  Builder e = testonnx::conv_model();
  e.graph->mutable_input(0)->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::UINT8);
  expect_one_line_error([&] { import_file("uint8.onnx", e.bytes()); }, "ONNX input 'x' has element type UINT8");
}

TEST(OnnxBadInput, WrongInputRank) {
  Builder b;
  b.input("x", {1, 28, 28}).weights("w", {4, 1, 3, 3});
  b.node("Relu", {"x"}, {"y"});
  b.output("y");
  expect_one_line_error([&] { import_file("rank3.onnx", b.bytes()); },
                        "rank3.onnx: ONNX input 'x' has shape 1x28x28 (rank 3); rcsim needs a rank-4");
}

TEST(OnnxBadInput, DanglingAndUnsortedNames) {
  Builder b = testonnx::conv_model();
  b.graph->mutable_node(0)->set_input(1, "no_such_weight");
  expect_one_line_error([&] { import_file("dangling.onnx", b.bytes()); },
                        "dangling.onnx: ONNX node 'conv' (Conv): input 'no_such_weight' is not produced by any node, initializer or graph input");

  Builder c = testonnx::conv_model();
  c.graph->mutable_output(0)->set_name("z");
  c.node("Relu", {"y"}, {"z"}, "relu");
  c.graph->mutable_node()->SwapElements(0, 1);
  expect_one_line_error([&] { import_file("unsorted.onnx", c.bytes()); },
                        "ONNX node 'relu' (Relu): input 'y' is produced by a later node ('conv'); the graph is not topologically sorted");

  Builder d = testonnx::conv_model();
  d.graph->mutable_output(0)->set_name("nowhere");
  expect_one_line_error([&] { import_file("output.onnx", d.bytes()); }, "ONNX output 'nowhere' is not produced by any node");

  Builder e = testonnx::conv_model();
  e.node("Relu", {"x"}, {"y"}, "again");
  expect_one_line_error([&] { import_file("twice.onnx", e.bytes()); }, "ONNX node 'again' (Relu): output 'y' is already defined");
}

TEST(OnnxBadInput, AbsurdInitializers) {
  // Dims whose product overflows int64 and dims far beyond the data: refused before allocating.
  Builder b = testonnx::conv_model();
  auto* w = b.graph->mutable_initializer(0);
  w->clear_dims();
  for (int i = 0; i < 4; ++i) w->add_dims(std::int64_t(1) << 40);
  expect_one_line_error([&] { import_file("huge.onnx", b.bytes()); }, "huge.onnx: initializer 'w' is too large");

  w->clear_dims();
  for (auto d : {1000, 1000, 100, 1}) w->add_dims(d);
  expect_one_line_error([&] { import_file("short.onnx", b.bytes()); },
                        "initializer 'w' has dims holding 100000000 elements but 72 values");

  w->clear_dims();
  for (auto d : {4, 2, 3, 3}) w->add_dims(d);
  w->clear_float_data();
  w->set_raw_data(std::string(17, '\0'));
  expect_one_line_error([&] { import_file("raw.onnx", b.bytes()); }, "but 17 bytes of raw data (expected 288)");

  w->clear_dims();
  for (auto d : {4, -2, 3, 3}) w->add_dims(d);
  expect_one_line_error([&] { import_file("negative.onnx", b.bytes()); }, "initializer 'w' has a negative dimension (-2)");
}

TEST(OnnxBadInput, TensorElementTypesAndLocations) {
  Builder b = testonnx::conv_model();
  b.graph->mutable_initializer(0)->set_data_type(onnx::TensorProto::INT32);
  expect_one_line_error([&] { import_file("int32.onnx", b.bytes()); },
                        "initializer 'w' has element type INT32; rcsim reads FLOAT, DOUBLE and INT64 tensors");

  Builder c = testonnx::conv_model();
  auto* w = c.graph->mutable_initializer(0);
  w->set_data_location(onnx::TensorProto::EXTERNAL);
  auto* kv = w->add_external_data();
  kv->set_key("location");
  kv->set_value("../../etc/passwd");
  expect_one_line_error([&] { import_file("external.onnx", c.bytes()); }, "initializer 'w' keeps its data in an external file");

  Builder d = testonnx::conv_model();
  d.graph->mutable_initializer(0)->set_float_data(3, std::nanf(""));
  expect_one_line_error([&] { import_file("nan.onnx", d.bytes()); }, "initializer 'w' holds a value that is not a finite float");

  // Double and int64 data, typed and raw, are read as float.
  Builder e = testonnx::conv_model();
  auto* b64 = e.graph->mutable_initializer(1);  // the 4-element bias
  b64->clear_float_data();
  b64->set_data_type(onnx::TensorProto::DOUBLE);
  const double v[4] = {1.5, -2.25, 3.0, 0.125};
  b64->set_raw_data(std::string(reinterpret_cast<const char*>(v), sizeof v));
  const std::string bytes = e.bytes();
  const OnnxModel m = parse_onnx(bytes.data(), bytes.size(), "double");
  EXPECT_EQ(m.initializers.at("b").values, (std::vector<float>{1.5f, -2.25f, 3.0f, 0.125f}));
  EXPECT_EQ(m.initializers.at("b").dtype, "double");
}

TEST(OnnxBadInput, Opsets) {
  Builder b(18);
  b.input("x", {1, 1, 2, 2});
  b.node("Relu", {"x"}, {"y"});
  b.output("y");
  expect_one_line_error([&] { import_file("opset18.onnx", b.bytes()); },
                        "opset18.onnx: ONNX opset 18 is not supported (rcsim reads opsets 9-17; export with opset_version=13)");
  b.model.clear_opset_import();
  expect_one_line_error([&] { import_file("noopset.onnx", b.bytes()); }, "imports no version of the default ONNX operator set");
}

TEST(OnnxBadInput, NamesWithControlCharactersStayOnOneLine) {
  Builder b = testonnx::conv_model();
  b.graph->mutable_node(0)->set_name("evil\nname\r");
  b.graph->mutable_node(0)->set_input(1, "w\n2");
  expect_one_line_error([&] { import_file("evil.onnx", b.bytes()); }, "ONNX node 'evil?name?' (Conv): input 'w?2'");
}

// A deterministic miniature of fuzzing: mutated and truncated bytes of every checked-in model
// must end as InputError or import fine; any other exception (or a crash) fails the test.
// The same entry point, rcsim_fuzz_onnx, serves a libFuzzer build.
TEST(OnnxBadInput, MutatedModelsNeverCrash) {
  std::mt19937 rng(7);
  std::size_t rejected = 0, accepted = 0;
  for (const auto& entry : fs::directory_iterator(kModels)) {
    if (entry.path().extension() != ".onnx") continue;
    const std::string original = read_bytes(entry.path().string());
    for (int i = 0; i < 150; ++i) {
      std::string bytes = original;
      const int edits = 1 + int(rng() % 4);
      for (int e = 0; e < edits; ++e) {
        const std::size_t at = rng() % bytes.size();
        switch (rng() % 4) {
          case 0: bytes[at] = char(rng()); break;                          // overwrite a byte
          case 1: bytes[at] = char(bytes[at] ^ (1 << (rng() % 8))); break;  // flip a bit
          case 2: bytes.insert(at, 1, char(rng())); break;                  // insert a byte
          default: bytes.resize(std::max<std::size_t>(1, at)); break;       // truncate
        }
      }
      try {
        OnnxModel m = parse_onnx(bytes.data(), bytes.size(), "mutant");
        normalize(m);
        import_onnx(m);
        ++accepted;
      } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
        ++rejected;
      } catch (const std::exception& e) {
        ADD_FAILURE() << entry.path().filename() << " mutant " << i << ": " << typeid(e).name() << ": " << e.what();
      }
      EXPECT_EQ(rcsim_fuzz_onnx(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), 0);
    }
  }
  EXPECT_GT(rejected, 0u);
  EXPECT_GT(accepted, 0u);  // flipped weight bits still make a model
}

}  // namespace
}  // namespace rcsim
