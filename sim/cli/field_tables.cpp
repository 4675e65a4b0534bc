#include "cli/field_tables.h"

#include <vector>

#include "cli/bench_fields.h"
#include "cli/report_columns.h"
#include "cli/text_table.h"
#include "core/arch_fields.h"
#include "core/field_value.h"
#include "core/layer_counters.h"
#include "energy/counter_charges.h"
#include "eval/run_json_fields.h"
#include "sweep/governor_columns.h"
#include "sweep/result_columns.h"
#include "sweep/sweep_spec.h"

namespace rcsim::cli {

namespace {

std::string energy_component(const char* counter) {
  for (const auto& r : energy::counter_charges())
    if (std::string(r.counter) == counter) {
      const std::string c = r.component;
      return c == "-" ? "not charged" : c == "(all)" ? "all (leakage time)" : c;
    }
  return "(no row)";
}

// The component names behind an energy_by_component_j.<component> pattern.
std::string components_note(const std::string& name) {
  if (name.find("energy_by_component_j") == std::string::npos) return "";
  std::string s;
  for (const auto& c : energy::component_names()) s += (s.empty() ? "" : ", ") + c;
  return " (<component>: " + s + ")";
}

}  // namespace

std::string counter_table(bool markdown) {
  std::vector<Row> rows;
  for (const auto& d : counter_descriptions())
    rows.push_back({d.name, d.kind == CounterKind::PerBank ? "per bank" : "scalar", d.unit,
                    energy_component(d.name), d.description});
  return render({"counter", "kind", "unit", "energy", "description"}, rows, markdown,
                {true, false, false, false, false});
}

std::string arch_field_table(bool markdown) {
  std::vector<Row> rows;
  for (const auto& f : arch_fields()) {
    std::vector<std::string> valid;
    if (!f.choices.empty()) valid.push_back(field::join_choices(f.choices));
    if (!f.rule.describe().empty()) valid.push_back(f.rule.describe());
    for (const auto& r : arch_cross_rules())
      if (std::string(r.path) == f.path) valid.push_back(r.rule);
    std::string v;
    for (const auto& s : valid) v += (v.empty() ? "" : "; ") + s;
    rows.push_back({f.path, to_string(f.type), f.unit, f.default_text(), v, f.description});
  }
  return render({"field", "type", "unit", "default", "valid", "description"}, rows, markdown,
                {true, false, false, false, false, false});
}

std::string run_json_table(bool markdown) {
  std::vector<Row> rows;
  for (const auto& f : eval::run_json_fields()) rows.push_back({f.name, f.unit, f.meaning + components_note(f.name)});
  return render({"field", "unit", "meaning"}, rows, markdown, {true, false, false});
}

std::string sweep_column_table(bool markdown) {
  std::vector<Row> rows;
  for (const auto& c : sweep::result_columns()) {
    if (std::string(c.name) == "<axis>") {
      for (const auto& a : sweep::known_axes()) {
        const ArchField* f = *a.set_path ? find_arch_field(a.set_path) : nullptr;
        rows.push_back(
            {a.name, f ? f->unit : "",
             std::string(a.description) + " (axis" + (*a.set_path ? std::string(", --set ") + a.set_path : "") + ")"});
      }
      continue;
    }
    rows.push_back({c.name, c.unit, c.meaning + components_note(c.name)});
  }
  return render({"column", "unit", "meaning"}, rows, markdown, {true, false, false});
}

std::string governor_column_table(bool markdown) {
  std::vector<Row> rows;
  for (const auto& c : sweep::governor_columns()) rows.push_back({c.file, c.name, c.unit, c.meaning});
  return render({"file", "column", "unit", "meaning"}, rows, markdown, {false, true, false, false});
}

std::string bench_field_table(bool markdown) {
  std::vector<Row> rows;
  for (const auto& f : bench_fields()) rows.push_back({f.name, f.unit, f.meaning});
  return render({"field", "unit", "meaning"}, rows, markdown, {true, false, false});
}

std::string report_column_table(bool markdown) {
  std::vector<Row> rows;
  for (const auto& c : report_columns()) rows.push_back({c.name, c.unit, c.meaning + components_note(c.name)});
  return render({"column", "unit", "meaning"}, rows, markdown, {true, false, false});
}

}  // namespace rcsim::cli
