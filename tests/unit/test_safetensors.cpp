#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <functional>

#include "core/errors.h"
#include "host/safetensors.h"

using namespace rcsim;
using Bytes = std::vector<std::uint8_t>;

namespace {

SafeTensors sample() {
  SafeTensors st;
  st.add(Tensor::from<float>("a.weight", {2, 3}, std::vector<float>{1.5f, -2, 0, 3.25f, 1e-3f, -7}));
  st.add(Tensor::from<std::int8_t>("a.weight_q", {2, 3}, std::vector<int>{-128, 127, 0, 1, -1, 5}));
  st.add(Tensor::from<std::int16_t>("b", {1}, std::vector<int>{-32768}));
  st.add(Tensor::from<std::int32_t>("c", {2}, std::vector<std::int64_t>{-2147483648LL, 2147483647}));
  st.add(Tensor::from<std::int32_t>("empty", {0, 4}, std::vector<int>{}));
  st.metadata["rcsim.format"] = "1";
  st.metadata["note"] = "quotes \" and\nnewlines";
  return st;
}

/// A file from a literal header and a data buffer.
Bytes raw_file(const std::string& header, const Bytes& data) {
  Bytes b(8);
  const std::uint64_t n = header.size();
  std::memcpy(b.data(), &n, 8);
  b.resize(8 + header.size() + data.size());
  std::memcpy(b.data() + 8, header.data(), header.size());
  if (!data.empty()) std::memcpy(b.data() + 8 + header.size(), data.data(), data.size());
  return b;
}

std::string error_of(const Bytes& b) {
  try {
    decode_safetensors(b, "w.safetensors");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

}  // namespace

TEST(Safetensors, RoundTripsTensorsMetadataAndOrder) {
  const Bytes bytes = encode_safetensors(sample());
  std::uint64_t n;
  std::memcpy(&n, bytes.data(), 8);
  EXPECT_EQ(n % 8, 0u);
  EXPECT_EQ(bytes[8], '{');
  // Data buffer = 24 + 6 + 2 + 8 + 0 bytes.
  EXPECT_EQ(bytes.size(), 8 + n + 40);
  const SafeTensors st = decode_safetensors(bytes, "x");
  ASSERT_EQ(st.tensors.size(), 5u);
  EXPECT_EQ(st.tensors[1].name, "a.weight_q");
  EXPECT_EQ(st.tensors[1].dtype, DType::I8);
  EXPECT_EQ(st.tensors[1].shape, (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(st.at("a.weight_q", "x").values<int>(), (std::vector<int>{-128, 127, 0, 1, -1, 5}));
  EXPECT_EQ(st.at("a.weight", "x").values<float>(), (std::vector<float>{1.5f, -2, 0, 3.25f, 1e-3f, -7}));
  EXPECT_EQ(st.at("b", "x").values<int>(), (std::vector<int>{-32768}));
  EXPECT_EQ(st.at("c", "x").values<std::int64_t>(), (std::vector<std::int64_t>{-2147483648LL, 2147483647}));
  EXPECT_EQ(st.at("empty", "x").numel(), 0);
  EXPECT_EQ(st.metadata, sample().metadata);
  EXPECT_EQ(encode_safetensors(st), bytes);
  EXPECT_THROW(st.at("nope", "x"), InputError);
}

TEST(Safetensors, WritesAndReadsFiles) {
  const std::string path = ::testing::TempDir() + "/rcsim_st_" + std::to_string(::getpid()) + ".safetensors";
  write_safetensors(sample(), path);
  EXPECT_EQ(read_safetensors(path).tensors.size(), 5u);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  std::filesystem::remove(path);
  EXPECT_NE(std::string([&] {
              try {
                read_safetensors(path);
              } catch (const InputError& e) {
                return std::string(e.what());
              }
              return std::string();
            }()).find("file not found"),
            std::string::npos);
}

TEST(Safetensors, EncodeRejectsInconsistentTensors) {
  SafeTensors st = sample();
  st.add(Tensor::from<float>("a.weight", {1}, std::vector<float>{1}));
  EXPECT_THROW(encode_safetensors(st), InputError);
  SafeTensors st2;
  Tensor t = Tensor::from<float>("x", {3}, std::vector<float>{1, 2});
  st2.add(t);
  EXPECT_THROW(encode_safetensors(st2), InputError);
}

TEST(Safetensors, EveryMalformedHeaderIsAOneLineInputErrorNamingTheFile) {
  const Bytes four(4, 0);
  const std::string t = R"("t": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]})";
  struct Case {
    Bytes file;
    const char* expect;
  };
  Bytes huge = raw_file("{}", {});
  huge[7] = 0x10;  // header length 2^60
  const std::vector<Case> cases = {
      {Bytes{1, 2, 3}, "shorter than the 8-byte header length"},
      {huge, "exceeds the file size"},
      {raw_file("[1]", {}), "does not start with '{'"},
      {raw_file("{\"t\": ", {}), "not valid JSON"},
      {raw_file("{" + t + ", " + t + "}", four), "duplicate tensor 't'"},
      {raw_file(R"({"t": {"dtype": "BF16", "shape": [2], "data_offsets": [0, 4]}})", four), "unsupported dtype 'BF16'"},
      {raw_file(R"({"t": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}})", four), "need 8"},
      {raw_file(R"({"t": {"dtype": "F32", "shape": [1], "data_offsets": [0, 8]}})", four), "outside the 4-byte data buffer"},
      {raw_file(R"({"t": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}})", four), "non-negative integers"},
      {raw_file(R"({"t": {"dtype": "F32", "shape": [1]}})", four), "expected {dtype, shape, data_offsets}"},
      {raw_file(R"({"t": {"dtype": "I8", "shape": [1], "data_offsets": [1, 2]}})", Bytes(2, 0)), "(gap)"},
      {raw_file(R"({"t": {"dtype": "I8", "shape": [2], "data_offsets": [0, 2]}, "u": {"dtype": "I8", "shape": [2], "data_offsets": [1, 3]}})",
                Bytes(3, 0)),
       "(overlap)"},
      {raw_file("{" + t + "}", Bytes(6, 0)), "2 bytes after the last tensor"},
      {raw_file(R"({"__metadata__": {"a": 1}})", {}), "'a' is not a string"},
  };
  for (const auto& c : cases) {
    const std::string msg = error_of(c.file);
    EXPECT_EQ(msg.rfind("w.safetensors: ", 0), 0u) << msg;
    EXPECT_NE(msg.find(c.expect), std::string::npos) << msg << "\n  expected: " << c.expect;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
}

TEST(Safetensors, TruncatedOrFlippedFilesOnlyThrowInputError) {
  const Bytes good = encode_safetensors(sample());
  for (std::size_t len = 0; len < good.size(); ++len)
    EXPECT_THROW(decode_safetensors(Bytes(good.begin(), good.begin() + std::ptrdiff_t(len)), "w"), InputError) << len;
  int ok = 0, errors = 0;
  for (std::size_t pos = 0; pos < good.size(); ++pos)
    for (std::uint8_t mask : {0x01, 0x04, 0x20, 0x80}) {
      Bytes b = good;
      b[pos] ^= mask;
      try {
        decode_safetensors(b, "w");
        ++ok;
      } catch (const InputError&) {
        ++errors;
      }
    }
  EXPECT_GT(ok, 0);      // flips in the data buffer or in metadata text still decode
  EXPECT_GT(errors, 0);
}
