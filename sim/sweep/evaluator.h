#pragma once
// What a sweep asks of a design point: evaluate it and return named result values (cycles,
// energy_j, …). The sweep runner adds the point's id and parameters around them.
//
// Errors: an evaluator throws ConfigError/InputError when the POINT is invalid (e.g. an SRAM too
// small for one fold): the runner records a row with status "error" and the message, and a
// rerun does not retry it. Any other exception (a crashed child, a bug) is a failure: nothing is
// recorded, so rerunning the sweep retries the point.
#include <functional>
#include <string>

#include "sweep/design_point.h"

namespace rcsim::sweep {

using Evaluator = std::function<Params(const DesignPoint&)>;

/// Test evaluator `sleep:MS`: waits MS milliseconds, then returns SYNTHETIC numbers from a
/// closed-form formula of the point's parameters (MACs of the network at that width, array
/// size, precision, clock). It exists to test the sweep machinery — threads, sharding, kill
/// and resume — without the accelerator; its rows carry evaluator=sleep so they cannot be
/// mistaken for simulation results.
Evaluator make_sleep_evaluator(int milliseconds);

}  // namespace rcsim::sweep
