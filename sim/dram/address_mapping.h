#pragma once
// Physical address → (channel, rank, bank group, bank, row, column), in DRAMsim3's notation so a
// trace replayed there with the same `address_mapping` string decodes identically: six
// two-letter fields, most significant first (ch ra bg ba ro co), each as wide as log2 of its
// count; the column field counts bursts (columns / burst_length); the lowest log2(bytes per
// burst) bits select a byte inside the burst. Address bits above the capacity are ignored.
#include <cstdint>
#include <string>

#include "dram/dram_config.h"

namespace rcsim::dram {

struct DramAddress {
  int channel = 0, rank = 0, bank_group = 0, bank = 0;  ///< bank: index inside its group
  int row = 0;
  int column = 0;  ///< burst index inside the row
  bool operator==(const DramAddress& o) const {
    return channel == o.channel && rank == o.rank && bank_group == o.bank_group && bank == o.bank &&
           row == o.row && column == o.column;
  }
};

class AddressMapping {
 public:
  /// Throws ConfigError (without origin) on a malformed string: wrong length, unknown or repeated field.
  AddressMapping(const std::string& fields, const Organization& org);
  DramAddress decode(std::uint64_t addr) const;
  /// The lowest address that decodes to `a` (byte 0 of the burst).
  std::uint64_t encode(const DramAddress& a) const;
  const std::string& fields() const { return fields_; }

 private:
  enum Field { Ch, Ra, Bg, Ba, Ro, Co, NumFields };
  std::string fields_;
  int shift_ = 0;                 // log2(bytes per burst)
  int pos_[NumFields] = {};       // lowest bit of each field (above shift_)
  int width_[NumFields] = {};
};

}  // namespace rcsim::dram
