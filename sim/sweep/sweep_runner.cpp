#include "sweep/sweep_runner.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

#include "core/errors.h"

namespace rcsim::sweep {

Params compose_row(std::size_t index, const DesignPoint& p, const std::string& status,
                   const Params& values, const std::string& error) {
  Params row = {{"point_id", p.id}, {"point_index", std::to_string(index)}, {"status", status}};
  row.insert(row.end(), p.params.begin(), p.params.end());
  // A value that repeats a parameter (e.g. rows in rcsim run's report) keeps the parameter's text.
  for (const auto& kv : values)
    if (!p.has(kv.first)) row.push_back(kv);
  if (!error.empty()) row.emplace_back("error", error);
  return row;
}

namespace {

std::string seconds_text(double s) {
  char buf[32];
  if (s < 120) std::snprintf(buf, sizeof buf, "%.0f s", s);
  else if (s < 7200) std::snprintf(buf, sizeof buf, "%.1f min", s / 60);
  else std::snprintf(buf, sizeof buf, "%.1f h", s / 3600);
  return buf;
}

}  // namespace

RunSummary evaluate_points(const std::vector<std::pair<std::size_t, const DesignPoint*>>& todo,
                           const Evaluator& eval, Journal& journal, const RunnerOptions& opts) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  std::atomic<std::size_t> next{0}, done{0}, errors{0}, failures{0};
  std::mutex failure_mu;
  std::string first_failure;
  // The journal cannot be written (disk full, I/O error): every further point would be lost too,
  // so stop and report the environment error (exit 2); finished rows stay in the journal.
  std::atomic<bool> stop{false};
  std::string environment_error;

  auto worker = [&] {
    for (std::size_t i = next++; i < todo.size(); i = next++) {
      const auto& [index, point] = todo[i];
      try {
        Params values;
        std::string status = "ok", error;
        try {
          values = eval(*point);
        } catch (const ConfigError& e) {
          status = "error", error = e.what();
        } catch (const InputError& e) {
          status = "error", error = e.what();
        }
        if (status == "error") ++errors;
        journal.append(compose_row(index, *point, status, values, error));
        ++done;
      } catch (const EnvironmentError& e) {
        ++failures;
        std::lock_guard<std::mutex> lock(failure_mu);
        if (environment_error.empty()) environment_error = e.what();
        stop = true;
        next = todo.size();
      } catch (const std::exception& e) {
        ++failures;
        std::lock_guard<std::mutex> lock(failure_mu);
        if (first_failure.empty()) first_failure = "point " + point->id + ": " + e.what();
      }
    }
  };
  const int jobs = std::max(1, std::min<int>(opts.jobs, int(todo.size())));
  std::vector<std::thread> pool;
  for (int j = 0; j < jobs; ++j) pool.emplace_back(worker);

  if (opts.progress) {
    // Redraw every 0.5 s until the workers finish; the rate counts this run's points only.
    while (done + failures < todo.size() && !stop) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      const double el = std::chrono::duration<double>(clock::now() - start).count();
      const std::size_t d = done + failures;
      const double rate = el > 0 ? double(d) / el : 0;
      const std::string eta = rate > 0 ? seconds_text(double(todo.size() - d) / rate) : "?";
      std::fprintf(stderr, "\r\033[Ksweep: %zu/%zu points, %.2f points/s, ETA %s", d, todo.size(),
                   rate, eta.c_str());
      std::fflush(stderr);
    }
  }
  for (auto& t : pool) t.join();
  if (opts.progress) std::fprintf(stderr, "\r\033[K");
  if (!environment_error.empty()) throw EnvironmentError(environment_error);

  RunSummary s;
  s.evaluated = done;
  s.errors = errors;
  s.failures = failures;
  s.first_failure = first_failure;
  s.seconds = std::chrono::duration<double>(clock::now() - start).count();
  return s;
}

}  // namespace rcsim::sweep
