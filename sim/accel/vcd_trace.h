#pragma once
// VCD of the PE array's ports (and, for the systolic model, every PE's psum register) for one layer (per-cycle mode), viewable in GTKWave. A small
// writer of our own: the array state lives in plain arrays inside one process, which
// sc_trace would sample only at SystemC time steps of the whole model.
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "accel/controller.h"

namespace rcsim {

class VcdTrace final : public CycleObserver {
 public:
  VcdTrace(const std::string& path, int rows, int cols, double period_s);
  /// Ports every cycle; with the systolic backend also every PE's partial-sum register.
  void on_cycle(std::int64_t cycle, const PeArrayInputs& in, const IPeArray& pe) override;
  void close();

 private:
  struct Var {
    std::string id;
    int width;
    std::int64_t last;
  };
  void change(Var& v, std::int64_t value);
  std::ofstream out_;
  std::string path_;
  std::vector<Var> act_in_, act_valid_, act_sel_, w_in_, psum_, psum_valid_, p_reg_;
  int rows_, cols_;
  Var load_, load_sel_;
  std::int64_t ps_per_cycle_;
};

}  // namespace rcsim
