// A user's SystemC testbench on the installed rcsim libraries: runs a network through the
// accelerator model via the evaluation pipeline and prints cycles, energy and the reference check.
// sc_main is the SystemC entry point: libsystemc's main() calls it (extern "C", as SystemC's
// sc_externs.h declares it; the rcsim headers do not include <systemc>).
#include <iostream>
#include <string>

#include "core/errors.h"
#include "eval/evaluator.h"

extern "C" int sc_main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "fast";
  rcsim::eval::EvalRequest req;
  req.network = "mnist_lenet";
  req.weights = "random";
  req.width = 2;
  req.accel.mode = rcsim::parse_exec_mode(mode);
  req.images = rcsim::eval::ImageSpec::random(2);
  try {
    rcsim::eval::Evaluator ev;
    const rcsim::eval::EvalResult r = ev.evaluate(req);
    std::cout << "cycles " << r.cycles() << "\n"
              << "energy_j " << r.energy.energy_j << "\n"
              << "outputs_match_reference " << r.outputs_match_reference << "\n";
    return r.outputs_match_reference ? 0 : 1;
  } catch (const rcsim::InputError& e) {
    std::cerr << "testbench: " << e.what() << "\n";
    return 2;
  }
}
