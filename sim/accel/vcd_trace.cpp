#include "accel/vcd_trace.h"

#include <cmath>

#include "accel/pe_array/systolic_pe_array.h"

#include "core/errors.h"

namespace rcsim {

namespace {
std::string vcd_id(int n) {
  std::string s;
  do {
    s += char('!' + n % 94);
    n /= 94;
  } while (n);
  return s;
}
}  // namespace

VcdTrace::VcdTrace(const std::string& path, int rows, int cols, double period_s)
    : out_(path), path_(path), rows_(rows), cols_(cols), ps_per_cycle_(std::max<std::int64_t>(1, std::llround(period_s * 1e12))) {
  if (!out_) throw InputError(path + ": cannot open VCD file for writing");
  int n = 0;
  auto make = [&](int width) { return Var{vcd_id(n++), width, -1}; };
  out_ << "$timescale 1ps $end\n$scope module pe_array $end\n";
  load_ = make(1), load_sel_ = make(1);
  out_ << "$var wire 1 " << load_.id << " load $end\n$var wire 1 " << load_sel_.id << " load_sel $end\n";
  for (int r = 0; r < rows; ++r) {
    act_in_.push_back(make(32)), act_valid_.push_back(make(1)), act_sel_.push_back(make(1));
    out_ << "$var wire 32 " << act_in_.back().id << " act_in_" << r << " $end\n";
    out_ << "$var wire 1 " << act_valid_.back().id << " act_valid_" << r << " $end\n";
    out_ << "$var wire 1 " << act_sel_.back().id << " act_sel_" << r << " $end\n";
  }
  for (int c = 0; c < cols; ++c) {
    w_in_.push_back(make(32)), psum_.push_back(make(32)), psum_valid_.push_back(make(1));
    out_ << "$var wire 32 " << w_in_.back().id << " w_in_" << c << " $end\n";
    out_ << "$var wire 32 " << psum_.back().id << " psum_out_" << c << " $end\n";
    out_ << "$var wire 1 " << psum_valid_.back().id << " psum_valid_" << c << " $end\n";
  }
  out_ << "$scope module state $end\n";
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      p_reg_.push_back(make(32));
      out_ << "$var reg 32 " << p_reg_.back().id << " p_reg_" << r << "_" << c << " $end\n";
    }
  out_ << "$upscope $end\n$upscope $end\n$enddefinitions $end\n";
}

void VcdTrace::change(Var& v, std::int64_t value) {
  if (v.last == value) return;
  v.last = value;
  if (v.width == 1) {
    out_ << (value ? '1' : '0') << v.id << '\n';
  } else {
    std::string bits;
    const std::uint32_t u = std::uint32_t(value);
    for (int b = 31; b >= 0; --b) bits += (u >> b & 1) ? '1' : '0';
    out_ << 'b' << bits << ' ' << v.id << '\n';
  }
}

void VcdTrace::on_cycle(std::int64_t cycle, const PeArrayInputs& in, const IPeArray& pe) {
  const PeArrayOutputs& o = pe.outputs();
  out_ << '#' << cycle * ps_per_cycle_ << '\n';
  change(load_, in.load);
  change(load_sel_, in.load_sel);
  for (std::size_t r = 0; r < act_in_.size(); ++r) {
    change(act_in_[r], in.act_in[r]);
    change(act_valid_[r], in.act_valid[r]);
    change(act_sel_[r], in.act_sel[r]);
  }
  for (std::size_t c = 0; c < w_in_.size(); ++c) {
    change(w_in_[c], in.w_in[c]);
    change(psum_[c], o.psum_out[c]);
    change(psum_valid_[c], o.psum_valid[c]);
  }
  if (const auto* sys = dynamic_cast<const SystolicPeArray*>(&pe))
    for (int r = 0; r < rows_; ++r)
      for (int c = 0; c < cols_; ++c) change(p_reg_[std::size_t(r) * cols_ + c], sys->psum(r, c));
}

void VcdTrace::close() {
  out_.flush();
  if (!out_) throw InputError(path_ + ": error writing VCD file");
}

}  // namespace rcsim
