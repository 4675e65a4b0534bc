#include "sweep/run_evaluator.h"

#include <charconv>
#include <stdexcept>

#include "core/errors.h"
#include "sweep/child_process.h"
#include "sweep/sweep_spec.h"

namespace rcsim::sweep {

namespace {

std::string scalar_text(const nlohmann::json& v) {
  if (v.is_boolean()) return v.get<bool>() ? "1" : "0";
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number()) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v.get<double>());
    return std::string(buf, r.ptr);
  }
  if (v.is_string()) return v.get<std::string>();
  return "";
}

std::string last_line(const std::string& s) {
  std::size_t end = s.find_last_not_of("\n\r ");
  if (end == std::string::npos) return "";
  std::size_t start = s.rfind('\n', end);
  start = start == std::string::npos ? 0 : start + 1;
  return s.substr(start, end - start + 1);
}

}  // namespace

std::vector<std::string> run_command(const DesignPoint& p, const RunEvaluatorOptions& o) {
  std::vector<std::string> a = {o.exe.empty() ? self_executable() : o.exe, "run", "--json",
                                "--net", p.get("network"), "--width", p.get("width"),
                                "--mode", o.mode};
  if (p.has("arch")) a.insert(a.end(), {"--arch", p.get("arch")});
  if (!o.weights.empty()) a.insert(a.end(), {"--weights", o.weights});
  for (const auto& [name, value] : p.params) {
    std::string path;
    if (name.rfind("set.", 0) == 0) {
      path = name.substr(4);
    } else {
      for (const auto& ax : known_axes())
        if (name == ax.name) path = ax.set_path;
    }
    if (!path.empty()) a.insert(a.end(), {"--set", path + "=" + value});
  }
  a.insert(a.end(), o.extra_args.begin(), o.extra_args.end());
  return a;
}

Params flatten_run_report(const nlohmann::json& report) {
  static const char* skip[] = {"network", "width", "arch", "mode"};
  Params out = {{"evaluator", "rcsim"}};
  if (!report.is_object()) return out;
  for (const auto& [k, v] : report.items()) {
    bool skipped = false;
    for (const char* s : skip) skipped |= k == s;
    if (skipped) continue;
    if (v.is_primitive() && !v.is_null()) {
      out.emplace_back(k, scalar_text(v));
    } else if (v.is_object()) {
      for (const auto& [k2, v2] : v.items())
        if (v2.is_primitive() && !v2.is_null()) out.emplace_back(k + "." + k2, scalar_text(v2));
    }
  }
  return out;
}

Evaluator make_run_evaluator(const RunEvaluatorOptions& o) {
  RunEvaluatorOptions opts = o;
  if (opts.exe.empty()) opts.exe = self_executable();
  return [opts](const DesignPoint& p) -> Params {
    const ChildResult r = run_child(run_command(p, opts));
    if (r.exit_code == 2) {
      std::string msg = last_line(r.err);
      const std::string prefix = "rcsim: error: ";
      if (msg.rfind(prefix, 0) == 0) msg = msg.substr(prefix.size());
      throw ConfigError(msg.empty() ? "rcsim run rejected the point" : msg);
    }
    if (r.exit_code != 0)
      throw std::runtime_error("rcsim run " +
                               (r.signal ? "killed by signal " + std::to_string(r.signal)
                                         : "exited with " + std::to_string(r.exit_code)) +
                               (r.err.empty() ? "" : ": " + last_line(r.err)));
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(r.out);
    } catch (const nlohmann::json::exception& e) {
      throw std::runtime_error(std::string("rcsim run --json printed no valid JSON: ") + e.what());
    }
    return flatten_run_report(j);
  };
}

}  // namespace rcsim::sweep
