#pragma once
// VCD of the PE array for one layer (per-cycle mode, every dataflow and backend), viewable in
// GTKWave: whatever signals the dataflow's array reports (accel/pe_array/signal_sink.h) — its
// ports and, for the C++ models, every PE's register. A small writer of our own: the array
// state lives in plain arrays inside one process, which sc_trace would sample only at SystemC
// time steps of the whole model.
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "accel/cycle_observer.h"

namespace rcsim {

class VcdTrace final : public CycleObserver, private SignalSink {
 public:
  VcdTrace(const std::string& path, double period_s);
  /// The first call declares the signals (the header); each call dumps the changed values.
  void on_cycle(std::int64_t cycle, const SignalSource& array) override;
  void close();

 private:
  struct Var {
    std::string id;
    int bits;
    std::int64_t last;
  };
  void begin_scope(const char* name) override;
  void end_scope() override;
  void wire(const char* name, int i, int j, int bits, std::int64_t value) override { signal("wire", name, i, j, bits, value); }
  void reg(const char* name, int i, int j, int bits, std::int64_t value) override { signal("reg", name, i, j, bits, value); }
  void signal(const char* kind, const char* name, int i, int j, int bits, std::int64_t value);
  void dump(const Var& v);

  std::ofstream out_;
  std::string path_;
  std::int64_t ps_per_cycle_;
  bool declaring_ = false, declared_ = false;
  std::vector<Var> vars_;
  std::size_t next_ = 0;  ///< index of the next signal reported this cycle
};

}  // namespace rcsim
