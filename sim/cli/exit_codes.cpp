#include "cli/exit_codes.h"

#include <yaml-cpp/exceptions.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include "core/errors.h"

namespace rcsim::cli {

int run_with_exit_codes(CommandLine& cl, int argc, char** argv) {
  try {
    const int rc = cl.run(argc, argv);
    // Output to a full disk or a closed pipe fails silently in iostreams: check once, at the
    // end, so a truncated `run --json > out.json` is an error rather than exit 0.
    std::cout.flush();
    errno = 0;
    if (std::fflush(stdout) != 0 || std::ferror(stdout) || !std::cout) {
      const int err = errno;
      throw EnvironmentError(std::string("cannot write standard output: ") + (err ? std::strerror(err) : "write error"));
    }
    return rc;
  } catch (const ConfigError& e) {
    std::cerr << "rcsim: error: " << e.what() << "\n";
    return 2;
  } catch (const InputError& e) {
    std::cerr << "rcsim: error: " << e.what() << "\n";
    return 2;
  } catch (const EnvironmentError& e) {
    std::cerr << "rcsim: error: " << e.what() << "\n";
    return 2;
  } catch (const YAML::Exception& e) {
    // Only user files are YAML: a yaml-cpp error that a loader did not turn into a ConfigError
    // is still a malformed input, not a bug.
    std::cerr << "rcsim: error: malformed YAML: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "rcsim: internal error: " << e.what() << "\n";
    return 3;
  }
}

}  // namespace rcsim::cli
