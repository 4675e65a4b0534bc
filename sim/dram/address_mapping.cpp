#include "dram/address_mapping.h"

#include "core/errors.h"

namespace rcsim::dram {

namespace {
int log2_exact(std::int64_t v) {
  int b = 0;
  while ((std::int64_t(1) << b) < v) ++b;
  return b;
}
}  // namespace

AddressMapping::AddressMapping(const std::string& fields, const Organization& org) : fields_(fields) {
  static const char* names[NumFields] = {"ch", "ra", "bg", "ba", "ro", "co"};
  if (fields.size() != 12)
    throw ConfigError("'" + fields + "' must be six two-letter fields (ch ra bg ba ro co), most significant first");
  width_[Ch] = log2_exact(org.channels);
  width_[Ra] = log2_exact(org.ranks);
  width_[Bg] = log2_exact(org.bank_groups);
  width_[Ba] = log2_exact(org.banks_per_group);
  width_[Ro] = log2_exact(org.rows);
  width_[Co] = log2_exact(org.columns / org.burst_length);
  shift_ = log2_exact(org.bytes_per_burst());
  bool seen[NumFields] = {};
  int pos = 0;
  for (int i = 10; i >= 0; i -= 2) {  // least significant field last in the string
    const std::string tok = fields.substr(std::size_t(i), 2);
    int f = -1;
    for (int k = 0; k < NumFields; ++k)
      if (tok == names[k]) f = k;
    if (f < 0) throw ConfigError("'" + fields + "': unknown field '" + tok + "' (fields: ch ra bg ba ro co)");
    if (seen[f]) throw ConfigError("'" + fields + "': field '" + tok + "' appears twice");
    seen[f] = true;
    pos_[f] = pos;
    pos += width_[f];
  }
}

DramAddress AddressMapping::decode(std::uint64_t addr) const {
  const std::uint64_t a = addr >> shift_;
  auto get = [&](Field f) { return int((a >> pos_[f]) & ((std::uint64_t(1) << width_[f]) - 1)); };
  DramAddress d;
  d.channel = get(Ch);
  d.rank = get(Ra);
  d.bank_group = get(Bg);
  d.bank = get(Ba);
  d.row = get(Ro);
  d.column = get(Co);
  return d;
}

std::uint64_t AddressMapping::encode(const DramAddress& d) const {
  auto put = [&](Field f, int v) { return (std::uint64_t(v) & ((std::uint64_t(1) << width_[f]) - 1)) << pos_[f]; };
  const std::uint64_t a = put(Ch, d.channel) | put(Ra, d.rank) | put(Bg, d.bank_group) | put(Ba, d.bank) |
                          put(Ro, d.row) | put(Co, d.column);
  return a << shift_;
}

}  // namespace rcsim::dram
