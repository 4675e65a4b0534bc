#include "mapper/arch_params.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/embedded_workloads.h"
#include "core/errors.h"
#include "core/yaml_util.h"

namespace rcsim {

const char* to_string(TimingMode t) { return t == TimingMode::Overlapped ? "overlapped" : "scalesim"; }
const char* to_string(BankGating g) { return g == BankGating::Retention ? "retention" : "off"; }

namespace {
// "ws (weight-stationary), os (...), is (input-stationary; timing: scalesim only)", from the catalog.
const char* dataflow_field_description() {
  static const std::string d = [] {
    std::string s;
    for (const DataflowInfo& f : dataflow_catalog())
      s += std::string(s.empty() ? "" : ", ") + f.name + " (" + f.description +
           (f.scalesim_timing_only ? "; timing: scalesim only" : "") + ")";
    return s;
  }();
  return d.c_str();
}
}  // namespace

const std::vector<ArchFieldDescription>& arch_field_descriptions() {
  static const std::vector<ArchFieldDescription> d{
      {"name", "", "architecture name (reports)"},
      {"technology", "", "energy table: energy_models/<technology>.yaml"},
      {"clock_hz", "Hz", "clock frequency"},
      {"precision", "bits", "operand precision of weights and activations (8 or 16)"},
      {"timing", "", "overlapped (next fold preloads during compute) or scalesim (serialized folds, SCALE-Sim v2 counts)"},
      {"array.rows", "PEs", "PE-array rows R (reduction dimension in WS)"},
      {"array.cols", "PEs", "PE-array columns C (output channels in WS)"},
      {"array.dataflow", "", dataflow_field_description()},
      {"weight_sram.size_bytes", "bytes", "weight SRAM capacity (all banks)"},
      {"weight_sram.banks", "banks", "number of banks; split evenly among the width groups"},
      {"weight_sram.word_bits", "bits", "bank word width (one read returns one word)"},
      {"weight_sram.gating", "", "state of banks of inactive width groups: retention (drowsy) or off (power-gated)"},
      {"act_buffer.size_bytes", "bytes", "activation ping-pong buffer capacity (both halves)"},
      {"act_buffer.word_bits", "bits", "activation buffer word width (SRAM macro sizing; counters count one access per activation)"},
      {"dram.bandwidth_bytes_per_cycle", "bytes/cycle", "off-chip bandwidth"},
      {"dram.latency_cycles", "cycles", "off-chip access latency"},
  };
  return d;
}

namespace {

// Applies `a.b.c=value` to the YAML tree; the path must name a known field.
void apply_override(YAML::Node root, const std::string& kv, const std::string& origin) {
  const auto eq = kv.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError("--set '" + kv + "': expected path=value (e.g. array.rows=8)");
  const std::string path = kv.substr(0, eq), value = kv.substr(eq + 1);
  bool known = false;
  for (const auto& f : arch_field_descriptions()) known |= path == f.path;
  if (!known) throw ConfigError("--set " + path + ": unknown architecture field (see docs/accelerator.md)");
  std::vector<std::string> parts;
  for (std::size_t s = 0;;) {
    const auto dot = path.find('.', s);
    parts.push_back(path.substr(s, dot - s));
    if (dot == std::string::npos) break;
    s = dot + 1;
  }
  std::vector<YAML::Node> chain{root};
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    YAML::Node next = chain.back()[parts[i]];
    chain.push_back(next);
  }
  chain.back()[parts.back()] = value;
}

}  // namespace

void validate_arch(const ArchParams& a, const std::string& o) {
  auto fail = [&](const std::string& field, const std::string& rule) {
    throw ConfigError(o + ": " + field + ": " + rule);
  };
  if (!(a.clock_hz > 0) || !std::isfinite(a.clock_hz)) fail("clock_hz", "must be positive");
  if (a.rows <= 0 || a.rows > 1024) fail("array.rows", "must be in 1..1024 (got " + std::to_string(a.rows) + ")");
  if (a.cols <= 0 || a.cols > 1024) fail("array.cols", "must be in 1..1024 (got " + std::to_string(a.cols) + ")");
  if (a.precision != 8 && a.precision != 16) fail("precision", "must be 8 or 16 (got " + std::to_string(a.precision) + ")");
  if (a.wsram_banks <= 0) fail("weight_sram.banks", "must be positive (got " + std::to_string(a.wsram_banks) + ")");
  if (a.wsram_word_bits < a.precision || a.wsram_word_bits % a.precision != 0)
    fail("weight_sram.word_bits", "must be a positive multiple of the precision (got " + std::to_string(a.wsram_word_bits) + ")");
  if (a.wsram_bytes < a.fold_weight_bytes())
    fail("weight_sram.size_bytes", "too small for one fold's weights (" + std::to_string(a.fold_weight_bytes()) +
                                       " bytes for a " + std::to_string(a.rows) + "x" + std::to_string(a.cols) +
                                       " array; got " + std::to_string(a.wsram_bytes) + ")");
  if (a.wsram_bytes % a.wsram_banks != 0) fail("weight_sram.size_bytes", "must be a multiple of weight_sram.banks");
  if (a.act_word_bits <= 0 || a.act_word_bits % 8 != 0)
    fail("act_buffer.word_bits", "must be a positive multiple of 8 (got " + std::to_string(a.act_word_bits) + ")");
  if (a.act_bytes < 2LL * a.rows * a.precision / 8)
    fail("act_buffer.size_bytes", "too small for one fold's operands (got " + std::to_string(a.act_bytes) + ")");
  if (!(a.dram_bytes_per_cycle > 0) || !std::isfinite(a.dram_bytes_per_cycle))
    fail("dram.bandwidth_bytes_per_cycle", "must be positive");
  if (a.dram_latency_cycles < 0) fail("dram.latency_cycles", "must not be negative");
  if (a.dataflow.info().scalesim_timing_only && a.timing != TimingMode::ScaleSim)
    fail("array.dataflow", std::string("'") + a.dataflow.name() + "' (" + a.dataflow.info().description +
                               ") runs only with timing: scalesim (use --set timing=scalesim)");
}

ArchParams parse_arch(const std::string& text, const std::string& o,
                      const std::vector<std::string>& overrides) {
  YAML::Node root = yaml::parse(text, o);
  if (!root || root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  for (const auto& kv : overrides) apply_override(root, kv, o);
  yaml::check_keys(root, o, "", {"name", "technology", "clock_hz", "precision", "timing", "array",
                                 "weight_sram", "act_buffer", "dram"});
  ArchParams a;
  a.name = yaml::get_string(root, o, "", "name", a.name);
  a.technology = yaml::get_string(root, o, "", "technology", a.technology);
  a.clock_hz = yaml::get_double(root, o, "", "clock_hz", a.clock_hz);
  a.precision = yaml::get_int(root, o, "", "precision", a.precision);
  const std::string timing = yaml::get_string(root, o, "", "timing", "overlapped");
  if (timing == "overlapped") a.timing = TimingMode::Overlapped;
  else if (timing == "scalesim") a.timing = TimingMode::ScaleSim;
  else throw ConfigError(o + ": timing: unknown timing mode '" + timing + "' (valid: overlapped, scalesim)");

  if (const YAML::Node n = root["array"]) {
    yaml::check_keys(n, o, "array", {"rows", "cols", "dataflow"});
    a.rows = yaml::get_int(n, o, "array", "rows", a.rows);
    a.cols = yaml::get_int(n, o, "array", "cols", a.cols);
    const std::string df = yaml::get_string(n, o, "array", "dataflow", a.dataflow.name());
    if (!Dataflow::parse(df, a.dataflow))
      throw ConfigError(o + ": array.dataflow: unknown dataflow '" + df + "' (valid: " + dataflow_names() + ")");
  }
  if (const YAML::Node n = root["weight_sram"]) {
    yaml::check_keys(n, o, "weight_sram", {"size_bytes", "banks", "word_bits", "gating"});
    a.wsram_bytes = static_cast<std::int64_t>(yaml::get_double(n, o, "weight_sram", "size_bytes", double(a.wsram_bytes)));
    a.wsram_banks = yaml::get_int(n, o, "weight_sram", "banks", a.wsram_banks);
    a.wsram_word_bits = yaml::get_int(n, o, "weight_sram", "word_bits", a.wsram_word_bits);
    const std::string g = yaml::get_string(n, o, "weight_sram", "gating", "retention");
    if (g == "retention") a.gating = BankGating::Retention;
    else if (g == "off") a.gating = BankGating::Off;
    else throw ConfigError(o + ": weight_sram.gating: unknown policy '" + g + "' (valid: retention, off)");
  }
  if (const YAML::Node n = root["act_buffer"]) {
    yaml::check_keys(n, o, "act_buffer", {"size_bytes", "word_bits"});
    a.act_bytes = static_cast<std::int64_t>(yaml::get_double(n, o, "act_buffer", "size_bytes", double(a.act_bytes)));
    a.act_word_bits = yaml::get_int(n, o, "act_buffer", "word_bits", a.act_word_bits);
  }
  if (const YAML::Node n = root["dram"]) {
    yaml::check_keys(n, o, "dram", {"bandwidth_bytes_per_cycle", "latency_cycles"});
    a.dram_bytes_per_cycle = yaml::get_double(n, o, "dram", "bandwidth_bytes_per_cycle", a.dram_bytes_per_cycle);
    a.dram_latency_cycles = yaml::get_int(n, o, "dram", "latency_cycles", a.dram_latency_cycles);
  }
  validate_arch(a, o);
  return a;
}

ArchParams load_arch(const std::string& name_or_path, const std::vector<std::string>& overrides) {
  namespace fs = std::filesystem;
  auto ends_with = [&](const std::string& suffix) {
    return name_or_path.size() > suffix.size() &&
           name_or_path.compare(name_or_path.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  const bool looks_like_file = fs::exists(name_or_path) || ends_with(".yaml") || ends_with(".yml");
  if (!looks_like_file) {
    if (const std::string* text = embedded::find("arch/" + name_or_path + ".yaml"))
      return parse_arch(*text, "arch " + name_or_path, overrides);
    throw ConfigError("unknown architecture '" + name_or_path + "' (not a file, not a shipped arch in workloads/arch)");
  }
  std::ifstream in(name_or_path, std::ios::binary);
  if (!in) throw ConfigError(name_or_path + ": cannot open file");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_arch(ss.str(), name_or_path, overrides);
}

}  // namespace rcsim
