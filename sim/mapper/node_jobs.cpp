#include "mapper/node_jobs.h"

#include "core/errors.h"

namespace rcsim {

std::vector<NodeJob> node_jobs(const Network& net, std::size_t i, int k) {
  const Layer& l = net.layers.at(i);
  if (!l.has_weights()) throw InternalError("node_jobs: layer '" + l.name + "' has no weights");
  const int in_t = l.in_ids[0];
  const ChannelGroups& in_groups = net.groups_of(in_t);
  const ChannelGroups& out_groups = net.groups_of(int(i));
  const std::vector<int>& outs = net.active_channels(int(i), k);
  std::vector<NodeJob> jobs;
  if (l.kind == LayerKind::Fc) {
    // Features of the flattened input: the active channels' planes, in compact order.
    const std::vector<int> features = net.active_features(i, k);
    const Shape3& s = net.tensor_shape(in_t);
    const int plane = s.h * s.w;
    NodeJob j;
    j.g = GemmView{1, std::int64_t(features.size()), std::int64_t(outs.size())};
    for (std::size_t f = 0; f < features.size(); ++f) {
      j.in_pos.push_back(int(f));
      j.rows.row_group.push_back(std::uint8_t(in_groups.group(features[f] / plane)));
      j.rows.row_slot.push_back(features[f]);
    }
    for (std::size_t o = 0; o < outs.size(); ++o) {
      j.out_channels.push_back(outs[o]);
      j.out_pos.push_back(int(o));
      j.rows.col_group.push_back(std::uint8_t(out_groups.group(outs[o])));
    }
    jobs.push_back(std::move(j));
    return jobs;
  }
  const int kk = l.kernel_h * l.kernel_w;
  const int per = l.in.c / l.groups, outs_per = l.out.c / l.groups;
  const std::vector<int>& ins = net.active_channels(in_t, k);
  const std::int64_t M = std::int64_t(l.out.h) * l.out.w;
  for (int g = 0; g < l.groups; ++g) {
    NodeJob j;
    j.kk = kk;
    j.conv_group = g;
    for (std::size_t o = 0; o < outs.size(); ++o)
      if (outs[o] / outs_per == g) {
        j.out_channels.push_back(outs[o]);
        j.out_pos.push_back(int(o));
        j.rows.col_group.push_back(std::uint8_t(out_groups.group(outs[o])));
      }
    if (j.out_channels.empty()) continue;
    for (std::size_t p = 0; p < ins.size(); ++p) {
      const int c = ins[p];
      if (c / per != g) continue;
      j.in_pos.push_back(int(p));
      for (int r = 0; r < kk; ++r) {
        j.rows.row_group.push_back(std::uint8_t(in_groups.group(c)));
        j.rows.row_slot.push_back((c - g * per) * kk + r);
      }
    }
    j.g = GemmView{M, std::int64_t(j.in_pos.size()) * kk, std::int64_t(j.out_channels.size())};
    jobs.push_back(std::move(j));
  }
  return jobs;
}

}  // namespace rcsim
