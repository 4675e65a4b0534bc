#pragma once
// One DRAM device preset (energy_models/dram/<name>.yaml): organization, JEDEC timing in clock
// cycles of the DRAM's own clock (tCK), datasheet currents per supply rail, and the controller's
// policy. Every value carries the source it came from. The accepted keys are declared once in
// dram_schema() (group, key with unit suffix, description); loading rejects missing entries,
// unknown keys or units, and values out of range with a one-line ConfigError naming file and key.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rcsim::dram {

/// A time or duration in DRAM clock cycles (tCK of the device).
using Cycle = std::int64_t;

enum class PagePolicy { Open, Closed };
enum class Scheduler { FrFcfs, Fcfs };

/// How the devices are put together. Every count is a power of two.
struct Organization {
  int channels = 1;          ///< independent channels (own command/data bus, own controller queue)
  int ranks = 1;             ///< ranks per channel
  int bank_groups = 1;       ///< bank groups per rank (1 = no bank groups)
  int banks_per_group = 8;
  int rows = 65536;          ///< rows per bank
  int columns = 1024;        ///< columns per row (device-width words)
  int device_width_bits = 16;
  int devices_per_rank = 4;  ///< devices side by side on the channel's data bus
  int burst_length = 8;

  int banks() const { return bank_groups * banks_per_group; }
  int bus_width_bits() const { return device_width_bits * devices_per_rank; }
  /// Bytes one read or write burst moves on a channel (the request granularity).
  int bytes_per_burst() const { return bus_width_bits() / 8 * burst_length; }
  /// Data-bus cycles of one burst (double data rate).
  int burst_cycles() const { return burst_length / 2; }
  /// Bytes of one row across the rank (the row buffer seen by the controller).
  std::int64_t row_bytes() const { return std::int64_t(columns) * bus_width_bits() / 8; }
  std::int64_t capacity_bytes() const {
    return std::int64_t(channels) * ranks * banks() * rows * row_bytes();
  }
};

/// JEDEC timing parameters, in tCK (except tck_ps).
struct Timing {
  std::int64_t tck_ps = 0;  ///< clock period in picoseconds (integer: conversions stay exact)
  int cl = 0;               ///< read latency RL (CAS latency, AL = 0)
  int cwl = 0;              ///< write latency WL
  int trcd = 0, trp = 0, tras = 0, trc = 0;
  int tccd_s = 0, tccd_l = 0;  ///< column-to-column, different / same bank group
  int trrd_s = 0, trrd_l = 0;  ///< activate-to-activate, different / same bank group
  int tfaw = 0;                ///< four-activate window
  int twr = 0;                 ///< write recovery (end of write data to precharge)
  int twtr_s = 0, twtr_l = 0;  ///< end of write data to read, different / same bank group
  int trtp = 0;                ///< read to precharge
  int trtrs = 0;               ///< rank-to-rank data bus turnaround
  int trfc = 0, trefi = 0;     ///< all-bank refresh: duration and interval
  int tcke = 0, txp = 0;       ///< power-down: minimum residency, exit to first command
  int tckesr = 0, txs = 0;     ///< self-refresh: minimum residency, exit to first command
};

/// Datasheet currents of one supply rail (VDD, VPP, VDD1, VDD2, ...), in mA per device, and its
/// voltage. DRAMPower's convention: IDDx of a rail is that rail's current in the IDDx condition.
struct Rail {
  std::string name;  ///< e.g. "vdd"
  double voltage_v = 0;
  double idd0_ma = 0;   ///< one bank ACTIVATE-to-PRECHARGE cycling
  double idd2n_ma = 0;  ///< precharge standby
  double idd2p_ma = 0;  ///< precharge power-down
  double idd3n_ma = 0;  ///< active standby
  double idd3p_ma = 0;  ///< active power-down
  double idd4r_ma = 0;  ///< burst read
  double idd4w_ma = 0;  ///< burst write
  double idd5b_ma = 0;  ///< burst (all-bank) refresh
  double idd6_ma = 0;   ///< self-refresh
};

/// The memory controller's policy: not device properties, so no datasheet backs them.
struct ControllerPolicy {
  PagePolicy page_policy = PagePolicy::Open;
  Scheduler scheduler = Scheduler::FrFcfs;
  int queue_depth = 32;  ///< admitted requests per channel (read and write share it)
  /// DRAMsim3's notation: six two-letter fields, most significant first (ro ch ra bg ba co).
  std::string address_mapping = "rorabacobgch";
  Cycle powerdown_idle_ck = 0;     ///< idle cycles before power-down entry (0 = never)
  Cycle self_refresh_idle_ck = 0;  ///< idle cycles before self-refresh entry (0 = never)
};

struct DramConfig {
  std::string origin;  ///< file it was read from (for messages); not compared
  std::string name;    ///< e.g. "ddr4-3200"
  std::string standard;  ///< "DDR4", "LPDDR4", ... (documentation only)
  std::string description;
  Organization org;
  Timing timing;
  std::vector<Rail> rails;
  ControllerPolicy controller;
  /// "<group>.<key>" (or "power.<rail>.<key>") → source text of that value.
  std::map<std::string, std::string> sources;

  /// Data-bus peak of all channels: bytes per burst every burst_cycles tCK.
  double peak_bytes_per_s() const;
  double tck_s() const { return double(timing.tck_ps) * 1e-12; }
};

/// How a scalar entry is read and checked.
enum class EntryKind {
  Count,    ///< positive integer, power of two (organization)
  Int,      ///< positive integer
  IntZero,  ///< integer >= 0 (0 disables)
  Current,  ///< mA >= 0
  Voltage,  ///< V > 0
  Word,     ///< one of a fixed set of words
};

struct EntrySpec {
  const char* group;  ///< YAML section: organization, timing, rail (any power.<rail>), controller
  const char* key;    ///< key including its unit suffix, e.g. "trcd_ck"
  const char* unit;   ///< unit suffix of `key` ("" for words and counts)
  EntryKind kind;
  const char* description;
};

/// Every entry a preset must have, in file order.
const std::vector<EntrySpec>& dram_schema();

/// Parses and validates a preset; `origin` names it in errors.
DramConfig parse_dram_config(const std::string& yaml_text, const std::string& origin);

/// A shipped preset name ("ddr4-3200", embedded in the binary) or a path to a YAML file.
DramConfig load_dram_config(const std::string& name_or_path);

/// Names of the shipped presets (energy_models/dram/*.yaml).
std::vector<std::string> builtin_dram_config_names();

/// Every value as text with its key ("timing.trcd_ck", "power.vdd.idd0_ma", ...) and source, in
/// file order: what `rcsim dram --show` prints.
struct ConfigValue {
  std::string key, value, source;
};
std::vector<ConfigValue> dram_config_values(const DramConfig& c);

/// Checks the relations between values (called by parse; call it again after editing a config in
/// code). Throws ConfigError "<origin>: <what>".
void validate_dram_config(const DramConfig& c);

}  // namespace rcsim::dram
