// rcsim._rcsim: the C++ side of the Python module `rcsim` (python/rcsim/__init__.py is the
// user-facing API). Every call goes through the same library code as the CLI command of the same
// name — eval::Evaluator for runs, sweep::run_sweep and its worker processes for sweeps, the
// governor's replay — and returns what that command prints as JSON/CSV, converted to Python
// objects. No CLI process is started.
//
// SystemC: the accelerator is elaborated once per process and serves every run in turn
// (accel/accelerator_top.h), so rcsim.run may be called any number of times in one interpreter.
// Its kernel is not thread-safe: in-process runs hold one lock; sweeps evaluate in worker
// processes (sweep/sweep_worker.h), started as this interpreter running _sweep_worker.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>

#include "area/area_table.h"
#include "area/power_gating.h"
#include "cli/node_table.h"
#include "core/arch_params.h"
#include "core/errors.h"
#include "energy/energy_table.h"
#include "energy/energy_table_json.h"
#include "eval/eval_json.h"
#include "eval/evaluator.h"
#include "eval/model_source.h"
#include "sweep/csv_table.h"
#include "sweep/governor.h"
#include "sweep/idle_power.h"
#include "sweep/shard.h"
#include "sweep/sweep_driver.h"
#include "sweep/sweep_evaluators.h"
#include "sweep/sweep_spec.h"
#include "sweep/sweep_worker.h"
#include "sweep/width_table_builder.h"

namespace py = pybind11;

// libsystemc.so references sc_main; the module never calls sc_elab_and_sim (as cli/cmd_run.cpp).
// Visible, so the copy of libsystemc.so this module loads binds to it.
extern "C" __attribute__((visibility("default"))) int sc_main(int, char**) { return 0; }

namespace rcsim::python {

namespace {

// nlohmann::json → Python objects (objects keep the JSON's key order).
template <class Json>
py::object to_python(const Json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null:
      return py::none();
    case nlohmann::json::value_t::boolean:
      return py::bool_(j.template get<bool>());
    case nlohmann::json::value_t::number_integer:
      return py::int_(j.template get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned:
      return py::int_(j.template get<std::uint64_t>());
    case nlohmann::json::value_t::number_float:
      return py::float_(j.template get<double>());
    case nlohmann::json::value_t::string:
      return py::str(j.template get_ref<const std::string&>());
    case nlohmann::json::value_t::array: {
      py::list l;
      for (const auto& e : j) l.append(to_python(e));
      return std::move(l);
    }
    case nlohmann::json::value_t::object: {
      py::dict d;
      for (auto it = j.begin(); it != j.end(); ++it) d[py::str(it.key())] = to_python(it.value());
      return std::move(d);
    }
    default:
      throw InternalError("JSON value of an unexpected type");
  }
}

// One process-wide evaluation pipeline: its caches (networks, weights, energy tables) live as
// long as the module; the lock serializes the SystemC kernel.
std::mutex& sim_mutex() {
  static std::mutex m;
  return m;
}
eval::Evaluator& evaluator() {
  static eval::Evaluator ev;
  return ev;
}

py::array_t<std::int32_t> vector_array(const std::vector<std::int32_t>& v) {
  py::array_t<std::int32_t> a(py::ssize_t(v.size()));
  std::copy(v.begin(), v.end(), a.mutable_data());
  return a;
}

py::dict run(const std::string& net, const std::string& arch, std::optional<int> width, const std::string& mode,
             const std::string& weights, const std::vector<std::string>& sets, int images,
             const std::string& dataset, const std::string& data_dir, std::uint64_t seed,
             const std::string& backend, bool outputs) {
  eval::EvalRequest req;
  req.network = net;
  req.arch = arch;
  req.arch_sets = sets;
  req.weights = weights;
  req.seed = seed;
  req.width = width;
  if (images < 1) throw InputError("images must be at least 1 (got " + std::to_string(images) + ")");
  req.images = dataset.empty() ? eval::ImageSpec::random(std::size_t(images))
                               : eval::ImageSpec::from_dataset(dataset, data_dir, std::size_t(images));
  req.accel.mode = parse_exec_mode(mode);
  req.accel.backend = backend;
  req.keep_logits = true;
  req.keep_first_outputs = outputs;
  eval::EvalResult res;
  {
    py::gil_scoped_release unlocked;
    std::lock_guard<std::mutex> lock(sim_mutex());
    res = evaluator().evaluate(req);
  }
  py::dict d = to_python(eval::to_json(res));
  const std::size_t classes = res.logits.empty() ? 0 : res.logits.front().size();
  py::array_t<std::int32_t> logits({py::ssize_t(res.logits.size()), py::ssize_t(classes)});
  auto* p = logits.mutable_data();
  for (const auto& l : res.logits) p = std::copy(l.begin(), l.end(), p);
  d["logits"] = logits;
  if (outputs) {
    py::dict o;
    for (std::size_t i = 0; i < res.first_outputs.size(); ++i)
      o[py::str(res.run.layers[i].counters.layer)] = vector_array(res.first_outputs[i]);
    d["outputs"] = o;
  }
  return d;
}

py::dict info(const std::string& net) {
  std::lock_guard<std::mutex> lock(sim_mutex());  // the Evaluator's caches
  return to_python(cli::node_table_json(*evaluator().network(net)));
}

py::dict energy_table(const std::string& tech) {
  std::lock_guard<std::mutex> lock(sim_mutex());
  return to_python(energy::energy_table_json(evaluator().energy_table(tech)));
}

// The sweep: `spec_text` is YAML (a dict given from Python, as JSON) when not empty, else
// `spec_name` is a shipped name or a path. Returns the summary; the table is the CSV at `out`.
py::dict sweep(const std::string& spec_name, const std::string& spec_text, const std::string& out, int jobs,
               const std::string& shard, const std::string& mode, const std::string& weights, bool accuracy,
               int accuracy_images, const std::vector<std::string>& pareto, const std::string& evaluator_name,
               const std::vector<std::string>& worker_command) {
  sweep::SweepSpec spec =
      spec_text.empty() ? sweep::load_sweep_spec(spec_name) : sweep::parse_sweep_spec(spec_text, spec_name);
  if (!pareto.empty()) {
    spec.objectives.clear();
    for (const auto& p : pareto) spec.objectives.push_back(sweep::parse_objective(p));
  }
  if (jobs < 1) throw InputError("jobs must be at least 1 (got " + std::to_string(jobs) + ")");
  sweep::SweepOptions so;
  so.out = out;
  so.shard = sweep::parse_shard(shard);
  so.jobs = jobs;
  sweep::SweepEvaluatorOptions eo;
  eo.evaluator = evaluator_name;
  eo.mode = parse_exec_mode(mode) == ExecMode::Fast ? "fast" : "per-cycle";
  eo.weights = weights;
  eo.accuracy = accuracy;
  eo.accuracy_images = accuracy_images;
  eo.worker_command = worker_command;
  sweep::SweepResult r;
  {
    py::gil_scoped_release unlocked;
    r = sweep::run_sweep(spec, sweep::make_sweep_evaluator(eo), so);
  }
  if (r.failures)
    throw std::runtime_error(std::to_string(r.failures) + " points failed and were not recorded (first: " +
                             r.first_failure + "); rerun the same sweep to retry them");
  py::dict d;
  d["name"] = spec.name;
  d["points"] = r.points;
  d["already_done"] = r.already_done;
  d["evaluated"] = r.evaluated;
  d["errors"] = r.errors;
  d["seconds"] = r.seconds;
  return d;
}

// The worker loop of a sweep started by sweep() above (argv: --mode M --weights W).
void sweep_worker(const std::vector<std::string>& args) {
  sweep::PointEvalOptions o;
  for (std::size_t i = 0; i + 1 < args.size(); i += 2) {
    if (args[i] == "--mode") o.mode = args[i + 1];
    else if (args[i] == "--weights") o.weights = args[i + 1];
    else throw InputError("sweep worker: unknown option " + args[i]);
  }
  py::gil_scoped_release unlocked;
  std::lock_guard<std::mutex> lock(sim_mutex());
  sweep::sweep_worker_main(std::cin, std::cout, o);
}

py::dict governor(const std::string& trace, const std::string& policy_text, const std::string& table_csv,
                  const std::string& net, const std::string& arch, const std::vector<std::string>& sets,
                  const std::string& weights, const std::string& dataset, int images, int initial_width,
                  double energy_budget_j, const std::string& idle) {
  sweep::Policy policy = sweep::parse_policy(policy_text);
  if (!(energy_budget_j > 0)) throw InputError("energy_budget must be positive");
  policy.total_energy_budget_j = energy_budget_j;
  if (idle != "none" && idle != "priced" && idle != "free")
    throw InputError("idle: '" + idle + "' is not none, priced or free");
  sweep::WidthTableSource src;
  src.net = net, src.arch = arch, src.sets = sets, src.weights = weights, src.dataset = dataset, src.images = images;
  sweep::WidthTable table;
  std::vector<sweep::Request> requests = sweep::load_trace(trace);
  {
    py::gil_scoped_release unlocked;
    std::lock_guard<std::mutex> lock(sim_mutex());
    table = table_csv.empty() ? sweep::build_width_table(evaluator(), src) : sweep::load_width_table(table_csv);
  }
  // As `rcsim governor --idle priced|free`: the arch's gateable units, gating priced by the
  // area model or free.
  sweep::IdlePower idle_power;
  if (idle != "none") {
    const ArchParams a = load_arch(arch, sets);
    const area::GatingModel g = area::gating_model(a, area::load_area_table(a.technology),
                                                   energy::load_energy_table(a.technology), idle == "priced");
    idle_power = sweep::idle_power_of(g, evaluator().network(net)->width_groups);
  }
  const int initial = initial_width == 0 ? table.max_width() : initial_width;
  const auto decisions = sweep::replay(table, requests, policy, initial, idle_power);
  const sweep::GovernorTotals t = sweep::totals(decisions);
  py::dict totals;
  totals["requests"] = t.requests;
  totals["energy_j"] = t.energy_j;
  totals["reconfig_j"] = t.reconfig_j;
  totals["reconfigurations"] = t.reconfigurations;
  totals["deadline_misses"] = t.deadline_misses;
  totals["power_violations"] = t.power_violations;
  totals["accuracy_misses"] = t.accuracy_misses;
  totals["mean_accuracy"] = t.mean_accuracy;
  totals["idle_j"] = t.idle_j;
  totals["idle_periods"] = t.idle_periods;
  totals["gated_periods"] = t.gated_periods;
  py::dict d;
  d["decisions_csv"] = sweep::decisions_csv(requests, decisions);
  d["width_table_csv"] = sweep::width_table_csv(table);
  d["totals"] = totals;
  return d;
}

}  // namespace

PYBIND11_MODULE(_rcsim, m) {
  m.doc() = "rcsim's C++ core; use the package `rcsim` (its __init__.py documents the API)";
  // SystemC prints its banner on stdout at elaboration unless told not to.
  ::setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  // The CLI's exit-2 errors, with the same one-line message (what `rcsim: error: …` prints).
  py::register_exception<ConfigError>(m, "ConfigError", PyExc_ValueError);
  py::register_exception<InputError>(m, "InputError", PyExc_ValueError);
  py::register_exception<EnvironmentError>(m, "EnvironmentError", PyExc_OSError);

  m.def("run", &run, py::arg("net"), py::arg("arch"), py::arg("width"), py::arg("mode"), py::arg("weights"),
        py::arg("sets"), py::arg("images"), py::arg("dataset"), py::arg("data_dir"), py::arg("seed"),
        py::arg("backend"), py::arg("outputs"));
  m.def("info", &info, py::arg("net"));
  m.def("energy_table", &energy_table, py::arg("tech"));
  m.def("sweep", &sweep, py::arg("spec_name"), py::arg("spec_text"), py::arg("out"), py::arg("jobs"),
        py::arg("shard"), py::arg("mode"), py::arg("weights"), py::arg("accuracy"), py::arg("accuracy_images"),
        py::arg("pareto"), py::arg("evaluator"), py::arg("worker_command"));
  m.def("_sweep_worker", &sweep_worker, py::arg("args"));
  m.def("governor", &governor, py::arg("trace"), py::arg("policy"), py::arg("table"), py::arg("net"),
        py::arg("arch"), py::arg("sets"), py::arg("weights"), py::arg("dataset"), py::arg("images"),
        py::arg("initial_width"), py::arg("energy_budget_j"), py::arg("idle"));
  // The column order of a sweep's design axes (sweep/sweep_spec.h), for documentation.
  m.def("sweep_axes", [] {
    py::list l;
    for (const auto& a : sweep::known_axes()) l.append(py::make_tuple(a.name, a.set_path, a.description));
    return l;
  });
}

}  // namespace rcsim::python
