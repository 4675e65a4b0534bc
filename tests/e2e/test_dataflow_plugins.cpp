// Dataflows as plug-ins (sim/accel/dataflow/): the catalog the arch loader checks and the
// registered plug-ins agree; `--backend` is checked against the dataflow's PE-array family and
// a backend registered for a family is the one driven; every dataflow's per-cycle run can be
// traced to VCD; a fault requested through PeArrayOptions reaches the array's outputs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>

#include "accel/dataflow/dataflow.h"
#include "accel/pe_array/i_os_pe_array.h"
#include "accel/pe_array/systolic_os_pe_array.h"
#include "support/accel_test_util.h"
#include "core/errors.h"

namespace rcsim {
namespace {

TEST(DataflowPlugins, CatalogAndRegistryAgree) {
  std::set<std::string> catalogued, registered;
  for (const DataflowInfo& d : dataflow_catalog()) {
    catalogued.insert(d.name);
    Dataflow df = Dataflow::WS;
    ASSERT_TRUE(Dataflow::parse(d.name, df)) << d.name;
    EXPECT_STREQ(dataflow_plugin(df).id().name(), d.name);
  }
  for (const IDataflow* p : dataflow_plugins()) registered.insert(p->id().name());
  EXPECT_EQ(catalogued, registered);
  Dataflow df = Dataflow::WS;
  EXPECT_FALSE(Dataflow::parse("rs", df));
}

TEST(DataflowPlugins, BackendOfAnotherArrayFamilyIsAOneLineInputError) {
  const QuantizedNetwork qn = random_quantized_network(load_network("mnist_lenet"), 8, 21);
  AccelOptions opts;
  opts.backend = "lockstep-of-another-family";
  try {
    AcceleratorSim sim(qn, test::arch_with({"array.dataflow=os"}), opts);
    FAIL() << "accepted";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    EXPECT_NE(msg.find("'os'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("output-stationary array"), std::string::npos) << msg;
    EXPECT_NE(msg.find("systolic"), std::string::npos) << msg;  // the valid ones are listed
  }
}

std::int64_t g_os_steps = 0;

// Delegates to the C++ output-stationary model and counts clock edges.
class CountingOsArray final : public IOsPeArray {
 public:
  CountingOsArray(int r, int c) : inner_(r, c) {}
  int rows() const override { return inner_.rows(); }
  int cols() const override { return inner_.cols(); }
  void reset() override { inner_.reset(); }
  void set_inputs(const OsPeArrayInputs& in) override { inner_.set_inputs(in); }
  void step() override { ++g_os_steps, inner_.step(); }
  const std::vector<OsDrain>& drained() const override { return inner_.drained(); }
  std::string backend() const override { return "counting-os"; }

 private:
  SystolicOsPeArray inner_;
};

TEST(DataflowPlugins, OutputStationaryBackendIsRegisteredPerFamilyAndDriven) {
  register_os_pe_array_backend("counting-os", [](const PeArrayOptions& o) -> std::unique_ptr<IOsPeArray> {
    return std::make_unique<CountingOsArray>(o.rows, o.cols);
  });
  const QuantizedNetwork qn = random_quantized_network(load_network("mnist_lenet"), 8, 21);
  const ArchParams os = test::arch_with({"array.dataflow=os", "array.rows=8", "array.cols=8"});
  AccelOptions plugged, fast;
  plugged.backend = "counting-os";
  fast.mode = ExecMode::Fast;
  // Registered for the output-stationary family only: the weight-stationary dataflows refuse it.
  EXPECT_THROW(AcceleratorSim(qn, test::arch_with({}), plugged), InputError);
  AcceleratorSim a(qn, os, plugged), b(qn, os, fast);
  const auto image = test::random_image(qn, 2);
  const InferenceRun ra = a.run({image}, 3).at(0), rb = b.run({image}, 3).at(0);
  std::int64_t array_cycles = 0;
  for (std::size_t i = 0; i < ra.layers.size(); ++i) {
    EXPECT_EQ(ra.layers[i].output, rb.layers[i].output);
    EXPECT_TRUE(ra.layers[i].counters == rb.layers[i].counters);
    if (qn.net.layers[i].has_weights())
      array_cycles += ra.layers[i].counters.cycles - ra.layers[i].counters.dram_stall_cycles;
  }
  EXPECT_EQ(g_os_steps, array_cycles);  // one clock edge per simulated array cycle
}

std::string read_file(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Per dataflow: the VCD declares that array's ports, and has one time step per array cycle of
// the traced layer (conv2 of mnist_lenet).
struct VcdCase {
  const char* dataflow;
  std::vector<std::string> sets;
  std::vector<std::string> vars;  ///< declarations the file must contain
};

void PrintTo(const VcdCase& c, std::ostream* os) { *os << c.dataflow; }

class DataflowVcd : public ::testing::TestWithParam<VcdCase> {};

TEST_P(DataflowVcd, TracesTheDataflowsArrayEveryCycle) {
  const VcdCase& vc = GetParam();
  const QuantizedNetwork qn = random_quantized_network(load_network("mnist_lenet"), 8, 21);
  const auto path = std::filesystem::temp_directory_path() /
                    ("rcsim_dataflow_" + std::string(vc.dataflow) + "_" + std::to_string(::getpid()) + ".vcd");
  AccelOptions opts;
  opts.vcd_path = path.string();
  opts.vcd_layer = "conv2";
  std::vector<std::string> sets = vc.sets;
  sets.insert(sets.end(), {"array.rows=4", "array.cols=4"});
  const ArchParams arch = test::arch_with(sets);
  std::int64_t layer_cycles = 0;
  {
    AcceleratorSim sim(qn, arch, opts);
    const InferenceRun r = sim.run({test::random_image(qn, 3)}, 1).at(0);
    const LayerCounters& c = r.layers.at(2).counters;
    ASSERT_EQ(c.layer, "conv2");
    // Array cycles: overlapped reports their count; scalesim the last cycle's index.
    layer_cycles = c.cycles - c.dram_stall_cycles + (arch.timing == TimingMode::ScaleSim ? 1 : 0);
  }
  const std::string vcd = read_file(path.string());
  std::filesystem::remove(path);
  EXPECT_EQ(vcd.rfind("$timescale 1ps $end\n", 0), 0u);
  EXPECT_NE(vcd.find("$enddefinitions $end"), std::string::npos);
  for (const std::string& v : vc.vars) EXPECT_NE(vcd.find(" " + v + " $end"), std::string::npos) << v;
  std::int64_t steps = 0;
  std::istringstream lines(vcd);
  for (std::string line; std::getline(lines, line);) steps += !line.empty() && line[0] == '#';
  EXPECT_EQ(steps, layer_cycles);
}

INSTANTIATE_TEST_SUITE_P(
    EveryDataflow, DataflowVcd,
    ::testing::Values(VcdCase{"ws", {}, {"load", "act_sel_3", "w_in_3", "psum_out_3", "psum_valid_0", "p_reg_3_3"}},
                      VcdCase{"os", {"array.dataflow=os"}, {"act_in_3", "act_last_3", "act_fold_0", "w_in_3", "acc_3_3"}},
                      VcdCase{"is", {"array.dataflow=is", "timing=scalesim"}, {"load", "act_in_3", "psum_out_3", "p_reg_0_0"}}),
    [](const ::testing::TestParamInfo<VcdCase>& info) { return std::string(info.param.dataflow); });

// A fault requested in the options reaches the outputs: +1 on column 0's first result of the
// classifier (its int32 logits are not requantized, so the +1 survives), nothing else changes.
TEST(DataflowPlugins, FaultFromTheOptionsReachesTheArraysOutputs) {
  const QuantizedNetwork qn = random_quantized_network(load_network("mnist_lenet"), 8, 21);
  const ArchParams arch = test::arch_with({});
  const int k = 2;
  std::int64_t weighted = 0;
  for (const Layer& l : qn.net.layers) weighted += l.has_weights();
  const std::size_t fc2 = qn.net.layers.size() - 1;
  const FoldPlan plan = plan_folds(gemm_view(qn.net, fc2, k), arch.dataflow, arch.rows, arch.cols);
  const FoldSchedule s = fold_schedule(plan, arch.timing);
  AccelOptions clean, faulty;
  faulty.fault.enabled = true;
  faulty.fault.run = weighted - 1;                   // the classifier's array run (one per weighted layer)
  faulty.fault.edge = s.t0[0] + arch.rows - 1 + 0;  // column 0 delivers fold 0's first result
  faulty.fault.column = 0;
  const auto image = test::random_image(qn, 4);
  std::vector<InferenceRun> a, b;
  {
    AcceleratorSim sim(qn, arch, clean);
    a = sim.run({image}, k);
  }
  {
    AcceleratorSim sim(qn, arch, faulty);
    b = sim.run({image}, k);
  }
  for (std::size_t i = 0; i + 1 < a[0].layers.size(); ++i) EXPECT_EQ(a[0].layers[i].output, b[0].layers[i].output);
  std::vector<std::int32_t> expected = a[0].logits();
  expected[0] += 1;
  EXPECT_EQ(b[0].logits(), expected);
  // The output-stationary C++ model cannot inject one: said, not ignored.
  EXPECT_THROW(AcceleratorSim(qn, test::arch_with({"array.dataflow=os"}), faulty), InputError);
}

}  // namespace
}  // namespace rcsim
