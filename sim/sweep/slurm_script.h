#pragma once
// `rcsim sweep --emit-slurm FILE`: an sbatch job-array script, one array task per shard. Each
// task runs the same resumable sweep command on its shard (so a requeued or restarted task
// finishes only what is missing); `rcsim merge` joins the shard CSVs afterwards.
#include <string>
#include <vector>

namespace rcsim::sweep {

struct SlurmOptions {
  std::string rcsim;      ///< absolute path of the rcsim binary
  std::string spec;       ///< absolute path (or shipped name) of the sweep spec
  std::string out;        ///< final merged CSV; shard i writes <out stem>.shard<i>.csv
  std::string mode = "fast";
  std::string weights;    ///< passed on when not empty
  int tasks = 8;          ///< array tasks = shards
  int cpus_per_task = 2;
  std::string time_limit = "01:00:00";
  /// Further `rcsim sweep` options every task passes on (--no-accuracy, --accuracy-images N,
  /// --pareto C:min…), so the tasks' rows are those of the same sweep run locally.
  std::vector<std::string> extra_args;
};

/// The script text (bash, #SBATCH headers, one `rcsim sweep --shard $SLURM_ARRAY_TASK_ID/N`).
std::string slurm_script(const SlurmOptions& o);

/// Shard CSV name for task i: "results.csv" → "results.shard3.csv".
std::string shard_output(const std::string& out, int i);

}  // namespace rcsim::sweep
