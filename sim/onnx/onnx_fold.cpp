#include "onnx/onnx_fold.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "core/errors.h"

namespace rcsim {
namespace {

using Dims = std::vector<std::int64_t>;

struct Folder {
  const OnnxNode& n;
  const std::string& source;

  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(onnx_printable(source) + ": " + n.label() + ": " + what);
  }

  std::int64_t count(const Dims& dims) const {
    std::int64_t c = 1;
    for (auto d : dims) {
      if (d < 0) fail("negative dimension " + std::to_string(d));
      if (d != 0 && c > kOnnxMaxFoldElements / d)
        fail("constant result larger than " + std::to_string(kOnnxMaxFoldElements) + " elements");
      c *= d;
    }
    return c;
  }

  /// `axis` in [-rank, rank) as [0, rank).
  std::int64_t axis(std::int64_t a, std::int64_t rank) const {
    if (a < -rank || a >= rank)
      fail("axis " + std::to_string(a) + " is out of range for rank " + std::to_string(rank));
    return a < 0 ? a + rank : a;
  }

  const OnnxTensor& in(const std::vector<const OnnxTensor*>& v, std::size_t i) const {
    if (i >= v.size() || !v[i]) fail("input " + std::to_string(i) + " is missing");
    return *v[i];
  }

  Dims ints(const OnnxTensor& t) const {
    Dims out;
    for (float v : t.values) out.push_back(onnx_to_int(v));
    return out;
  }
};

Dims strides_of(const Dims& dims) {
  Dims s(dims.size(), 1);
  for (std::size_t i = dims.size(); i-- > 1;) s[i - 1] = s[i] * dims[i];
  return s;
}

std::int64_t product(const Dims& d, std::size_t from, std::size_t to) {
  std::int64_t p = 1;
  for (std::size_t i = from; i < to; ++i) p *= d[i];
  return p;
}

/// Axes from input `index` (opset >= `input_from`) or the attribute "axes" (earlier opsets).
bool axes_of(const Folder& f, const std::vector<const OnnxTensor*>& in, std::size_t index,
             std::int64_t opset, std::int64_t input_from, Dims& axes) {
  if (opset >= input_from) {
    if (index >= in.size() || !in[index]) return false;
    axes = f.ints(*in[index]);
    return true;
  }
  if (!f.n.has("axes")) return false;
  axes = f.n.get_ints("axes", {});
  return true;
}

}  // namespace

std::int64_t onnx_to_int(float v) {
  // 2^63 as float; int64 tensors are held as float, so INT64_MIN/MAX (Slice's "to the end")
  // arrive as +-2^63 and saturate.
  constexpr float kLimit = 9.2233720368547758e18f;
  if (std::isnan(v)) return 0;
  if (v >= kLimit) return std::numeric_limits<std::int64_t>::max();
  if (v <= -kLimit) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(v);
}

bool is_foldable_op(const std::string& op) {
  static const std::set<std::string> ops = {"Shape",   "Gather", "Unsqueeze", "Squeeze",         "Concat",
                                            "Cast",    "Reshape", "Slice",    "ConstantOfShape", "Transpose"};
  return ops.count(op) != 0;
}

OnnxTensor fold_constant_node(const OnnxNode& n, const std::vector<const OnnxTensor*>& in,
                              const Dims& input0_dims, std::int64_t opset, const std::string& source) {
  const Folder f{n, source};
  const std::string& op = n.op_type;
  OnnxTensor out;

  if (op == "Shape") {
    const auto rank = std::int64_t(input0_dims.size());
    auto clampi = [&](std::int64_t v) { return std::clamp(v < 0 ? v + rank : v, std::int64_t(0), rank); };
    const std::int64_t start = clampi(n.get_int("start", 0)), end = clampi(n.get_int("end", rank));
    out.dtype = "int64";
    for (std::int64_t i = start; i < end; ++i) out.values.push_back(float(input0_dims[std::size_t(i)]));
    out.dims = {std::int64_t(out.values.size())};
    return out;
  }

  if (op == "ConstantOfShape") {
    const Dims dims = f.ints(f.in(in, 0));
    const std::int64_t c = f.count(dims);
    float value = 0;
    out.dtype = "float";
    if (n.has("value")) {
      const auto& it = n.attributes.at("value");
      if (it.kind != OnnxAttribute::Kind::Tensor || it.tensor.size() != 1)
        f.fail("attribute 'value' must be a one-element tensor");
      value = it.tensor.values[0];
      out.dtype = it.tensor.dtype;
    }
    out.dims = dims;
    out.values.assign(std::size_t(c), value);
    return out;
  }

  const OnnxTensor& data = f.in(in, 0);
  const Dims& dd = data.dims;
  const auto rank = std::int64_t(dd.size());
  out.dtype = data.dtype;

  if (op == "Gather") {
    const OnnxTensor& idx = f.in(in, 1);
    if (rank == 0) f.fail("cannot gather from a scalar");
    const std::int64_t a = f.axis(n.get_int("axis", 0), rank);
    out.dims.assign(dd.begin(), dd.begin() + a);
    out.dims.insert(out.dims.end(), idx.dims.begin(), idx.dims.end());
    out.dims.insert(out.dims.end(), dd.begin() + a + 1, dd.end());
    f.count(out.dims);
    const std::int64_t outer = product(dd, 0, std::size_t(a)), extent = dd[std::size_t(a)],
                       inner = product(dd, std::size_t(a) + 1, dd.size());
    for (std::int64_t o = 0; o < outer; ++o)
      for (std::int64_t j : f.ints(idx)) {
        if (j < -extent || j >= extent) f.fail("index " + std::to_string(j) + " is out of range");
        if (j < 0) j += extent;
        const auto base = std::size_t((o * extent + j) * inner);
        out.values.insert(out.values.end(), data.values.begin() + std::ptrdiff_t(base),
                          data.values.begin() + std::ptrdiff_t(base + std::size_t(inner)));
      }
    return out;
  }

  if (op == "Unsqueeze" || op == "Squeeze") {
    Dims axes;
    const bool given = axes_of(f, in, 1, opset, 13, axes);
    out.values = data.values;
    if (op == "Unsqueeze") {
      if (!given) f.fail("no axes");
      const auto out_rank = rank + std::int64_t(axes.size());
      std::set<std::int64_t> at;
      for (auto a : axes)
        if (!at.insert(f.axis(a, out_rank)).second) f.fail("repeated axis");
      for (std::int64_t i = 0, j = 0; i < out_rank; ++i) out.dims.push_back(at.count(i) ? 1 : dd[std::size_t(j++)]);
      return out;
    }
    std::set<std::int64_t> at;
    for (auto a : axes) at.insert(f.axis(a, rank));
    for (std::int64_t i = 0; i < rank; ++i) {
      const bool squeeze = given ? at.count(i) != 0 : dd[std::size_t(i)] == 1;
      if (squeeze && dd[std::size_t(i)] != 1) f.fail("cannot squeeze an axis of size " + std::to_string(dd[std::size_t(i)]));
      if (!squeeze) out.dims.push_back(dd[std::size_t(i)]);
    }
    return out;
  }

  if (op == "Concat") {
    if (rank == 0) f.fail("cannot concatenate scalars");
    const std::int64_t a = f.axis(n.get_int("axis", 0), rank);
    out.dims = dd;
    out.dims[std::size_t(a)] = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
      const OnnxTensor& t = f.in(in, i);
      if (t.dims.size() != dd.size()) f.fail("inputs of different ranks");
      for (std::size_t k = 0; k < dd.size(); ++k)
        if (std::int64_t(k) != a && t.dims[k] != dd[k]) f.fail("inputs of different shapes");
      out.dims[std::size_t(a)] += t.dims[std::size_t(a)];
    }
    f.count(out.dims);
    const std::int64_t outer = product(dd, 0, std::size_t(a));
    for (std::int64_t o = 0; o < outer; ++o)
      for (std::size_t i = 0; i < in.size(); ++i) {
        const auto chunk = std::size_t(product(in[i]->dims, std::size_t(a), in[i]->dims.size()));
        const auto first = in[i]->values.begin() + std::ptrdiff_t(std::size_t(o) * chunk);
        out.values.insert(out.values.end(), first, first + std::ptrdiff_t(chunk));
      }
    return out;
  }

  if (op == "Cast") {
    const std::int64_t to = n.get_int("to", 0);
    out.dims = dd;
    out.values = data.values;
    if (to == 1 || to == 11) {  // FLOAT, DOUBLE
      out.dtype = to == 1 ? "float" : "double";
    } else if (to == 2 || to == 3 || to == 4 || to == 5 || to == 6 || to == 7 || to == 12 || to == 13) {
      out.dtype = "int64";  // integer types: truncation toward zero
      for (auto& v : out.values) v = std::trunc(v);
    } else if (to == 9) {  // BOOL
      out.dtype = "int64";
      for (auto& v : out.values) v = v != 0 ? 1.0f : 0.0f;
    } else {
      f.fail("cast to ONNX element type " + std::to_string(to) + " is not supported");
    }
    return out;
  }

  if (op == "Reshape") {
    const Dims shape = f.ints(f.in(in, 1));
    const bool allowzero = n.get_int("allowzero", 0) != 0;
    std::int64_t known = 1, infer = -1;
    for (std::size_t i = 0; i < shape.size(); ++i) {
      std::int64_t d = shape[i];
      if (d == 0 && !allowzero) {
        if (i >= dd.size()) f.fail("shape copies a dimension the input does not have");
        d = dd[i];
      }
      if (d == -1) {
        if (infer >= 0) f.fail("shape has more than one -1");
        infer = std::int64_t(i);
      } else if (d < 0) {
        f.fail("shape has a negative dimension");
      }
      out.dims.push_back(d);
      if (d >= 0) known *= d == 0 ? 1 : d;  // bounded: d <= data size or product checked below
      if (known > kOnnxMaxFoldElements) f.fail("reshape to a larger tensor than its data");
    }
    const auto total = std::int64_t(data.size());
    if (infer >= 0) {
      if (known == 0 || total % known != 0) f.fail("shape does not divide the data");
      out.dims[std::size_t(infer)] = total / known;
    }
    if (f.count(out.dims) != total) f.fail("shape does not match the data's element count");
    out.values = data.values;
    return out;
  }

  if (op == "Transpose") {
    Dims perm = n.get_ints("perm", {});
    if (perm.empty())
      for (std::int64_t i = rank; i-- > 0;) perm.push_back(i);
    if (std::int64_t(perm.size()) != rank) f.fail("perm does not match the rank");
    std::vector<bool> seen(std::size_t(rank), false);
    for (auto p : perm) {
      if (p < 0 || p >= rank || seen[std::size_t(p)]) f.fail("perm is not a permutation");
      seen[std::size_t(p)] = true;
    }
    for (auto p : perm) out.dims.push_back(dd[std::size_t(p)]);
    const Dims in_strides = strides_of(dd);
    out.values.resize(data.size());
    Dims coord(std::size_t(rank), 0);
    for (std::size_t k = 0; k < out.values.size(); ++k) {
      std::int64_t src = 0;
      for (std::size_t i = 0; i < coord.size(); ++i) src += coord[i] * in_strides[std::size_t(perm[i])];
      out.values[k] = data.values[std::size_t(src)];
      for (std::size_t i = coord.size(); i-- > 0;)
        if (++coord[i] < out.dims[i]) break;
        else coord[i] = 0;
    }
    return out;
  }

  if (op == "Slice") {
    Dims starts, ends, axes, steps;
    if (opset >= 10) {
      starts = f.ints(f.in(in, 1));
      ends = f.ints(f.in(in, 2));
      if (in.size() > 3 && in[3]) axes = f.ints(*in[3]);
      if (in.size() > 4 && in[4]) steps = f.ints(*in[4]);
    } else {
      starts = n.get_ints("starts", {});
      ends = n.get_ints("ends", {});
      axes = n.get_ints("axes", {});
    }
    if (axes.empty())
      for (std::size_t i = 0; i < starts.size(); ++i) axes.push_back(std::int64_t(i));
    if (steps.empty()) steps.assign(starts.size(), 1);
    if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
      f.fail("starts, ends, axes and steps differ in length");
    Dims first(std::size_t(rank), 0), step(std::size_t(rank), 1);
    out.dims = dd;
    std::set<std::int64_t> done;
    for (std::size_t i = 0; i < starts.size(); ++i) {
      const std::int64_t a = f.axis(axes[i], rank);
      if (!done.insert(a).second) f.fail("repeated axis");
      const std::int64_t d = dd[std::size_t(a)], st = steps[i];
      if (st == 0) f.fail("step 0");
      std::int64_t s = starts[i], e = ends[i];
      if (s < 0) s = s < -d ? 0 : s + d;  // written to avoid overflowing near INT64_MIN
      if (e < 0) e = e < -d ? -1 : e + d;
      std::int64_t len;
      if (st > 0) {
        s = std::clamp(s, std::int64_t(0), d);
        e = std::clamp(e, std::int64_t(0), d);
        len = e > s ? (e - s + st - 1) / st : 0;
      } else {
        s = std::clamp(s, std::int64_t(0), d - 1);
        e = std::clamp(e, std::int64_t(-1), d - 1);
        len = s > e ? (s - e + (-st) - 1) / (-st) : 0;
      }
      first[std::size_t(a)] = s;
      step[std::size_t(a)] = st;
      out.dims[std::size_t(a)] = len;
    }
    const Dims in_strides = strides_of(dd);
    out.values.resize(std::size_t(f.count(out.dims)));
    Dims coord(std::size_t(rank), 0);
    for (std::size_t k = 0; k < out.values.size(); ++k) {
      std::int64_t src = 0;
      for (std::size_t i = 0; i < coord.size(); ++i) src += (first[i] + coord[i] * step[i]) * in_strides[i];
      out.values[k] = data.values[std::size_t(src)];
      for (std::size_t i = coord.size(); i-- > 0;)
        if (++coord[i] < out.dims[i]) break;
        else coord[i] = 0;
    }
    return out;
  }

  f.fail("not an operator of shape arithmetic");
}

}  // namespace rcsim
