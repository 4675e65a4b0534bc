#include "dram/dram_config.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <mutex>
#include <set>

#include "core/errors.h"
#include "core/yaml_source.h"
#include "core/yaml_util.h"
#include "dram/address_mapping.h"

namespace rcsim::dram {

const std::vector<EntrySpec>& dram_schema() {
  using K = EntryKind;
  static const std::vector<EntrySpec> schema = {
      {"organization", "channels", "", K::Count, "independent channels"},
      {"organization", "ranks", "", K::Count, "ranks per channel"},
      {"organization", "bank_groups", "", K::Count, "bank groups per rank (1 = none)"},
      {"organization", "banks_per_group", "", K::Count, "banks per bank group"},
      {"organization", "rows", "", K::Count, "rows per bank"},
      {"organization", "columns", "", K::Count, "columns per row"},
      {"organization", "device_width_bits", "bits", K::Count, "data pins of one device"},
      {"organization", "devices_per_rank", "", K::Count, "devices side by side on the data bus"},
      {"organization", "burst_length", "", K::Count, "beats per read or write burst"},
      {"timing", "tck_ps", "ps", K::Int, "clock period"},
      {"timing", "cl_ck", "ck", K::Int, "read latency (CAS latency, AL = 0)"},
      {"timing", "cwl_ck", "ck", K::Int, "write latency"},
      {"timing", "trcd_ck", "ck", K::Int, "ACT to RD/WR, same bank"},
      {"timing", "trp_ck", "ck", K::Int, "PRE to ACT, same bank"},
      {"timing", "tras_ck", "ck", K::Int, "ACT to PRE, same bank"},
      {"timing", "trc_ck", "ck", K::Int, "ACT to ACT, same bank"},
      {"timing", "tccd_s_ck", "ck", K::Int, "RD to RD / WR to WR, different bank group"},
      {"timing", "tccd_l_ck", "ck", K::Int, "RD to RD / WR to WR, same bank group"},
      {"timing", "trrd_s_ck", "ck", K::Int, "ACT to ACT, different bank group"},
      {"timing", "trrd_l_ck", "ck", K::Int, "ACT to ACT, same bank group"},
      {"timing", "tfaw_ck", "ck", K::Int, "window holding at most four ACTs per rank"},
      {"timing", "twr_ck", "ck", K::Int, "end of write data to PRE"},
      {"timing", "twtr_s_ck", "ck", K::Int, "end of write data to RD, different bank group"},
      {"timing", "twtr_l_ck", "ck", K::Int, "end of write data to RD, same bank group"},
      {"timing", "trtp_ck", "ck", K::Int, "RD to PRE"},
      {"timing", "trtrs_ck", "ck", K::IntZero, "data-bus turnaround between ranks"},
      {"timing", "trfc_ck", "ck", K::Int, "all-bank REF to ACT"},
      {"timing", "trefi_ck", "ck", K::Int, "average interval between REF commands"},
      {"timing", "tcke_ck", "ck", K::Int, "minimum power-down residency"},
      {"timing", "txp_ck", "ck", K::Int, "power-down exit to first command"},
      {"timing", "tckesr_ck", "ck", K::Int, "minimum self-refresh residency"},
      {"timing", "txs_ck", "ck", K::Int, "self-refresh exit to first command"},
      {"rail", "voltage_v", "v", K::Voltage, "supply voltage"},
      {"rail", "idd0_ma", "ma", K::Current, "one bank ACTIVATE-PRECHARGE current"},
      {"rail", "idd2n_ma", "ma", K::Current, "precharge standby current"},
      {"rail", "idd2p_ma", "ma", K::Current, "precharge power-down current"},
      {"rail", "idd3n_ma", "ma", K::Current, "active standby current"},
      {"rail", "idd3p_ma", "ma", K::Current, "active power-down current"},
      {"rail", "idd4r_ma", "ma", K::Current, "burst read current"},
      {"rail", "idd4w_ma", "ma", K::Current, "burst write current"},
      {"rail", "idd5b_ma", "ma", K::Current, "burst refresh current"},
      {"rail", "idd6_ma", "ma", K::Current, "self-refresh current"},
      {"controller", "page_policy", "", K::Word, "open | closed"},
      {"controller", "scheduler", "", K::Word, "frfcfs | fcfs"},
      {"controller", "queue_depth", "", K::Int, "requests a channel's queue holds"},
      {"controller", "address_mapping", "", K::Word, "DRAMsim3 notation, e.g. rorabacobgch"},
      {"controller", "powerdown_idle_ck", "ck", K::IntZero, "idle cycles before power-down (0 = never)"},
      {"controller", "self_refresh_idle_ck", "ck", K::IntZero, "idle cycles before self-refresh (0 = never)"},
  };
  return schema;
}

double DramConfig::peak_bytes_per_s() const {
  return double(org.channels) * org.bytes_per_burst() / (org.burst_cycles() * tck_s());
}

namespace {

// Where each scalar goes. Integers and words are stored as read; doubles for currents.
struct Target {
  std::function<void(DramConfig&, double)> num;
  std::function<void(DramConfig&, const std::string&)> word;
  std::function<void(Rail&, double)> rail;
};

const std::map<std::string, Target>& targets() {
  static const std::map<std::string, Target> t = [] {
    std::map<std::string, Target> m;
    auto org = [&](const char* k, int Organization::*f) {
      m[std::string("organization.") + k].num = [f](DramConfig& c, double v) { c.org.*f = int(v); };
    };
    org("channels", &Organization::channels);
    org("ranks", &Organization::ranks);
    org("bank_groups", &Organization::bank_groups);
    org("banks_per_group", &Organization::banks_per_group);
    org("rows", &Organization::rows);
    org("columns", &Organization::columns);
    org("device_width_bits", &Organization::device_width_bits);
    org("devices_per_rank", &Organization::devices_per_rank);
    org("burst_length", &Organization::burst_length);
    m["timing.tck_ps"].num = [](DramConfig& c, double v) { c.timing.tck_ps = std::int64_t(v); };
    auto tim = [&](const char* k, int Timing::*f) {
      m[std::string("timing.") + k].num = [f](DramConfig& c, double v) { c.timing.*f = int(v); };
    };
    tim("cl_ck", &Timing::cl);
    tim("cwl_ck", &Timing::cwl);
    tim("trcd_ck", &Timing::trcd);
    tim("trp_ck", &Timing::trp);
    tim("tras_ck", &Timing::tras);
    tim("trc_ck", &Timing::trc);
    tim("tccd_s_ck", &Timing::tccd_s);
    tim("tccd_l_ck", &Timing::tccd_l);
    tim("trrd_s_ck", &Timing::trrd_s);
    tim("trrd_l_ck", &Timing::trrd_l);
    tim("tfaw_ck", &Timing::tfaw);
    tim("twr_ck", &Timing::twr);
    tim("twtr_s_ck", &Timing::twtr_s);
    tim("twtr_l_ck", &Timing::twtr_l);
    tim("trtp_ck", &Timing::trtp);
    tim("trtrs_ck", &Timing::trtrs);
    tim("trfc_ck", &Timing::trfc);
    tim("trefi_ck", &Timing::trefi);
    tim("tcke_ck", &Timing::tcke);
    tim("txp_ck", &Timing::txp);
    tim("tckesr_ck", &Timing::tckesr);
    tim("txs_ck", &Timing::txs);
    auto rail = [&](const char* k, double Rail::*f) {
      m[std::string("rail.") + k].rail = [f](Rail& r, double v) { r.*f = v; };
    };
    rail("voltage_v", &Rail::voltage_v);
    rail("idd0_ma", &Rail::idd0_ma);
    rail("idd2n_ma", &Rail::idd2n_ma);
    rail("idd2p_ma", &Rail::idd2p_ma);
    rail("idd3n_ma", &Rail::idd3n_ma);
    rail("idd3p_ma", &Rail::idd3p_ma);
    rail("idd4r_ma", &Rail::idd4r_ma);
    rail("idd4w_ma", &Rail::idd4w_ma);
    rail("idd5b_ma", &Rail::idd5b_ma);
    rail("idd6_ma", &Rail::idd6_ma);
    m["controller.page_policy"].word = [](DramConfig& c, const std::string& w) {
      c.controller.page_policy = w == "open" ? PagePolicy::Open : PagePolicy::Closed;
    };
    m["controller.scheduler"].word = [](DramConfig& c, const std::string& w) {
      c.controller.scheduler = w == "frfcfs" ? Scheduler::FrFcfs : Scheduler::Fcfs;
    };
    m["controller.address_mapping"].word = [](DramConfig& c, const std::string& w) {
      c.controller.address_mapping = w;
    };
    m["controller.queue_depth"].num = [](DramConfig& c, double v) { c.controller.queue_depth = int(v); };
    m["controller.powerdown_idle_ck"].num = [](DramConfig& c, double v) { c.controller.powerdown_idle_ck = Cycle(v); };
    m["controller.self_refresh_idle_ck"].num = [](DramConfig& c, double v) {
      c.controller.self_refresh_idle_ck = Cycle(v);
    };
    return m;
  }();
  return t;
}

const std::vector<std::string>& words_of(const std::string& key) {
  static const std::vector<std::string> page = {"open", "closed"}, sched = {"frfcfs", "fcfs"}, none;
  if (key == "page_policy") return page;
  if (key == "scheduler") return sched;
  return none;
}

std::string fmt(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// An unknown key whose stem names a known entry is a unit error, e.g. trcd_ns for trcd_ck.
void check_units_then_keys(const YAML::Node& n, const std::string& origin, const std::string& path,
                           const std::string& group, const std::vector<std::string>& allowed) {
  if (!n.IsMap()) throw ConfigError(origin + ": " + path + ": expected a map");
  for (const auto& kv : n) {
    const std::string key = kv.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    for (const auto& s : dram_schema()) {
      const std::string unit = s.unit, k = s.key;
      if (group != s.group || unit.empty()) continue;
      const std::string stem = k.substr(0, k.size() - unit.size() - 1);
      if (key.rfind(stem + "_", 0) == 0 && key.size() > stem.size() + 1)
        throw ConfigError(origin + ": " + path + "." + key + ": unit '" + key.substr(stem.size() + 1) +
                          "' not accepted (expected '" + k + "')");
    }
  }
  yaml::check_keys(n, origin, path, allowed);
}

struct Scalar {
  YAML::Node value;
  std::string source;
};

Scalar scalar_entry(const YAML::Node& e, const std::string& origin, const std::string& path,
                    const std::string& group_source) {
  Scalar s;
  if (e.IsMap()) {
    yaml::check_keys(e, origin, path, {"value", "source"});
    s.value = e["value"];
    s.source = yaml::get_string(e, origin, path, "source", group_source);
  } else {
    s.value = e;
    s.source = group_source;
  }
  if (!s.value || !s.value.IsScalar()) throw ConfigError(origin + ": " + path + ": expected a value");
  if (s.source.empty())
    throw ConfigError(origin + ": " + path + ": no source (give 'source:' on the entry or its group)");
  return s;
}

double number(const YAML::Node& v, const std::string& origin, const std::string& path) {
  double d = 0;
  try {
    d = v.as<double>();
  } catch (const YAML::Exception&) {
    throw ConfigError(origin + ": " + path + ": expected a number (got '" + v.Scalar() + "')");
  }
  if (!std::isfinite(d)) throw ConfigError(origin + ": " + path + ": must be a finite number");
  return d;
}

double checked(const YAML::Node& v, const EntrySpec& s, const std::string& origin, const std::string& path) {
  const double d = number(v, origin, path);
  const bool integral = d == std::floor(d) && std::fabs(d) < 9e15;
  switch (s.kind) {
    case EntryKind::Count:
      if (!integral || d < 1 || d > (1 << 30) || (std::int64_t(d) & (std::int64_t(d) - 1)) != 0)
        throw ConfigError(origin + ": " + path + ": " + fmt(d) + " is not a positive power of two");
      break;
    case EntryKind::Int:
      if (!integral || d < 1) throw ConfigError(origin + ": " + path + ": " + fmt(d) + " is not a positive integer");
      break;
    case EntryKind::IntZero:
      if (!integral || d < 0) throw ConfigError(origin + ": " + path + ": " + fmt(d) + " is not an integer >= 0");
      break;
    case EntryKind::Current:
      if (d < 0) throw ConfigError(origin + ": " + path + ": negative current " + fmt(d) + " (must be >= 0)");
      break;
    case EntryKind::Voltage:
      if (d <= 0) throw ConfigError(origin + ": " + path + ": " + fmt(d) + " V (must be > 0)");
      break;
    case EntryKind::Word:
      break;
  }
  return d;
}

void parse_group(const YAML::Node& gn, const std::string& origin, const std::string& group,
                 const std::string& path, DramConfig& c, Rail* rail) {
  std::vector<std::string> allowed = {"source"};
  for (const auto& s : dram_schema())
    if (group == s.group) allowed.push_back(s.key);
  check_units_then_keys(gn, origin, path, group, allowed);
  const std::string group_source = yaml::get_string(gn, origin, path, "source", "");
  for (const auto& s : dram_schema()) {
    if (group != s.group) continue;
    const std::string p = path + "." + s.key;
    const YAML::Node e = gn[s.key];
    if (!e) throw ConfigError(origin + ": " + p + ": missing required entry (" + s.description + ")");
    const Scalar sc = scalar_entry(e, origin, p, group_source);
    const Target& t = targets().at(group + "." + s.key);
    if (s.kind == EntryKind::Word) {
      const std::string w = sc.value.Scalar();
      const auto& words = words_of(s.key);
      if (!words.empty() && std::find(words.begin(), words.end(), w) == words.end()) {
        std::string list;
        for (const auto& x : words) list += (list.empty() ? "" : ", ") + x;
        throw ConfigError(origin + ": " + p + ": '" + w + "' is not one of " + list);
      }
      t.word(c, w);
    } else {
      const double v = checked(sc.value, s, origin, p);
      if (rail)
        t.rail(*rail, v);
      else
        t.num(c, v);
    }
    c.sources[p] = sc.source;
  }
}

}  // namespace

void validate_dram_config(const DramConfig& c) {
  const std::string& o = c.origin;
  const Organization& g = c.org;
  const Timing& t = c.timing;
  auto fail = [&](const std::string& what) { throw ConfigError(o + ": " + what); };
  if (g.burst_length < 2) fail("organization.burst_length: must be >= 2 (double data rate)");
  if (g.columns < g.burst_length)
    fail("organization.columns (" + std::to_string(g.columns) + ") must be >= burst_length (" +
         std::to_string(g.burst_length) + ")");
  if (g.bus_width_bits() % 8 != 0) fail("organization: bus width " + std::to_string(g.bus_width_bits()) +
                                        " bits (device_width_bits x devices_per_rank) is not whole bytes");
  if (t.tras > t.trc) fail("timing.tras_ck (" + std::to_string(t.tras) + ") exceeds trc_ck (" + std::to_string(t.trc) + ")");
  if (t.trfc >= t.trefi) fail("timing.trfc_ck (" + std::to_string(t.trfc) + ") must be < trefi_ck (" + std::to_string(t.trefi) + ")");
  if (t.tccd_s > t.tccd_l) fail("timing.tccd_s_ck must be <= tccd_l_ck");
  if (t.trrd_s > t.trrd_l) fail("timing.trrd_s_ck must be <= trrd_l_ck");
  if (t.twtr_s > t.twtr_l) fail("timing.twtr_s_ck must be <= twtr_l_ck");
  if (c.rails.empty()) fail("power: at least one supply rail is required");
  for (const Rail& r : c.rails) {
    const std::string p = "power." + r.name + ".";
    // DRAMPower subtracts the background current from each command's current: a command current
    // below it would be a negative energy, i.e. a transcription error.
    auto ge = [&](double a, const char* an, double b, const char* bn) {
      if (a < b) fail(p + an + " (" + fmt(a) + " mA) is below " + bn + " (" + fmt(b) + " mA)");
    };
    ge(r.idd0_ma, "idd0_ma", r.idd3n_ma, "idd3n_ma");
    ge(r.idd0_ma, "idd0_ma", r.idd2n_ma, "idd2n_ma");
    ge(r.idd4r_ma, "idd4r_ma", r.idd3n_ma, "idd3n_ma");
    ge(r.idd4w_ma, "idd4w_ma", r.idd3n_ma, "idd3n_ma");
    ge(r.idd5b_ma, "idd5b_ma", r.idd3n_ma, "idd3n_ma");
  }
  if (c.controller.queue_depth < 1) fail("controller.queue_depth: must be >= 1");
  try {
    AddressMapping m(c.controller.address_mapping, g);
  } catch (const ConfigError& e) {
    fail(std::string("controller.address_mapping: ") + e.what());
  }
}

DramConfig parse_dram_config(const std::string& text, const std::string& origin) {
  const YAML::Node root = yaml::parse(text, origin);
  yaml::check_keys(root, origin, "",
                   {"name", "standard", "description", "organization", "timing", "power", "controller"});
  DramConfig c;
  c.origin = origin;
  c.name = yaml::get_string(root, origin, "", "name");
  c.standard = yaml::get_string(root, origin, "", "standard");
  c.description = yaml::get_string(root, origin, "", "description", "");
  for (const char* g : {"organization", "timing", "controller"}) {
    const YAML::Node gn = root[g];
    if (!gn) throw ConfigError(origin + ": " + g + ": missing required section");
    parse_group(gn, origin, g, g, c, nullptr);
  }
  const YAML::Node power = root["power"];
  if (!power) throw ConfigError(origin + ": power: missing required section");
  if (!power.IsMap() || power.size() == 0)
    throw ConfigError(origin + ": power: expected a map of supply rails (e.g. vdd: {...})");
  std::set<std::string> seen;
  for (const auto& kv : power) {
    Rail r;
    r.name = kv.first.as<std::string>();
    if (!seen.insert(r.name).second) throw ConfigError(origin + ": power." + r.name + ": duplicate rail");
    parse_group(kv.second, origin, "rail", "power." + r.name, c, &r);
    c.rails.push_back(r);
  }
  validate_dram_config(c);
  return c;
}

DramConfig load_dram_config(const std::string& name_or_path) {
  if (const auto src = find_yaml_source(name_or_path, "dram")) {
    // Parsed once per distinct text: the accelerator loads its preset for every run (every
    // inference of `rcsim bench`), and parsing the YAML cost more than a LeNet inference in fast
    // mode. Keyed by origin and full text, so an edited file is parsed again; errors are not cached.
    static std::mutex mutex;
    static std::map<std::pair<std::string, std::string>, DramConfig> parsed;
    const std::lock_guard<std::mutex> lock(mutex);
    auto key = std::make_pair(src->origin, src->text);
    auto it = parsed.find(key);
    if (it == parsed.end()) it = parsed.emplace(std::move(key), parse_dram_config(src->text, src->origin)).first;
    return it->second;
  }
  throw InputError("unknown DRAM preset '" + name_or_path + "' (shipped: " + join_names(builtin_dram_config_names()) +
                   "; or give a path to a .yaml file)");
}

std::vector<std::string> builtin_dram_config_names() { return shipped_yaml_names("dram"); }

std::vector<ConfigValue> dram_config_values(const DramConfig& c) {
  // Each field rendered by its schema key; a key missing here throws std::out_of_range, which
  // DramConfig.ValuesListCoversTheSchema would catch.
  const Organization& g = c.org;
  const Timing& t = c.timing;
  const ControllerPolicy& p = c.controller;
  const std::map<std::string, std::string> v = {
      {"organization.channels", std::to_string(g.channels)},
      {"organization.ranks", std::to_string(g.ranks)},
      {"organization.bank_groups", std::to_string(g.bank_groups)},
      {"organization.banks_per_group", std::to_string(g.banks_per_group)},
      {"organization.rows", std::to_string(g.rows)},
      {"organization.columns", std::to_string(g.columns)},
      {"organization.device_width_bits", std::to_string(g.device_width_bits)},
      {"organization.devices_per_rank", std::to_string(g.devices_per_rank)},
      {"organization.burst_length", std::to_string(g.burst_length)},
      {"timing.tck_ps", std::to_string(t.tck_ps)},
      {"timing.cl_ck", std::to_string(t.cl)},
      {"timing.cwl_ck", std::to_string(t.cwl)},
      {"timing.trcd_ck", std::to_string(t.trcd)},
      {"timing.trp_ck", std::to_string(t.trp)},
      {"timing.tras_ck", std::to_string(t.tras)},
      {"timing.trc_ck", std::to_string(t.trc)},
      {"timing.tccd_s_ck", std::to_string(t.tccd_s)},
      {"timing.tccd_l_ck", std::to_string(t.tccd_l)},
      {"timing.trrd_s_ck", std::to_string(t.trrd_s)},
      {"timing.trrd_l_ck", std::to_string(t.trrd_l)},
      {"timing.tfaw_ck", std::to_string(t.tfaw)},
      {"timing.twr_ck", std::to_string(t.twr)},
      {"timing.twtr_s_ck", std::to_string(t.twtr_s)},
      {"timing.twtr_l_ck", std::to_string(t.twtr_l)},
      {"timing.trtp_ck", std::to_string(t.trtp)},
      {"timing.trtrs_ck", std::to_string(t.trtrs)},
      {"timing.trfc_ck", std::to_string(t.trfc)},
      {"timing.trefi_ck", std::to_string(t.trefi)},
      {"timing.tcke_ck", std::to_string(t.tcke)},
      {"timing.txp_ck", std::to_string(t.txp)},
      {"timing.tckesr_ck", std::to_string(t.tckesr)},
      {"timing.txs_ck", std::to_string(t.txs)},
      {"controller.page_policy", p.page_policy == PagePolicy::Open ? "open" : "closed"},
      {"controller.scheduler", p.scheduler == Scheduler::FrFcfs ? "frfcfs" : "fcfs"},
      {"controller.queue_depth", std::to_string(p.queue_depth)},
      {"controller.address_mapping", p.address_mapping},
      {"controller.powerdown_idle_ck", std::to_string(p.powerdown_idle_ck)},
      {"controller.self_refresh_idle_ck", std::to_string(p.self_refresh_idle_ck)},
  };
  auto source = [&](const std::string& key) {
    const auto it = c.sources.find(key);
    return it == c.sources.end() ? std::string("(set in code)") : it->second;
  };
  std::vector<ConfigValue> out;
  for (const char* group : {"organization", "timing"})
    for (const auto& s : dram_schema())
      if (std::string(group) == s.group) {
        const std::string key = std::string(group) + "." + s.key;
        out.push_back({key, v.at(key), source(key)});
      }
  for (const Rail& r : c.rails) {
    const std::map<std::string, double> rv = {
        {"voltage_v", r.voltage_v}, {"idd0_ma", r.idd0_ma},   {"idd2n_ma", r.idd2n_ma}, {"idd2p_ma", r.idd2p_ma},
        {"idd3n_ma", r.idd3n_ma},   {"idd3p_ma", r.idd3p_ma}, {"idd4r_ma", r.idd4r_ma}, {"idd4w_ma", r.idd4w_ma},
        {"idd5b_ma", r.idd5b_ma},   {"idd6_ma", r.idd6_ma}};
    for (const auto& s : dram_schema())
      if (std::string("rail") == s.group) {
        const std::string key = "power." + r.name + "." + s.key;
        out.push_back({key, fmt(rv.at(s.key)), source(key)});
      }
  }
  for (const auto& s : dram_schema())
    if (std::string("controller") == s.group) {
      const std::string key = std::string("controller.") + s.key;
      out.push_back({key, v.at(key), source(key)});
    }
  return out;
}

}  // namespace rcsim::dram
