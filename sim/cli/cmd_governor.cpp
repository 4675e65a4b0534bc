// `rcsim governor --trace T.csv --policy P (--table widths.csv | --net N [--arch A] …)`: replays a
// request trace, choosing a width per request; prints per-request decisions and totals.
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <memory>

#include "area/area_table.h"
#include "area/power_gating.h"
#include "cli/command_line.h"
#include "cli/commands.h"
#include "core/arch_params.h"
#include "core/errors.h"
#include "core/network_yaml.h"
#include "energy/energy_table.h"
#include "eval/evaluator.h"
#include "eval/model_source.h"
#include "host/dataset.h"
#include "host/weights_source.h"
#include "sweep/adaptive.h"
#include "sweep/csv_table.h"
#include "sweep/governor.h"
#include "sweep/idle_power.h"
#include "sweep/width_table_builder.h"

namespace rcsim::cli {

namespace {

struct GovernorOptions {
  std::string trace;
  std::string policy = "deadline";
  std::string table;
  sweep::WidthTableSource source;
  std::string write_table;
  int initial_width = 0;  // 0 = widest
  double energy_budget_j = std::numeric_limits<double>::infinity();
  std::string out;
  bool adaptive = false;
  std::vector<double> thresholds = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0};
  std::string escalate = "next";
  std::string idle = "none";  // none | priced | free
  int lookahead = 32;
  std::vector<std::string> compare;  // --compare P,P,...: replay under each, side by side
  bool dataset_given = false;        // --dataset: measure each request's accuracy on a real image
};

// --idle priced|free: leakage between requests with the arch's power-gating units (break-even
// timeout rule, sweep/governor.h), gating priced by the area model or priced free.
sweep::IdlePower idle_power(const GovernorOptions& o) {
  if (o.idle == "none") return {};
  const ArchParams arch = load_arch(o.source.arch, o.source.sets);
  const area::GatingModel g = area::gating_model(arch, area::load_area_table(arch.technology),
                                                 energy::load_energy_table(arch.technology), o.idle == "priced");
  return sweep::idle_power_of(g, eval::load_network_spec(o.source.net).width_groups);
}

std::string g9(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// --adaptive: energy and accuracy over the test set of the margin-escalation policy for each
// threshold, next to every fixed width.
void run_adaptive(eval::Evaluator& evaluator, const GovernorOptions& o, const sweep::WidthTable& table) {
  const Network& net = *evaluator.network(o.source.net);
  if (o.source.weights == "random") throw InputError("--adaptive needs trained weights (not --weights random)");
  const QuantizedNetwork& qn = *sweep::load_source_weights(evaluator, o.source);
  const std::string ds_name = o.source.dataset.empty() ? default_dataset(net.name) : o.source.dataset;
  const Dataset ds = load_dataset(ds_name, "", Split::Test).head(std::size_t(o.source.images));
  const auto outcomes = sweep::image_outcomes(qn, ds);
  const sweep::Escalation mode = o.escalate == "full" ? sweep::Escalation::Full : sweep::Escalation::Next;
  sweep::CsvTable t;
  t.columns = {"policy", "threshold", "accuracy", "energy_j", "latency_s", "escalated"};
  for (int k = 1; k <= table.max_width(); ++k) t.columns.push_back("share_w" + std::to_string(k));
  auto add = [&](const std::string& name, const sweep::CascadeResult& r) {
    std::vector<std::string> row = {name, std::isnan(r.threshold) ? "" : g9(r.threshold), g9(r.accuracy),
                                    g9(r.energy_j), g9(r.latency_s), g9(r.escalated)};
    for (double s : r.final_width_share) row.push_back(g9(s));
    t.rows.push_back(row);
  };
  for (int k = 1; k <= table.max_width(); ++k) add("fixed:" + std::to_string(k), sweep::evaluate_fixed(outcomes, table, k));
  for (double th : o.thresholds) add("adaptive-" + o.escalate, sweep::evaluate_cascade(outcomes, table, th, mode));
  const std::string csv = sweep::to_csv(t);
  if (!o.out.empty()) sweep::write_file_atomic(o.out, csv);
  std::cout << "# " << net.name << " on " << o.source.arch << ", " << ds.size() << " " << ds_name
            << " test images; energy and latency per image\n" << csv;
}

sweep::Policy make_policy(const GovernorOptions& o, const std::string& text) {
  sweep::Policy policy = sweep::parse_policy(text);
  policy.total_energy_budget_j = o.energy_budget_j;
  if (policy.kind == sweep::PolicyKind::Deadline && text == "deadline") policy.lookahead = o.lookahead;
  return policy;
}

/// Per-image predictions at every width of the --dataset test split, with the weights the
/// table was measured with (--weights or the trained default).
struct MeasuredImages {
  std::string dataset;
  std::vector<sweep::ImageOutcome> outcomes;
};

MeasuredImages measure_images(eval::Evaluator& evaluator, const GovernorOptions& o, int table_widths) {
  if (o.source.weights == "random")
    throw InputError("--dataset measures accuracy on real images: it needs trained weights (not --weights random)");
  const QuantizedNetwork& qn = *sweep::load_source_weights(evaluator, o.source);
  if (qn.net.width_groups != table_widths)
    throw InputError("--dataset: network '" + qn.net.name + "' has " + std::to_string(qn.net.width_groups) +
                     " widths but the table has " + std::to_string(table_widths) + " (give the table's --net)");
  MeasuredImages m;
  m.dataset = o.source.dataset;
  const Dataset ds = load_dataset(m.dataset, "", Split::Test).head(std::size_t(o.source.images));
  if (ds.size() == 0) throw InputError("dataset '" + m.dataset + "': no test images");
  m.outcomes = sweep::image_outcomes(qn, ds);
  return m;
}

/// Request i is test image i mod N at its chosen width: correct or not.
void mark_measured(std::vector<sweep::Decision>& d, const MeasuredImages* m) {
  if (!m) return;
  for (std::size_t i = 0; i < d.size(); ++i) {
    const sweep::ImageOutcome& im = m->outcomes[i % m->outcomes.size()];
    d[i].correct = im.pred[std::size_t(d[i].width - 1)] == im.label ? 1 : 0;
  }
}

// --compare: one trace under several policies side by side, and for each adaptive policy the
// cheapest fixed width that does at least as well (accuracy — measured when --dataset is given,
// else the table's — deadlines and power budget): what runtime width configurability saves.
void run_compare(const GovernorOptions& o, const sweep::WidthTable& table, const std::vector<sweep::Request>& trace,
                 int initial, const sweep::IdlePower& idle, const MeasuredImages* measured) {
  struct Row {
    std::string name;
    sweep::GovernorTotals t;
    bool fixed = false;
  };
  auto replay = [&](const std::string& name) {
    const sweep::Policy p = make_policy(o, name);
    auto d = sweep::replay(table, trace, p, initial, idle);
    mark_measured(d, measured);
    return Row{name, sweep::totals(d), p.kind == sweep::PolicyKind::Fixed};
  };
  std::vector<Row> rows;
  for (const auto& name : o.compare) rows.push_back(replay(name));
  std::vector<Row> fixed;
  for (int k = 1; k <= table.max_width(); ++k) fixed.push_back(replay("fixed:" + std::to_string(k)));
  auto accuracy = [&](const sweep::GovernorTotals& t) { return measured ? t.measured_accuracy : t.mean_accuracy; };

  sweep::CsvTable c;
  c.columns = {"policy", "energy_j", "deadline_misses", "power_violations", "reconfigurations", "mean_accuracy"};
  if (measured) c.columns.push_back("measured_accuracy");
  c.columns.insert(c.columns.end(), {"best_fixed_at_equal_accuracy", "fixed_energy_j", "saving_pct"});
  for (const Row& r : rows) {
    std::vector<std::string> row = {r.name, g9(r.t.energy_j), std::to_string(r.t.deadline_misses),
                                    std::to_string(r.t.power_violations), std::to_string(r.t.reconfigurations),
                                    g9(r.t.mean_accuracy)};
    if (measured) row.push_back(g9(r.t.measured_accuracy));
    const Row* best = nullptr;
    if (!r.fixed)
      for (const Row& f : fixed)
        if (accuracy(f.t) >= accuracy(r.t) - 1e-12 && f.t.deadline_misses <= r.t.deadline_misses &&
            f.t.power_violations <= r.t.power_violations && (!best || f.t.energy_j < best->t.energy_j))
          best = &f;
    if (best)
      row.insert(row.end(), {best->name, g9(best->t.energy_j), g9(100 * (1 - r.t.energy_j / best->t.energy_j))});
    else
      row.insert(row.end(), {r.fixed ? "" : "none", "", ""});
    c.rows.push_back(row);
  }
  const std::string csv = sweep::to_csv(c);
  if (!o.out.empty()) sweep::write_file_atomic(o.out, csv);
  std::cout << "# " << trace.size() << " requests; accuracy "
            << (measured ? "measured on " + measured->dataset + " test images (request i = image i mod " +
                               std::to_string(measured->outcomes.size()) + ")"
                         : std::string("expected from the table"))
            << "; best fixed = the cheapest fixed width with at least the policy's accuracy and no more deadline "
               "misses or power violations\n"
            << csv;
}

void run_governor(const GovernorOptions& o) {
  const sweep::Policy policy = make_policy(o, o.policy);
  if (!(o.energy_budget_j > 0)) throw InputError("--energy-budget must be positive");
  if (o.lookahead < 1) throw InputError("--lookahead must be at least 1 (1 = greedy)");
  for (const auto& p : o.compare) make_policy(o, p);  // bad names fail before any measuring
  eval::Evaluator evaluator;
  sweep::WidthTable table;
  if (!o.table.empty()) {
    table = sweep::load_width_table(o.table);
  } else {
    table = sweep::build_width_table(evaluator, o.source);
  }
  if (!o.write_table.empty()) sweep::write_file_atomic(o.write_table, sweep::width_table_csv(table));
  if (o.adaptive) return run_adaptive(evaluator, o, table);
  if (o.trace.empty()) throw InputError("--trace is required (or --adaptive)");
  const auto trace = sweep::load_trace(o.trace);
  const int initial = o.initial_width == 0 ? table.max_width() : o.initial_width;
  const sweep::IdlePower idle = idle_power(o);
  std::unique_ptr<MeasuredImages> measured;
  if (o.dataset_given) measured = std::make_unique<MeasuredImages>(measure_images(evaluator, o, table.max_width()));
  if (!o.compare.empty()) return run_compare(o, table, trace, initial, idle, measured.get());
  auto d = sweep::replay(table, trace, policy, initial, idle);
  mark_measured(d, measured.get());
  if (!o.out.empty()) {
    sweep::write_file_atomic(o.out, sweep::decisions_csv(trace, d));
  } else {
    std::cout << std::setw(7) << "request" << std::setw(12) << "time_s" << std::setw(6) << "width" << std::setw(13)
              << "response_s" << std::setw(13) << "energy_j" << std::setw(9) << "deadline" << std::setw(9)
              << "accuracy" << "\n";
    for (std::size_t i = 0; i < d.size(); ++i)
      std::cout << std::setw(7) << i << std::setw(12) << trace[i].time_s << std::setw(6) << d[i].width
                << std::setw(13) << d[i].response_s << std::setw(13) << d[i].energy_j << std::setw(9)
                << (d[i].deadline_met ? "met" : "MISSED") << std::setw(9) << d[i].accuracy << "\n";
  }
  const sweep::GovernorTotals t = sweep::totals(d);
  std::cout << "policy " << o.policy << ": " << t.requests << " requests, energy " << t.energy_j << " J (of which "
            << t.reconfig_j << " J in " << t.reconfigurations << " reconfigurations), " << t.deadline_misses
            << " deadline misses, " << t.power_violations << " over power budget, mean accuracy "
            << t.mean_accuracy << " (" << t.accuracy_misses << " below target)";
  if (measured)
    std::cout << ", measured accuracy " << t.measured_accuracy << " on " << measured->dataset
              << " test images (request i = image i mod " << measured->outcomes.size() << ")";
  std::cout            << (o.out.empty() ? "" : "; per-request decisions in " + o.out) << "\n";
  if (idle.modelled) {
    std::cout << "idle (" << o.idle << " gating): " << t.idle_j << " J leaked or spent waking in " << t.idle_periods
              << " idle periods, units power-gated in " << t.gated_periods << " of them; break-even:";
    for (const auto& u : idle.units)
      if (u.width_group <= 1) std::cout << " " << u.name << " " << u.break_even_s() << " s";
    std::cout << "\n";
  }
}

}  // namespace

void add_governor_command(CommandLine& cl) {
  auto o = std::make_shared<GovernorOptions>();
  Command cmd = cl.add("governor", "Replay a request trace, choosing a width per request");
  cmd.option("--trace", o->trace, "Request CSV: time_s,deadline_s,power_budget_w,min_accuracy[,energy_budget_j]")
      .existing_file();
  cmd.option("--policy", o->policy, "fixed:K | deadline | deadline-greedy | accuracy | energy").show_default();
  cmd.option("--lookahead", o->lookahead,
             "deadline policy: requests planned over (the current one and those it can delay; 1 = greedy)")
      .show_default();
  cmd.option("--compare", o->compare,
             "Replay the trace under each policy (comma-separated) and print them side by side, each next to "
             "the cheapest fixed width at equal accuracy")
      .delimiter(',');
  cmd.option("--table", o->table, "Per-width CSV (width,cycles,latency_s,energy_j,avg_power_w,accuracy[,widen_j,widen_cycles]); "
                                      "default: measure with the accelerator and energy model")
      .existing_file();
  cmd.option("--net", o->source.net, "Network (when measuring the table): a shipped name, a YAML path or an ONNX model")
      .show_default();
  cmd.option("--arch", o->source.arch, "Architecture (when measuring)").show_default();
  cmd.option("--set", o->source.sets, "Architecture override path=value (when measuring)");
  cmd.option("--weights", o->source.weights, "Weights (when measuring; default: trained default)");
  Option dataset = cmd.option(
      "--dataset", o->source.dataset,
      "Test set: the accuracy column when measuring the table, and each request's accuracy measured on a real "
      "image (request i = test image i mod N, at its chosen width)");
  cmd.option("--images", o->source.images, "Test images for accuracy (0 = all)").show_default();
  cmd.option("--write-table", o->write_table, "Save the per-width table used as CSV");
  cmd.option("--initial-width", o->initial_width, "Width configured before the first request (0 = widest)")
      .show_default();
  cmd.option("--energy-budget", o->energy_budget_j,
             "energy policy: total J over the trace (requests without energy_budget_j); without it every request "
             "needs its own energy_budget_j");
  cmd.option("--out", o->out, "Per-request decisions CSV (default: a table on stdout)");
  cmd.flag("--adaptive", o->adaptive, "Evaluate the margin-escalation policy over the test set against fixed widths");
  cmd.option("--thresholds", o->thresholds, "--adaptive: softmax-margin thresholds to sweep").show_default();
  cmd.option("--escalate", o->escalate, "--adaptive: next (1→2→…→G) or full (1→G)")
      .one_of({"next", "full"}).show_default();
  cmd.option("--idle", o->idle, "Leakage between requests: none (not modelled), priced (power-gate a unit once idle "
                                "for its break-even time; area model's overheads), free (gating priced free)")
      .one_of({"none", "priced", "free"}).show_default();
  cmd.action([o, dataset] {
    o->dataset_given = dataset.given();
    run_governor(*o);
  });
}

}  // namespace rcsim::cli
