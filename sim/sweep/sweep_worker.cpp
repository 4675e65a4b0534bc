#include "sweep/sweep_worker.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <istream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <stdexcept>
#include <vector>

#include "core/errors.h"
#include "sweep/child_process.h"

extern char** environ;

namespace rcsim::sweep {

void sweep_worker_main(std::istream& in, std::ostream& out, const PointEvalOptions& o) {
  eval::Evaluator evaluator;  // networks, weights and energy tables repeat across points
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    nlohmann::ordered_json reply;
    DesignPoint p;
    try {
      const nlohmann::ordered_json req = nlohmann::ordered_json::parse(line);
      p.id = req.at("id").get<std::string>();
      for (const auto& [k, v] : req.at("params").items()) p.params.emplace_back(k, v.get<std::string>());
    } catch (const std::exception& e) {
      out << nlohmann::json{{"id", ""}, {"error", std::string("bad request: ") + e.what()}, {"invalid", false}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
          << std::endl;
      continue;
    }
    reply["id"] = p.id;
    try {
      nlohmann::ordered_json values = nlohmann::ordered_json::object();
      for (const auto& [k, v] : evaluate_point(evaluator, p, o)) values[k] = v;
      reply["values"] = values;
    } catch (const ConfigError& e) {
      reply["error"] = e.what(), reply["invalid"] = true;
    } catch (const InputError& e) {
      reply["error"] = e.what(), reply["invalid"] = true;
    } catch (const std::exception& e) {
      reply["error"] = e.what(), reply["invalid"] = false;
    }
    out << reply.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
  }
}

namespace {

// One child with a pipe to its stdin and one from its stdout.
class Worker {
 public:
  explicit Worker(const std::vector<std::string>& argv) {
    int to[2], from[2];
    if (::pipe2(to, O_CLOEXEC) != 0 || ::pipe2(from, O_CLOEXEC) != 0)
      throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, to[0], 0);
    posix_spawn_file_actions_adddup2(&fa, from[1], 1);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::vector<std::string> env_store;
    for (char** e = environ; *e; ++e) env_store.emplace_back(*e);
    env_store.emplace_back("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1");
    std::vector<char*> env;
    for (auto& e : env_store) env.push_back(e.data());
    env.push_back(nullptr);
    const int rc = ::posix_spawn(&pid_, argv[0].c_str(), &fa, nullptr, args.data(), env.data());
    posix_spawn_file_actions_destroy(&fa);
    ::close(to[0]);
    ::close(from[1]);
    in_ = to[1];
    out_ = from[0];
    if (rc != 0) {
      ::close(in_), ::close(out_);
      throw std::runtime_error("cannot start sweep worker " + argv[0] + ": " + std::strerror(rc));
    }
  }
  ~Worker() {
    ::close(in_);  // EOF: the worker's loop ends
    ::close(out_);
    int status;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  std::string roundtrip(const std::string& line) {
    std::size_t done = 0;
    while (done < line.size()) {
      const ssize_t n = ::write(in_, line.data() + done, line.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw std::runtime_error("sweep worker died (write: " + std::string(std::strerror(errno)) + ")");
      done += std::size_t(n);
    }
    for (;;) {
      const auto nl = buf_.find('\n');
      if (nl != std::string::npos) {
        std::string reply = buf_.substr(0, nl);
        buf_.erase(0, nl + 1);
        return reply;
      }
      char tmp[65536];
      const ssize_t n = ::read(out_, tmp, sizeof tmp);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw std::runtime_error("sweep worker died while evaluating the point");
      buf_.append(tmp, std::size_t(n));
    }
  }

 private:
  pid_t pid_ = -1;
  int in_ = -1, out_ = -1;
  std::string buf_;
};

struct WorkerPool {
  std::vector<std::string> argv;
  std::mutex mu;
  std::vector<std::unique_ptr<Worker>> idle;

  std::unique_ptr<Worker> acquire() {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (!idle.empty()) {
        auto w = std::move(idle.back());
        idle.pop_back();
        return w;
      }
    }
    return std::make_unique<Worker>(argv);
  }
  void release(std::unique_ptr<Worker> w) {
    std::lock_guard<std::mutex> lock(mu);
    idle.push_back(std::move(w));
  }
};

}  // namespace

Evaluator make_worker_evaluator(const PointEvalOptions& o, const std::string& exe) {
  return make_worker_evaluator(o, std::vector<std::string>{exe.empty() ? self_executable() : exe, "sweep-worker"});
}

Evaluator make_worker_evaluator(const PointEvalOptions& o, const std::vector<std::string>& command) {
  // A worker that dies must not kill the sweep through SIGPIPE on the next write.
  ::signal(SIGPIPE, SIG_IGN);
  auto pool = std::make_shared<WorkerPool>();
  pool->argv = command;
  for (const char* a : {"--mode", o.mode.c_str(), "--weights", o.weights.c_str()}) pool->argv.emplace_back(a);
  return [pool](const DesignPoint& p) -> Params {
    nlohmann::ordered_json req;
    req["id"] = p.id;
    nlohmann::ordered_json params = nlohmann::ordered_json::object();
    for (const auto& [k, v] : p.params) params[k] = v;
    req["params"] = params;
    std::unique_ptr<Worker> w = pool->acquire();
    const std::string reply_text = w->roundtrip(req.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");  // throws → worker discarded
    pool->release(std::move(w));
    const nlohmann::ordered_json reply = nlohmann::ordered_json::parse(reply_text);
    if (reply.contains("error")) {
      const std::string msg = reply["error"].get<std::string>();
      if (reply.value("invalid", false)) throw ConfigError(msg);
      throw std::runtime_error(msg);
    }
    Params values;
    for (const auto& [k, v] : reply.at("values").items()) values.emplace_back(k, v.get<std::string>());
    return values;
  };
}

}  // namespace rcsim::sweep
