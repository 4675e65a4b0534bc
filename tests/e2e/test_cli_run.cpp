// `rcsim run` end to end: the JSON report's shape and consistency, and bad input → exit code 2
// with one line on stderr and no output file written half-way.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/network_yaml.h"
#include "core/quantized_network.h"
#include "host/weights_file.h"
#include "support/rcsim_process.h"

namespace rcsim {
namespace {

using Result = test::RcsimResult;

Result rcsim(const std::string& args) { return test::run_rcsim(args); }

TEST(CliRun, JsonReportIsCompleteAndConsistent) {
  const Result r = rcsim("run --net mnist_lenet --weights random --width 2 --mode fast --json --images 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"network", "width", "arch", "mode", "cycles", "latency_s", "macs", "utilization",
                          "layers", "outputs_match_reference", "accuracy", "totals", "dataflow", "timing"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["network"], "mnist_lenet");
  EXPECT_EQ(j["width"], 2);
  EXPECT_EQ(j["mode"], "fast");
  EXPECT_TRUE(j["outputs_match_reference"].get<bool>());
  EXPECT_TRUE(j["accuracy"].is_null());
  const Network net = load_network("mnist_lenet");
  ASSERT_EQ(j["layers"].size(), net.layers.size());
  std::int64_t cycles = 0, macs = 0;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const auto& l = j["layers"][i];
    EXPECT_EQ(l["name"], net.layers[i].name);
    EXPECT_EQ(l["counters"]["cycles"], l["cycles"]);
    cycles += l["cycles"].get<std::int64_t>();
    macs += l["macs"].get<std::int64_t>();
  }
  EXPECT_EQ(j["cycles"].get<std::int64_t>(), cycles);
  EXPECT_EQ(j["macs"].get<std::int64_t>(), net.total_macs(2));
  EXPECT_EQ(j["totals"]["macs"].get<std::int64_t>(), macs);
  EXPECT_DOUBLE_EQ(j["latency_s"].get<double>(), double(cycles) / j["clock_hz"].get<double>());
}

TEST(CliRun, PerCycleAndFastReportTheSameJsonApartFromMode) {
  const Result a = rcsim("run --net svhn --weights random --width 3 --mode per-cycle --json --set array.cols=8");
  const Result b = rcsim("run --net svhn --weights random --width 3 --mode fast --json --set array.cols=8");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  auto ja = nlohmann::json::parse(a.out), jb = nlohmann::json::parse(b.out);
  for (auto* j : {&ja, &jb}) j->erase("mode"), j->erase("backend");
  EXPECT_EQ(ja, jb);
}

void expect_user_error(const std::string& args, const std::string& mentions) {
  const Result r = rcsim(args);
  EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << "\n" << r.err;
  EXPECT_NE(r.err.find(mentions), std::string::npos) << args << "\n" << r.err;
  EXPECT_TRUE(r.out.empty()) << args << "\n" << r.out;
}

TEST(CliRun, BadInputIsOneLineAndExitCode2) {
  expect_user_error("run --weights random --width 0", "width 0");
  expect_user_error("run --weights random --width 5", "width 5");
  expect_user_error("run --weights random --set array.rows=0", "array.rows");
  expect_user_error("run --weights random --set array.dataflow=diagonal", "array.dataflow");
  expect_user_error("run --weights random --set weight_sram.size_bytes=64", "weight_sram.size_bytes");
  expect_user_error("run --weights random --set act_buffer.size_bytes=1024", "act_buffer.size_bytes");
  expect_user_error("run --weights random --set array.rowz=3", "array.rowz");
  expect_user_error("run --weights random --arch /nonexistent/arch.yaml", "/nonexistent/arch.yaml");
  expect_user_error("run --weights /nonexistent/w.safetensors", "/nonexistent/w.safetensors");
  expect_user_error("run --net no_such_net --weights random", "no_such_net");
}

// Area wherever an architecture is reported: `rcsim run --json` and `rcsim info --arch` give the
// same total as `rcsim area --json` for the same arch and overrides.
TEST(CliRun, AreaOfTheArchInRunJsonAndInfo) {
  const std::string sets = "--set array.rows=32 --set weight_sram.size_bytes=256KiB";
  const Result a = rcsim("area --json " + sets);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  const double want = nlohmann::json::parse(a.out).at("area_mm2").get<double>();
  const Result r = rcsim("run --weights random --mode fast --json " + sets);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_DOUBLE_EQ(j.at("area_mm2").get<double>(), want);
  double sum = 0;
  for (const auto& [name, mm2] : j.at("area_by_component_mm2").items()) sum += mm2.get<double>();
  EXPECT_NEAR(sum, want, 1e-12 * want);
  EXPECT_DOUBLE_EQ(j.at("edap_jsmm2").get<double>(),
                   j.at("energy_j").get<double>() * j.at("latency_s").get<double>() * want);
  const Result i = rcsim("info --net mnist_lenet --arch default " + sets);
  ASSERT_EQ(i.exit_code, 0) << i.err;
  EXPECT_NE(i.out.find("area of arch 'default' at 45nm (32x16"), std::string::npos) << i.out;
  EXPECT_NE(i.out.find("weight_sram"), std::string::npos);
  const Result ij = rcsim("info --net mnist_lenet --json --arch default " + sets);
  ASSERT_EQ(ij.exit_code, 0) << ij.err;
  EXPECT_DOUBLE_EQ(nlohmann::json::parse(ij.out).at("arch").at("area").at("area_mm2").get<double>(), want);
  expect_user_error("info --net mnist_lenet " + sets, "--set needs --arch");
}

// A graph network end to end: `rcsim run --json` in fast and per-cycle mode gives identical
// cycles, outputs and counters at every width, matching the reference; per-node entries carry
// the node kind and the number of GEMM jobs; a saved graph weights file runs the same.
TEST(CliRun, GraphNetworkRunsInBothModesAtEveryWidth) {
  const Network net = load_network("graph_blocks");
  ASSERT_FALSE(net.is_chain());
  for (int k = 1; k <= net.width_groups; ++k) {
    const std::string args = "run --net graph_blocks --weights random --width " + std::to_string(k) + " --json";
    const Result a = rcsim(args + " --mode fast"), b = rcsim(args + " --mode per-cycle");
    ASSERT_EQ(a.exit_code, 0) << a.err;
    ASSERT_EQ(b.exit_code, 0) << b.err;
    auto ja = nlohmann::json::parse(a.out), jb = nlohmann::json::parse(b.out);
    EXPECT_TRUE(ja["outputs_match_reference"].get<bool>());
    EXPECT_TRUE(jb["outputs_match_reference"].get<bool>());
    for (auto* j : {&ja, &jb}) j->erase("mode"), j->erase("backend");
    EXPECT_EQ(ja, jb) << "width " << k;
    ASSERT_EQ(ja["layers"].size(), net.layers.size());
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
      const auto& l = ja["layers"][i];
      EXPECT_EQ(l["type"], to_string(net.layers[i].kind));
      const bool depthwise = net.layers[i].depthwise();
      EXPECT_EQ(l["jobs"].get<int>(), depthwise ? net.active_out(i, k) : net.layers[i].has_weights() ? 1 : 0)
          << net.layers[i].name;
    }
    EXPECT_EQ(ja["macs"].get<std::int64_t>(), net.total_macs(k));
  }
  const std::string path = (std::filesystem::temp_directory_path() / "rcsim_cli_graph.safetensors").string();
  save_weights(random_quantized_network(net, 8, 3), path);
  const Result f = rcsim("run --net graph_blocks --weights " + path + " --width 2 --mode fast --json");
  std::filesystem::remove(path);
  ASSERT_EQ(f.exit_code, 0) << f.err;
  EXPECT_TRUE(nlohmann::json::parse(f.out)["outputs_match_reference"].get<bool>());
  // A buffer too small for the live tensors spills them to DRAM; one that cannot stage a single
  // row tile of a node is an error naming it.
  const Result small = rcsim("run --net graph_blocks --weights random --set act_buffer.size_bytes=20000 --mode fast --json");
  ASSERT_EQ(small.exit_code, 0) << small.err;
  const nlohmann::json js = nlohmann::json::parse(small.out);
  EXPECT_TRUE(js["outputs_match_reference"].get<bool>());
  std::int64_t tiles = 0;
  for (const auto& l : js["layers"]) {
    tiles = std::max<std::int64_t>(tiles, l["tiling"]["row_tiles"].get<std::int64_t>());
    for (const char* key : {"weights", "inputs", "outputs", "residuals"}) EXPECT_TRUE(l["dram_bytes"].contains(key));
    EXPECT_TRUE(l["bound"] == "memory" || l["bound"] == "compute");
  }
  EXPECT_GT(tiles, 1);
  expect_user_error("run --net graph_blocks --weights random --set act_buffer.size_bytes=12000",
                    "act_buffer.size_bytes: 12000 bytes cannot stage node 'm1_dw' of network 'graph_blocks'");
}

TEST(CliRun, WeightsOfAnotherNetworkAreRejected) {
  const std::string path = (std::filesystem::temp_directory_path() / "rcsim_cli_cifar.safetensors").string();
  save_weights(random_quantized_network(load_network("cifar10_quick"), 8, 1), path);
  expect_user_error("run --net mnist_lenet --weights " + path, "cifar10_quick");
  std::filesystem::remove(path);
}

TEST(CliRun, VcdWrittenOnSuccessOnlyAndNothingHalfWayOnError) {
  const auto dir = std::filesystem::temp_directory_path() / ("rcsim_vcd_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string ok = (dir / "ok.vcd").string(), bad = (dir / "bad.vcd").string();
  const Result r = rcsim("run --weights random --set array.rows=4 --set array.cols=4 --vcd " + ok + " --vcd-layer conv2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream f(ok);
  std::string first;
  std::getline(f, first);
  EXPECT_EQ(first, "$timescale 1ps $end");
  expect_user_error("run --weights random --width 7 --vcd " + bad, "width 7");
  expect_user_error("run --weights random --vcd " + bad + " --vcd-layer pool1", "pool1");
  EXPECT_FALSE(std::filesystem::exists(bad));
  EXPECT_FALSE(std::filesystem::exists(bad + ".partial"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace rcsim
