// A PE-array backend registered by name is driven through IPeArray exactly like the built-in
// model (this is how sim/cosim's Verilated array plugs in for `rcsim run --backend rtl`), and
// the controller rejects a backend that breaks the cycle contract.
#include <gtest/gtest.h>

#include "accel/pe_array/systolic_pe_array.h"
#include "core/errors.h"
#include "support/accel_test_util.h"

namespace rcsim {
namespace {

std::int64_t g_steps = 0;

// Delegates to the systolic model and counts clock edges.
class CountingArray final : public IPeArray {
 public:
  CountingArray(int r, int c) : inner_(r, c) {}
  int rows() const override { return inner_.rows(); }
  int cols() const override { return inner_.cols(); }
  void reset() override { inner_.reset(); }
  void set_inputs(const PeArrayInputs& in) override { inner_.set_inputs(in); }
  void step() override { ++g_steps, inner_.step(); }
  const PeArrayOutputs& outputs() const override { return inner_.outputs(); }
  std::string backend() const override { return "counting"; }

 private:
  SystolicPeArray inner_;
};

// Presents every result one cycle late: a contract violation.
class LateArray final : public IPeArray {
 public:
  LateArray(int r, int c) : inner_(r, c) {
    late_.psum_out.assign(c, 0);
    late_.psum_valid.assign(c, 0);
  }
  int rows() const override { return inner_.rows(); }
  int cols() const override { return inner_.cols(); }
  void reset() override { inner_.reset(); }
  void set_inputs(const PeArrayInputs& in) override { inner_.set_inputs(in); }
  void step() override {
    late_ = inner_.outputs();
    inner_.step();
  }
  const PeArrayOutputs& outputs() const override { return late_; }
  std::string backend() const override { return "late"; }

 private:
  SystolicPeArray inner_;
  PeArrayOutputs late_;
};

TEST(BackendPlugin, RegisteredBackendIsDrivenEveryCycleAndMatches) {
  register_pe_array_backend("counting", [](const PeArrayOptions& o) -> std::unique_ptr<IPeArray> {
    return std::make_unique<CountingArray>(o.rows, o.cols);
  });
  const QuantizedNetwork qn = random_quantized_network(load_network("mnist_lenet"), 8, 21);
  const ArchParams arch = test::arch_with({"array.rows=8", "array.cols=8"});
  AccelOptions plugged, fast;
  plugged.backend = "counting";
  fast.mode = ExecMode::Fast;
  AcceleratorSim a(qn, arch, plugged), b(qn, arch, fast);
  const auto image = test::random_image(qn, 2);
  const InferenceRun ra = a.run({image}, 3).at(0), rb = b.run({image}, 3).at(0);
  std::int64_t array_cycles = 0;
  for (std::size_t i = 0; i < ra.layers.size(); ++i) {
    EXPECT_EQ(ra.layers[i].output, rb.layers[i].output);
    EXPECT_TRUE(ra.layers[i].counters == rb.layers[i].counters);
    if (qn.net.layers[i].has_weights())
      array_cycles += ra.layers[i].counters.cycles - ra.layers[i].counters.dram_stall_cycles;
  }
  EXPECT_EQ(g_steps, array_cycles);  // one clock edge per simulated array cycle
}

TEST(BackendPlugin, ContractViolationIsReported) {
  register_pe_array_backend("late", [](const PeArrayOptions& o) -> std::unique_ptr<IPeArray> {
    return std::make_unique<LateArray>(o.rows, o.cols);
  });
  const QuantizedNetwork qn = random_quantized_network(load_network("mnist_lenet"), 8, 21);
  AccelOptions opts;
  opts.backend = "late";
  AcceleratorSim sim(qn, test::arch_with({}), opts);
  try {
    sim.run({test::random_image(qn, 2)}, 1);
    FAIL() << "a late backend was accepted";
  } catch (const InternalError& e) {
    EXPECT_NE(std::string(e.what()).find("late"), std::string::npos) << e.what();
  }
}

TEST(BackendPlugin, UnknownBackendIsAnInputError) {
  const QuantizedNetwork qn = random_quantized_network(load_network("mnist_lenet"), 8, 21);
  AccelOptions opts;
  opts.backend = "no_such_backend";
  EXPECT_THROW(AcceleratorSim(qn, test::arch_with({}), opts), InputError);
}

}  // namespace
}  // namespace rcsim
