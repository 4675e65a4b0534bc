#include "accel/vcd_trace.h"

#include <cmath>

#include "core/errors.h"
#include "host/output_file.h"

namespace rcsim {

namespace {
std::string vcd_id(std::size_t n) {
  std::string s;
  do {
    s += char('!' + n % 94);
    n /= 94;
  } while (n);
  return s;
}
}  // namespace

VcdTrace::VcdTrace(const std::string& path, double period_s)
    : out_(path), path_(path), ps_per_cycle_(std::max<std::int64_t>(1, std::llround(period_s * 1e12))) {
  if (!out_) throw EnvironmentError(path + ": cannot open the VCD file for writing");
  out_ << "$timescale 1ps $end\n";
}

void VcdTrace::on_cycle(std::int64_t cycle, const SignalSource& array) {
  next_ = 0;
  if (!declared_) {
    declaring_ = true;
    array.probe(*this);  // writes the declarations, records the first values
    declaring_ = false;
    declared_ = true;
    out_ << "$enddefinitions $end\n#" << cycle * ps_per_cycle_ << '\n';
    for (const Var& v : vars_) dump(v);
    return;
  }
  out_ << '#' << cycle * ps_per_cycle_ << '\n';
  array.probe(*this);
  if (next_ != vars_.size()) throw InternalError("VCD: the array reported a different set of signals than in its first cycle");
}

void VcdTrace::begin_scope(const char* name) {
  if (declaring_) out_ << "$scope module " << name << " $end\n";
}

void VcdTrace::end_scope() {
  if (declaring_) out_ << "$upscope $end\n";
}

void VcdTrace::signal(const char* kind, const char* name, int i, int j, int bits, std::int64_t value) {
  if (declaring_) {
    vars_.push_back(Var{vcd_id(vars_.size()), bits, value});
    out_ << "$var " << kind << ' ' << bits << ' ' << vars_.back().id << ' ' << name;
    if (i >= 0) out_ << '_' << i;
    if (j >= 0) out_ << '_' << j;
    out_ << " $end\n";
    ++next_;
    return;
  }
  if (next_ >= vars_.size()) throw InternalError("VCD: the array reported more signals than in its first cycle");
  Var& v = vars_[next_++];
  if (v.last == value) return;
  v.last = value;
  dump(v);
}

void VcdTrace::dump(const Var& v) {
  if (v.bits == 1) {
    out_ << (v.last ? '1' : '0') << v.id << '\n';
  } else {
    std::string bits;
    const std::uint64_t u = std::uint64_t(v.last);
    for (int b = v.bits - 1; b >= 0; --b) bits += (u >> b & 1) ? '1' : '0';
    out_ << 'b' << bits << ' ' << v.id << '\n';
  }
}

void VcdTrace::close() {
  if (!out_.is_open()) return;
  out_.flush();
  const bool written = bool(out_);
  out_.close();
  // A full disk (ENOSPC, EFBIG) shows only here: the stream's buffer hid every failed write.
  if (!written || out_.fail()) throw EnvironmentError(path_ + ": cannot write the VCD file (disk full?)");
  sync_file(path_);  // the caller renames it into place: its data must be on disk first
}

}  // namespace rcsim
