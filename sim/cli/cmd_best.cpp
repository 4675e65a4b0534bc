// `rcsim best results.csv --where 'latency_s<30e-6' --objective energy_j:min`: the winning design
// points of a finished sweep under constraints, with why (objective values, constraints met,
// runner-up, what each constraint rejected). `rcsim sweep --best` prints the same after a sweep.
#include <iostream>
#include <memory>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "core/errors.h"
#include "sweep/best.h"
#include "sweep/csv_table.h"

namespace rcsim::cli {

namespace {

struct BestCliOptions {
  std::string csv;
  std::vector<std::string> where, objectives;
  int top = 1;
};

}  // namespace

sweep::BestQuery best_query(const std::vector<std::string>& where, const std::vector<std::string>& objectives,
                            int top) {
  sweep::BestQuery q;
  for (const auto& w : where)
    for (auto& c : sweep::parse_conditions(w)) q.where.push_back(std::move(c));
  for (const auto& o : objectives) q.objectives.push_back(sweep::parse_objective(o));
  if (top < 1) throw InputError("--top must be ≥ 1");
  q.top = top;
  return q;
}

void add_best_command(CommandLine& cl) {
  auto o = std::make_shared<BestCliOptions>();
  Command cmd = cl.add("best", "The best design points of a sweep result under constraints, with why");
  cmd.option("csv", o->csv, "Sweep result CSV").required().existing_file();
  cmd.option("--where", o->where,
             "Constraint COLUMN OP VALUE, OP one of < <= > >= = == != (repeatable; comma-separated; all must hold)");
  cmd.option("--objective", o->objectives,
             "COLUMN:min|max to rank by (repeatable: later ones break ties; default energy_j:min)");
  cmd.option("--top", o->top, "Winners to list per network").show_default();
  cmd.action([o] {
    const sweep::CsvTable t = sweep::read_csv(o->csv);
    std::cout << sweep::best_report(t, best_query(o->where, o->objectives, o->top));
  });
}

}  // namespace rcsim::cli
