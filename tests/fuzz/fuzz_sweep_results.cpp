// Sweep results: the CSV that `merge` and `plot` read and `sweep` resumes from, and the journal
// (one JSON object per line) that a resumed sweep opens.
#include "fuzz_util.h"
#include "sweep/csv_table.h"
#include "sweep/journal.h"
#include "sweep/sweep_driver.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string in = rcsim::fuzz::text(data, size);
  rcsim::fuzz::run_reader([&] {
    const rcsim::sweep::CsvTable t = rcsim::sweep::parse_csv(in, "fuzz.csv");
    (void)rcsim::sweep::to_csv(rcsim::sweep::merge_tables({t}, {{"energy_j", false}, {"accuracy", true}}));
  });
  const std::string path = rcsim::fuzz::write_scratch("out.csv.journal", data, size);
  rcsim::fuzz::run_reader([&] {
    rcsim::sweep::Journal j(path);
    (void)j.read_all();
  });
  return 0;
}
