#include "onnx/reader_plugin/onnx_protobuf_reader.h"

#include <onnx/onnx_pb.h>

#include <climits>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <unordered_map>
#include <vector>

#include "core/errors.h"
#include "onnx/onnx_reader.h"

namespace rcsim {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& source, const std::string& what) {
  throw InputError(onnx_printable(source) + ": " + what);
}

std::string in_quotes(const std::string& name) { return "'" + onnx_printable(name) + "'"; }

const char* dtype_name(int t) {
  // ONNX TensorProto.DataType numbers (onnx.proto), for messages.
  static const char* names[] = {"UNDEFINED", "FLOAT",  "UINT8",     "INT8",      "UINT16",
                                "INT16",     "INT32",  "INT64",     "STRING",    "BOOL",
                                "FLOAT16",   "DOUBLE", "UINT32",    "UINT64",    "COMPLEX64",
                                "COMPLEX128", "BFLOAT16"};
  return t >= 0 && t < int(sizeof(names) / sizeof(names[0])) ? names[t] : "UNKNOWN";
}

/// Product of dims, refusing negative dims and products above kOnnxMaxTensorElements without
/// overflowing on the way.
std::int64_t checked_count(const std::vector<std::int64_t>& dims, const std::string& source,
                           const std::string& what) {
  std::int64_t n = 1;
  for (auto d : dims) {
    if (d < 0) fail(source, what + " has a negative dimension (" + std::to_string(d) + ")");
    if (d != 0 && n > kOnnxMaxTensorElements / d)
      fail(source, what + " is too large (more than " + std::to_string(kOnnxMaxTensorElements) +
                       " elements)");
    n *= d;
  }
  return n;
}

std::uint64_t load_le(const char* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

float finite_or_fail(double v, const std::string& source, const std::string& what) {
  if (!std::isfinite(v) || std::fabs(v) > double(std::numeric_limits<float>::max()))
    fail(source, what + " holds a value that is not a finite float (" + std::to_string(v) + ")");
  return float(v);
}

OnnxTensor convert_tensor(const onnx::TensorProto& t, const std::string& source,
                          const std::string& what) {
  if (t.data_location() == onnx::TensorProto::EXTERNAL || t.external_data_size() > 0)
    fail(source, what + " keeps its data in an external file; rcsim reads self-contained .onnx "
                        "files (export without external data)");
  if (t.has_segment()) fail(source, what + " is segmented; rcsim does not read segmented tensors");
  OnnxTensor out;
  out.dims.assign(t.dims().begin(), t.dims().end());
  const std::int64_t n = checked_count(out.dims, source, what);
  const int type = t.data_type();
  int elem_bytes = 0;
  std::int64_t typed = 0;
  switch (type) {
    case onnx::TensorProto::FLOAT: out.dtype = "float"; elem_bytes = 4; typed = t.float_data_size(); break;
    case onnx::TensorProto::DOUBLE: out.dtype = "double"; elem_bytes = 8; typed = t.double_data_size(); break;
    case onnx::TensorProto::INT64: out.dtype = "int64"; elem_bytes = 8; typed = t.int64_data_size(); break;
    default:
      fail(source, what + " has element type " + dtype_name(type) +
                       "; rcsim reads FLOAT, DOUBLE and INT64 tensors");
  }
  // The data must be in the file already, so comparing its length with the dims refuses any
  // absurd dims before the float copy is allocated.
  const bool raw = t.has_raw_data();
  const std::int64_t have = raw ? std::int64_t(t.raw_data().size()) : typed;
  const std::int64_t want = raw ? n * elem_bytes : n;
  if (have != want)
    fail(source, what + " has dims holding " + std::to_string(n) + " elements but " +
                     (raw ? std::to_string(have) + " bytes of raw data (expected " +
                                std::to_string(want) + ")"
                          : std::to_string(have) + " values"));
  out.values.resize(std::size_t(n));
  for (std::int64_t i = 0; i < n; ++i) {
    double v = 0;
    if (raw) {
      const char* p = t.raw_data().data() + i * elem_bytes;
      const std::uint64_t bits = load_le(p, elem_bytes);
      if (type == onnx::TensorProto::FLOAT) {
        const auto b32 = static_cast<std::uint32_t>(bits);
        float f;
        std::memcpy(&f, &b32, 4);
        v = f;
      } else if (type == onnx::TensorProto::DOUBLE) {
        std::memcpy(&v, &bits, 8);
      } else {
        v = double(static_cast<std::int64_t>(bits));
      }
    } else if (type == onnx::TensorProto::FLOAT) {
      v = t.float_data(int(i));
    } else if (type == onnx::TensorProto::DOUBLE) {
      v = t.double_data(int(i));
    } else {
      v = double(t.int64_data(int(i)));
    }
    out.values[std::size_t(i)] = finite_or_fail(v, source, what);
  }
  return out;
}

OnnxAttribute convert_attribute(const onnx::AttributeProto& a, const std::string& source,
                                const std::string& what) {
  OnnxAttribute out;
  switch (a.type()) {
    case onnx::AttributeProto::INT: out.kind = OnnxAttribute::Kind::Int; out.i = a.i(); break;
    case onnx::AttributeProto::FLOAT: out.kind = OnnxAttribute::Kind::Float; out.f = a.f(); break;
    case onnx::AttributeProto::STRING: out.kind = OnnxAttribute::Kind::String; out.s = a.s(); break;
    case onnx::AttributeProto::INTS:
      out.kind = OnnxAttribute::Kind::Ints;
      out.ints.assign(a.ints().begin(), a.ints().end());
      break;
    case onnx::AttributeProto::FLOATS:
      out.kind = OnnxAttribute::Kind::Floats;
      out.floats.assign(a.floats().begin(), a.floats().end());
      break;
    case onnx::AttributeProto::STRINGS:
      out.kind = OnnxAttribute::Kind::Strings;
      out.strings.assign(a.strings().begin(), a.strings().end());
      break;
    case onnx::AttributeProto::TENSOR:
      out.kind = OnnxAttribute::Kind::Tensor;
      out.tensor = convert_tensor(a.t(), source, what);
      break;
    default:
      // Graphs (If/Loop bodies), sparse tensors, type protos: no supported operator has them;
      // the operator check names the node.
      out.kind = OnnxAttribute::Kind::Other;
      out.other_type = onnx::AttributeProto::AttributeType_IsValid(a.type())
                           ? onnx::AttributeProto::AttributeType_Name(a.type())
                           : "UNKNOWN";
      break;
  }
  if (!a.ref_attr_name().empty()) {  // only meaningful inside ONNX functions
    out = OnnxAttribute{};
    out.other_type = "reference";
  }
  return out;
}

OnnxValueInfo convert_input(const onnx::ValueInfoProto& v, const std::string& source) {
  const std::string what = "ONNX input " + in_quotes(v.name());
  if (!v.type().has_tensor_type()) fail(source, what + " is not a tensor");
  const auto& tt = v.type().tensor_type();
  if (tt.elem_type() != onnx::TensorProto::FLOAT)
    fail(source, what + " has element type " + dtype_name(tt.elem_type()) +
                     "; rcsim's inputs are FLOAT images");
  if (!tt.has_shape()) fail(source, what + " has no shape; export with a static input shape");
  OnnxValueInfo out{v.name(), {}};
  for (int i = 0; i < tt.shape().dim_size(); ++i) {
    const auto& d = tt.shape().dim(i);
    if (d.has_dim_value()) {
      if (d.dim_value() <= 0)
        fail(source, what + ": dimension " + std::to_string(i) + " is " +
                         std::to_string(d.dim_value()));
      out.dims.push_back(d.dim_value());
    } else if (i == 0) {
      out.dims.push_back(1);  // a symbolic batch ('N', 'batch_size'): rcsim runs one image
    } else {
      fail(source, what + ": dimension " + std::to_string(i) + " is dynamic" +
                       (d.has_dim_param() ? " ('" + onnx_printable(d.dim_param()) + "')" : "") +
                       "; export with static shapes (only the batch may be symbolic)");
    }
  }
  checked_count(out.dims, source, what);
  return out;
}

OnnxValueInfo convert_output(const onnx::ValueInfoProto& v) {
  OnnxValueInfo out{v.name(), {}};
  if (v.type().has_tensor_type() && v.type().tensor_type().has_shape())
    for (const auto& d : v.type().tensor_type().shape().dim())
      out.dims.push_back(d.has_dim_value() ? d.dim_value() : -1);
  return out;
}

std::int64_t default_opset(const onnx::ModelProto& mp, const std::string& source) {
  for (const auto& o : mp.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx") {
      if (o.version() < kOnnxMinOpset || o.version() > kOnnxMaxOpset)
        fail(source, "ONNX opset " + std::to_string(o.version()) + " is not supported (rcsim reads opsets " +
                         std::to_string(kOnnxMinOpset) + "-" + std::to_string(kOnnxMaxOpset) +
                         "; export with opset_version=13)");
      return o.version();
    }
  fail(source, "the model imports no version of the default ONNX operator set");
}

OnnxModel convert_model(const onnx::ModelProto& mp, const std::string& source) {
  if (!mp.has_graph() || mp.ir_version() <= 0)
    fail(source, "not an ONNX model (no graph or no IR version)");
  OnnxModel m;
  m.source = source;
  m.opset = default_opset(mp, source);
  m.producer = mp.producer_name() + (mp.producer_version().empty() ? "" : " " + mp.producer_version());
  const auto& g = mp.graph();
  if (g.sparse_initializer_size() > 0)
    fail(source, "the graph has sparse initializers; rcsim reads dense tensors only");

  // Every name a node input may refer to, added as the graph is walked in order.
  std::set<std::string> defined;
  for (const auto& t : g.initializer()) {
    const std::string what = "initializer " + in_quotes(t.name());
    if (t.name().empty()) fail(source, "an initializer has no name");
    if (m.initializers.count(t.name())) fail(source, what + " is defined twice");
    m.initializers.emplace(t.name(), convert_tensor(t, source, what));
    defined.insert(t.name());
  }
  for (const auto& v : g.input()) {
    if (m.initializers.count(v.name())) continue;  // older exporters list initializers as inputs
    if (v.name().empty()) fail(source, "a graph input has no name");
    if (defined.count(v.name())) fail(source, "ONNX input " + in_quotes(v.name()) + " is defined twice");
    m.inputs.push_back(convert_input(v, source));
    defined.insert(v.name());
  }
  if (m.inputs.empty()) fail(source, "the graph has no input (every graph input is an initializer)");

  std::unordered_map<std::string, int> produced_by;  // output name -> node index, for messages
  for (int i = 0; i < g.node_size(); ++i)
    for (const auto& o : g.node(i).output())
      if (!o.empty()) produced_by.emplace(o, i);

  m.nodes.reserve(std::size_t(g.node_size()));
  for (int i = 0; i < g.node_size(); ++i) {
    const auto& np = g.node(i);
    OnnxNode n;
    n.op_type = np.op_type();
    n.name = np.name().empty() ? "node#" + std::to_string(i) : np.name();
    n.domain = np.domain() == "ai.onnx" ? "" : np.domain();
    n.inputs.assign(np.input().begin(), np.input().end());
    n.outputs.assign(np.output().begin(), np.output().end());
    if (n.op_type.empty()) fail(source, "ONNX node " + in_quotes(n.name) + " has no operator type");
    for (const auto& in : n.inputs) {
      if (in.empty() || defined.count(in)) continue;
      auto p = produced_by.find(in);
      if (p != produced_by.end() && p->second >= i)
        fail(source, n.label() + ": input " + in_quotes(in) + " is produced by a later node (" +
                         in_quotes(g.node(p->second).name()) + "); the graph is not topologically sorted");
      fail(source, n.label() + ": input " + in_quotes(in) +
                       " is not produced by any node, initializer or graph input");
    }
    for (const auto& a : np.attribute()) {
      if (a.name().empty()) fail(source, n.label() + ": an attribute has no name");
      if (n.attributes.count(a.name()))
        fail(source, n.label() + ": attribute " + in_quotes(a.name()) + " is given twice");
      n.attributes.emplace(a.name(), convert_attribute(a, source, n.label() + " attribute " + in_quotes(a.name())));
    }
    for (const auto& o : n.outputs) {
      if (o.empty()) continue;
      if (!defined.insert(o).second)
        fail(source, n.label() + ": output " + in_quotes(o) + " is already defined elsewhere in the graph");
    }
    m.nodes.push_back(std::move(n));
  }

  if (g.output_size() == 0) fail(source, "the graph has no output");
  for (const auto& v : g.output()) {
    if (!defined.count(v.name()))
      fail(source, "ONNX output " + in_quotes(v.name()) + " is not produced by any node");
    m.outputs.push_back(convert_output(v));
  }
  return m;
}

}  // namespace

OnnxModel protobuf_parse_onnx(const void* data, std::size_t size, const std::string& source) {
  if (size > kOnnxMaxFileBytes)
    fail(source, "ONNX file of " + std::to_string(size) + " bytes is larger than rcsim reads (" +
                     std::to_string(kOnnxMaxFileBytes) + ")");
  onnx::ModelProto mp;
  if (size == 0 || !mp.ParseFromArray(data, int(size)))
    fail(source, "not an ONNX model: protobuf cannot parse it as a ModelProto (truncated or not "
                 "an .onnx file)");
  return convert_model(mp, source);
}

OnnxModel protobuf_read_onnx(const std::string& path) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) fail(path, "no such ONNX file");
  if (!fs::is_regular_file(status)) fail(path, "not a regular file");
  const auto size = fs::file_size(path, ec);
  if (ec) fail(path, "cannot read the file size: " + ec.message());
  if (size > kOnnxMaxFileBytes)
    fail(path, "ONNX file of " + std::to_string(size) + " bytes is larger than rcsim reads (" +
                   std::to_string(kOnnxMaxFileBytes) + ")");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot open the file for reading");
  std::vector<char> bytes(size);
  if (size > 0 && !in.read(bytes.data(), std::streamsize(size))) fail(path, "cannot read the file");
  return protobuf_parse_onnx(bytes.data(), bytes.size(), path);
}

}  // namespace rcsim
