// The "rtl" PE-array backends (sim/cosim) against the C++ systolic backends through IPeArray and
// IOsPeArray only,
// the lock-step comparator (it must fire, at the right edge and column, when one side is wrong),
// and the backend's input errors.
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <algorithm>
#include <tuple>
#include <vector>

#include "accel/pe_array/i_os_pe_array.h"
#include "accel/pe_array/i_pe_array.h"
#include "accel/pe_array/systolic_os_pe_array.h"
#include "accel/pe_array/systolic_pe_array.h"
#include "core/errors.h"
#include "cosim/rtl_pe_array.h"

namespace rcsim::cosim {
namespace {

PeArrayInputs random_inputs(std::mt19937_64& rng, int rows, int cols, int bits = 8) {
  PeArrayInputs in;
  in.resize(rows, cols);
  std::uniform_int_distribution<int> v(-(1 << (bits - 1)), (1 << (bits - 1)) - 1), bit(0, 1), eighth(0, 7);
  for (int r = 0; r < rows; ++r) {
    in.act_in[r] = v(rng);
    in.act_valid[r] = eighth(rng) != 0;
    in.act_sel[r] = std::uint8_t(bit(rng));
  }
  for (int c = 0; c < cols; ++c) in.w_in[c] = v(rng);
  in.load = eighth(rng) < 3;
  in.load_sel = std::uint8_t(bit(rng));
  return in;
}

class RtlBackend : public ::testing::TestWithParam<std::tuple<int, int, int>> {};

TEST_P(RtlBackend, MatchesTheSystolicModelOnRandomInputs) {
  const auto [R, C, bits] = GetParam();
  auto rtl = make_rtl_pe_array(R, C, bits);
  SystolicPeArray ref(R, C);
  EXPECT_EQ(rtl->backend(), "rtl");  // one name: the precision picks the int8 or int16 model
  std::mt19937_64 rng(5);
  for (int t = 0; t < 20000; ++t) {
    if (t == 10000) {  // reset mid-stream clears both
      rtl->reset();
      ref.reset();
    }
    const PeArrayInputs in = random_inputs(rng, R, C, bits);
    rtl->set_inputs(in);
    ref.set_inputs(in);
    rtl->step();
    ref.step();
    ASSERT_EQ(rtl->outputs().psum_out, ref.outputs().psum_out) << "edge " << t;
    ASSERT_EQ(rtl->outputs().psum_valid, ref.outputs().psum_valid) << "edge " << t;
  }
}
INSTANTIATE_TEST_SUITE_P(Sizes, RtlBackend,
                         ::testing::Values(std::make_tuple(16, 16, 8), std::make_tuple(4, 16, 8),
                                           std::make_tuple(16, 16, 16), std::make_tuple(4, 16, 16)));

/// A systolic array whose column `col` reads one too high after edge `at` (a planted bug).
class FaultyArray final : public IPeArray {
 public:
  FaultyArray(int rows, int cols, std::int64_t at, int col) : inner_(rows, cols), at_(at), col_(col) {}
  int rows() const override { return inner_.rows(); }
  int cols() const override { return inner_.cols(); }
  void reset() override { inner_.reset(), t_ = 0; }
  void set_inputs(const PeArrayInputs& in) override { inner_.set_inputs(in); }
  void step() override {
    inner_.step();
    out_ = inner_.outputs();
    if (t_++ == at_) out_.psum_out[col_] += 1;
  }
  const PeArrayOutputs& outputs() const override { return out_; }
  std::string backend() const override { return "faulty"; }

 private:
  SystolicPeArray inner_;
  std::int64_t at_;
  int col_;
  std::int64_t t_ = 0;
  PeArrayOutputs out_;
};

TEST(Lockstep, StopsAtTheFirstDifferingEdgeAndColumn) {
  auto lock = make_lockstep_pe_array(std::make_unique<FaultyArray>(4, 16, 137, 9), make_rtl_pe_array(4, 16));
  lock->reset();
  std::mt19937_64 rng(6);
  std::int64_t t = 0;
  try {
    for (; t < 1000; ++t) {
      const PeArrayInputs in = random_inputs(rng, 4, 16);
      lock->set_inputs(in);
      lock->step();
    }
    FAIL() << "no mismatch reported";
  } catch (const CosimMismatch& e) {
    EXPECT_EQ(t, 137);
    EXPECT_EQ(e.cycle, 137);
    EXPECT_EQ(e.column, 9);
    EXPECT_EQ(e.reset_index, 0);
  }
}

TEST(Lockstep, CountsArrayRunsByReset) {
  auto lock = make_lockstep_pe_array(std::make_unique<FaultyArray>(4, 16, 3, 0), make_rtl_pe_array(4, 16));
  std::mt19937_64 rng(7);
  PeArrayInputs in = random_inputs(rng, 4, 16);
  for (int run = 0; run < 2; ++run) {
    lock->reset();
    lock->set_inputs(in);
    for (int t = 0; t < 3; ++t) lock->step();  // the fault fires at edge 3 of every run
  }
  lock->reset();
  lock->set_inputs(in);
  for (int t = 0; t < 3; ++t) lock->step();
  try {
    lock->step();
    FAIL() << "no mismatch reported";
  } catch (const CosimMismatch& e) {
    EXPECT_EQ(e.reset_index, 2);
    EXPECT_EQ(e.cycle, 3);
  }
}

TEST(RtlBackendErrors, UnbuiltSizeIsAnInputError) {
  EXPECT_THROW(make_rtl_pe_array(8, 8), InputError);
}

TEST(RtlBackendErrors, OperandOutsideInt16IsAnInputError) {
  auto rtl = make_rtl_pe_array(4, 16, 16);
  PeArrayInputs in;
  in.resize(4, 16);
  in.w_in[3] = -40000;
  rtl->set_inputs(in);
  EXPECT_THROW(rtl->step(), InputError);
}

TEST(RtlBackendErrors, OperandOutsideInt8IsAnInputError) {
  auto rtl = make_rtl_pe_array(4, 16);
  PeArrayInputs in;
  in.resize(4, 16);
  in.act_in[2] = 300;
  rtl->set_inputs(in);
  EXPECT_THROW(rtl->step(), InputError);
}

TEST(RtlBackendErrors, RegisteredWithTheFactory) {
  register_rtl_backends();
  EXPECT_EQ(make_pe_array("rtl", {16, 16})->backend(), "rtl");
  EXPECT_EQ(make_pe_array("lockstep", {4, 16})->backend(), "lockstep");
  // int16 through the same names: the options' precision picks the model (no "rtl16" any more).
  EXPECT_EQ(make_pe_array("rtl", {4, 16, 16})->backend(), "rtl");
  EXPECT_EQ(make_pe_array("lockstep", {16, 16, 16})->backend(), "lockstep");
  EXPECT_THROW(make_pe_array("rtl16", {4, 16}), InputError);
}

TEST(RtlBackendErrors, PrecisionFromTheOptionsSelectsTheModel) {
  register_rtl_backends();
  PeArrayInputs in;
  in.resize(4, 16);
  in.act_in[0] = 1000;  // an int16 operand: only the int16 model accepts it
  auto rtl8 = make_pe_array("rtl", {4, 16, 8});
  auto rtl16 = make_pe_array("rtl", {4, 16, 16});
  rtl8->set_inputs(in);
  rtl16->set_inputs(in);
  EXPECT_THROW(rtl8->step(), InputError);
  EXPECT_NO_THROW(rtl16->step());
}

// The fault of PeArrayOptions goes into the RTL side of "lockstep": the comparator stops at it.
TEST(Lockstep, FaultFromTheOptionsIsReportedAtItsEdgeAndColumn) {
  register_rtl_backends();
  PeArrayOptions o{4, 16};
  o.fault.enabled = true;
  o.fault.run = 1, o.fault.edge = 40, o.fault.column = 5;
  auto lock = make_pe_array("lockstep", o);
  std::mt19937_64 rng(8);
  std::int64_t runs = 0, t = 0;
  try {
    for (; runs < 3; ++runs) {
      lock->reset();
      for (t = 0; t < 100; ++t) {
        const PeArrayInputs in = random_inputs(rng, 4, 16);
        lock->set_inputs(in);
        lock->step();
      }
    }
    FAIL() << "no mismatch reported";
  } catch (const CosimMismatch& e) {
    EXPECT_EQ(runs, 1);
    EXPECT_EQ(e.reset_index, 1);
    EXPECT_EQ(e.cycle, 40);
    EXPECT_EQ(e.column, 5);
    EXPECT_NE(std::string(e.what()).find("rtl-with-fault"), std::string::npos) << e.what();
  }
}


// ---- Output-stationary array (rtl/pe_array_os.sv) ----

/// Random output-stationary inputs: mostly valid operands, a "last" now and then, fold numbers
/// counting per row the lasts that row has sent (what the os dataflow drives).
struct OsStimulus {
  OsStimulus(int rows, int cols, int bits, std::uint64_t seed) : rng(seed), bits(bits), fold(rows, 0) {
    in.resize(rows, cols);
  }
  const OsPeArrayInputs& next() {
    std::uniform_int_distribution<int> v(-(1 << (bits - 1)), (1 << (bits - 1)) - 1), eighth(0, 7), in20(0, 19);
    for (std::size_t r = 0; r < in.act_in.size(); ++r) {
      in.act_in[r] = v(rng);
      in.act_valid[r] = eighth(rng) != 0;
      in.act_last[r] = in.act_valid[r] && in20(rng) == 0;
      in.act_fold[r] = fold[r];
      fold[r] += in.act_last[r];
    }
    for (auto& w : in.w_in) w = v(rng);
    return in;
  }
  std::mt19937_64 rng;
  int bits;
  std::vector<std::int32_t> fold;
  OsPeArrayInputs in;
};

class RtlOsBackend : public ::testing::TestWithParam<std::tuple<int, int, int>> {};

// The C++ model carries each operand's fold; the RTL's wrapper counts each PE's hand-outs. With
// a "last" on every row in the same diagonal order the two agree, as the os dataflow drives it;
// here rows end folds independently, so every PE(r,c) still sees row r's folds in order.
TEST_P(RtlOsBackend, MatchesTheSystolicModelOnRandomInputs) {
  const auto [R, C, bits] = GetParam();
  auto rtl = make_rtl_os_pe_array(R, C, bits);
  SystolicOsPeArray ref(R, C);
  EXPECT_EQ(rtl->backend(), "rtl");
  OsStimulus stim(R, C, bits, 5);
  std::int64_t sums = 0;
  for (int t = 0; t < 20000; ++t) {
    if (t == 10000) {  // reset mid-stream clears both
      rtl->reset();
      ref.reset();
      std::fill(stim.fold.begin(), stim.fold.end(), 0);
    }
    const OsPeArrayInputs& in = stim.next();
    rtl->set_inputs(in);
    ref.set_inputs(in);
    rtl->step();
    ref.step();
    const auto& a = ref.drained();
    const auto& b = rtl->drained();
    ASSERT_EQ(a.size(), b.size()) << "edge " << t;
    for (std::size_t i = 0; i < a.size(); ++i) {
      ASSERT_EQ(std::make_tuple(a[i].row, a[i].col, a[i].fold, a[i].sum),
                std::make_tuple(b[i].row, b[i].col, b[i].fold, b[i].sum))
          << "edge " << t << " hand-out " << i;
    }
    sums += std::int64_t(a.size());
  }
  EXPECT_GT(sums, 1000);  // the comparison saw real hand-outs
}
INSTANTIATE_TEST_SUITE_P(Sizes, RtlOsBackend,
                         ::testing::Values(std::make_tuple(16, 16, 8), std::make_tuple(4, 16, 8),
                                           std::make_tuple(16, 16, 16), std::make_tuple(4, 16, 16)));

/// The C++ output-stationary model with one hand-out corrupted at edge `at` (a planted bug).
class FaultyOsArray final : public IOsPeArray {
 public:
  FaultyOsArray(int rows, int cols, std::int64_t at) : inner_(rows, cols), at_(at) {}
  int rows() const override { return inner_.rows(); }
  int cols() const override { return inner_.cols(); }
  void reset() override { inner_.reset(), t_ = 0; }
  void set_inputs(const OsPeArrayInputs& in) override { inner_.set_inputs(in); }
  void step() override {
    inner_.step();
    out_ = inner_.drained();
    if (t_++ >= at_ && !fired_ && !out_.empty()) out_.back().sum -= 7, fired_ = true;
  }
  const std::vector<OsDrain>& drained() const override { return out_; }
  std::string backend() const override { return "faulty"; }

 private:
  SystolicOsPeArray inner_;
  std::int64_t at_;
  std::int64_t t_ = 0;
  bool fired_ = false;
  std::vector<OsDrain> out_;
};

TEST(LockstepOs, StopsAtTheFirstDifferingHandOut) {
  auto faulty = std::make_unique<FaultyOsArray>(4, 16, 137);
  auto lock = make_lockstep_os_pe_array(std::move(faulty), make_rtl_os_pe_array(4, 16));
  lock->reset();
  OsStimulus stim(4, 16, 8, 6);
  std::int64_t t = 0;
  try {
    for (; t < 1000; ++t) {
      lock->set_inputs(stim.next());
      lock->step();
    }
    FAIL() << "no mismatch reported";
  } catch (const CosimMismatch& e) {
    EXPECT_GE(t, 137);
    EXPECT_EQ(e.cycle, t);
    EXPECT_EQ(e.reset_index, 0);
    EXPECT_GE(e.row, 0);
    EXPECT_NE(std::string(e.what()).find("faulty hands out fold"), std::string::npos) << e.what();
  }
}

TEST(LockstepOs, AMissingHandOutIsAMismatch) {
  // An RTL whose hand-outs vanish (last bits never reach it) against the model.
  class Silent final : public IOsPeArray {
   public:
    int rows() const override { return 4; }
    int cols() const override { return 16; }
    void reset() override {}
    void set_inputs(const OsPeArrayInputs&) override {}
    void step() override {}
    const std::vector<OsDrain>& drained() const override { return none_; }
    std::string backend() const override { return "silent"; }

   private:
    std::vector<OsDrain> none_;
  };
  auto lock = make_lockstep_os_pe_array(std::make_unique<SystolicOsPeArray>(4, 16), std::make_unique<Silent>());
  lock->reset();
  OsStimulus stim(4, 16, 8, 9);
  try {
    for (int t = 0; t < 1000; ++t) {
      lock->set_inputs(stim.next());
      lock->step();
    }
    FAIL() << "no mismatch reported";
  } catch (const CosimMismatch& e) {
    EXPECT_NE(std::string(e.what()).find("silent nothing"), std::string::npos) << e.what();
  }
}

TEST(RtlOsBackendErrors, UnbuiltSizeIsAnInputErrorNamingTheFamily) {
  try {
    make_rtl_os_pe_array(8, 8);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("output-stationary array of 8x8"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("available: 16x16, 4x16"), std::string::npos) << e.what();
  }
}

TEST(RtlOsBackendErrors, OperandOutsideInt8IsAnInputError) {
  auto rtl = make_rtl_os_pe_array(4, 16);
  OsPeArrayInputs in;
  in.resize(4, 16);
  in.w_in[2] = 128;
  rtl->set_inputs(in);
  EXPECT_THROW(rtl->step(), InputError);
}

TEST(RtlOsBackendErrors, RegisteredWithTheFactory) {
  register_rtl_backends();
  EXPECT_EQ(make_os_pe_array("rtl", {16, 16})->backend(), "rtl");
  EXPECT_EQ(make_os_pe_array("lockstep", {4, 16, 16})->backend(), "lockstep");
  EXPECT_THROW(make_os_pe_array("rtl", {8, 8}), InputError);
}

// The OS fault: the first sum leaving column `column` at or after edge `edge` of run `run`.
TEST(LockstepOs, FaultFromTheOptionsIsReportedAtTheFirstHandOutInItsColumn) {
  register_rtl_backends();
  PeArrayOptions o{4, 16};
  o.fault.enabled = true;
  o.fault.run = 1, o.fault.edge = 40, o.fault.column = 5;
  auto lock = make_os_pe_array("lockstep", o);
  OsStimulus stim(4, 16, 8, 10);
  std::int64_t runs = 0;
  try {
    for (; runs < 3; ++runs) {
      lock->reset();
      std::fill(stim.fold.begin(), stim.fold.end(), 0);
      for (int t = 0; t < 200; ++t) {
        lock->set_inputs(stim.next());
        lock->step();
      }
    }
    FAIL() << "no mismatch reported";
  } catch (const CosimMismatch& e) {
    EXPECT_EQ(runs, 1);
    EXPECT_EQ(e.reset_index, 1);
    EXPECT_GE(e.cycle, 40);
    EXPECT_EQ(e.column, 5);
    EXPECT_NE(std::string(e.what()).find("rtl-with-fault"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace rcsim::cosim
