#pragma once
// The reference tables of the event counters and the architecture fields, printed from their
// declarations (core/layer_counters.h, core/arch_params.h) by `rcsim info --fields`. The docs'
// tables are this output (`--markdown`); tests/docs/check_docs_tables.py fails when they differ.
#include <string>

namespace rcsim::cli {

/// counter | kind | unit | energy component | description, one row per counter.
std::string counter_table(bool markdown);
/// field | type | unit | default | valid | description, one row per architecture field.
std::string arch_field_table(bool markdown);
/// field | unit | meaning of `rcsim run --json` (eval/run_json_fields.h).
std::string run_json_table(bool markdown);
/// column | unit | meaning of the sweep result CSV (sweep/result_columns.h), axes expanded.
std::string sweep_column_table(bool markdown);
/// column | unit | meaning of `rcsim report`'s CSV (cli/report_columns.h).
std::string report_column_table(bool markdown);
/// file | column | unit | meaning of the governor's CSVs (sweep/governor_columns.h).
std::string governor_column_table(bool markdown);
/// field | unit | meaning of `rcsim bench --json` (cli/bench_fields.h).
std::string bench_field_table(bool markdown);

}  // namespace rcsim::cli
