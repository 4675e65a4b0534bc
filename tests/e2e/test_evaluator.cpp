// The evaluation pipeline (sim/eval): what evaluate() reports equals what the accelerator and the
// integer reference give directly, its result keeps no image's layer outputs, timing-only runs
// (used by sweeps, `rcsim report` and the governor's table) report the same counters and energy
// as runs that compute outputs, the caches hand out one object per key, and AcceleratorSim owns
// what it needs. Each TEST runs in its own process (one SystemC elaboration each), and each
// evaluates many configurations on that one elaboration, as a sweep worker does.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "accel/run_report.h"
#include "area/area_model.h"
#include "area/area_table.h"
#include "core/errors.h"
#include "core/network_yaml.h"
#include "eval/eval_json.h"
#include "eval/evaluator.h"
#include "eval/reference_accuracy.h"
#include "host/dataset.h"
#include "host/int_reference.h"
#include "support/accel_test_util.h"

namespace rcsim {
namespace {

eval::EvalRequest lenet_request(int width, std::size_t images) {
  eval::EvalRequest r;
  r.network = "mnist_lenet";
  r.weights = "random";
  r.seed = 7;
  r.width = width;
  r.accel.mode = ExecMode::Fast;
  r.images = eval::ImageSpec::random(images);
  return r;
}

TEST(Evaluator, ReportsWhatTheAcceleratorAndReferenceGiveAndKeepsNoLayerOutputs) {
  eval::Evaluator ev;
  const eval::EvalResult res = ev.evaluate(lenet_request(3, 4));
  EXPECT_TRUE(res.outputs_checked);
  EXPECT_TRUE(res.outputs_match_reference);
  EXPECT_FALSE(res.first_mismatch.has_value());
  EXPECT_FALSE(res.accuracy.has_value());  // random images have no labels
  EXPECT_EQ(res.images, 4u);
  EXPECT_EQ(res.width, 3);
  EXPECT_EQ(res.weights_label, "random (seed 7)");
  // Streaming: the result holds counters, not any image's activations.
  ASSERT_EQ(res.run.layers.size(), res.network->layers.size());
  for (const LayerRun& l : res.run.layers) EXPECT_TRUE(l.output.empty()) << l.counters.layer;

  // The same run driven by hand: same images (random_images with the seed), same counters.
  const QuantizedNetwork qn = random_quantized_network(load_network("mnist_lenet"), 8, 7);
  const Dataset imgs = random_images(qn.net.input, 4, 7);
  std::vector<std::vector<std::int32_t>> images;
  for (std::size_t i = 0; i < imgs.size(); ++i) images.push_back(quantize_image(qn, imgs.image(i)));
  AccelOptions fast;
  fast.mode = ExecMode::Fast;
  AcceleratorSim sim(qn, load_arch("default"), fast);
  const std::vector<InferenceRun> runs = sim.run(images, 3);
  EXPECT_EQ(res.cycles(), runs[0].cycles);
  EXPECT_EQ(res.run.macs, runs[0].macs);
  for (std::size_t i = 0; i < runs[0].layers.size(); ++i)
    EXPECT_EQ(counters_to_json(res.run.layers[i].counters), counters_to_json(runs[0].layers[i].counters));
  EXPECT_DOUBLE_EQ(res.latency_s(), double(runs[0].cycles) / res.arch.clock_hz);
  EXPECT_GT(res.energy.energy_j, 0);
  EXPECT_EQ(res.energy.cycles, res.cycles());
  // The JSON report is the run report of the first image plus the energy fields.
  const nlohmann::json j = eval::to_json(res);
  EXPECT_EQ(j["images"], 4);
  EXPECT_EQ(j["cycles"], runs[0].cycles);
  EXPECT_EQ(j["energy_j"].get<double>(), res.energy.energy_j);
  EXPECT_TRUE(j["outputs_match_reference"].get<bool>());
}

// Timing-only fast runs skip the GEMMs; nothing they report may differ from full runs.
TEST(Evaluator, TimingOnlyRunsReportTheSameCountersAndEnergy) {
  const std::vector<std::vector<std::string>> archs = {
      {},
      {"array.dataflow=os"},
      {"array.dataflow=is", "timing=scalesim"},
      {"timing=scalesim"},
      {"array.rows=8", "array.cols=8", "precision=16"},
      {"array.dataflow=os", "array.rows=4", "array.cols=16", "weight_sram.gating=off"},
      {"weight_sram.size_bytes=65536"}};
  eval::Evaluator ev;
  for (const char* net : {"mnist_lenet", "cifar10_quick", "svhn"})
    for (const auto& sets : archs) {
      eval::EvalRequest r;
      r.network = net;
      r.weights = "random";
      r.arch_sets = sets;
      r.accel.mode = ExecMode::Fast;
      r.check_outputs = false;
      r.images = eval::ImageSpec::zeros(1);
      for (int k = 1; k <= ev.network(net)->width_groups; ++k) {
        r.width = k;
        r.accel.compute_outputs = true;
        const nlohmann::json full = eval::to_json(ev.evaluate(r));
        r.accel.compute_outputs = false;
        const nlohmann::json timing = eval::to_json(ev.evaluate(r));
        EXPECT_EQ(full, timing) << net << " width " << k << " sets " << ::testing::PrintToString(sets);
      }
    }
}

TEST(Evaluator, PerCycleAndFastAgreeOnOneElaboration) {
  eval::Evaluator ev;
  for (const char* df : {"ws", "os"}) {
    eval::EvalRequest r = lenet_request(2, 2);
    r.arch_sets = {"array.rows=8", "array.cols=8", std::string("array.dataflow=") + df};
    const eval::EvalResult fast = ev.evaluate(r);
    r.accel.mode = ExecMode::PerCycle;
    const eval::EvalResult per_cycle = ev.evaluate(r);
    EXPECT_TRUE(fast.outputs_match_reference && per_cycle.outputs_match_reference) << df;
    nlohmann::json a = eval::to_json(fast), b = eval::to_json(per_cycle);
    for (auto* j : {&a, &b}) j->erase("mode"), j->erase("backend");
    EXPECT_EQ(a, b) << df;
  }
}

TEST(Evaluator, ReportsTheAreaOfTheArchAtItsNodeAndTheEnergyDelayAreaProduct) {
  eval::Evaluator ev;
  for (const char* node : {"45nm", "65nm", "28nm"})
    for (const char* rows : {"8", "32"}) {
      eval::EvalRequest r = lenet_request(2, 1);
      r.arch_sets = {std::string("technology=") + node, std::string("array.rows=") + rows};
      const eval::EvalResult res = ev.evaluate(r);
      ASSERT_TRUE(res.area) << node;
      const area::AreaReport want = area::area_of(res.arch, area::load_area_table(node));
      EXPECT_EQ(res.area->node, node);
      EXPECT_DOUBLE_EQ(res.area->area_mm2, want.area_mm2) << node << " rows " << rows;
      EXPECT_EQ(res.area->components_mm2, want.components_mm2);
      EXPECT_DOUBLE_EQ(*res.edap(), res.energy.energy_j * res.latency_s() * want.area_mm2);
      const nlohmann::json j = eval::to_json(res);
      EXPECT_DOUBLE_EQ(j.at("area_mm2").get<double>(), want.area_mm2);
      EXPECT_DOUBLE_EQ(j.at("edap_jsmm2").get<double>(), *res.edap());
      EXPECT_EQ(j.at("area_by_component_mm2").size(), area::area_component_names().size());
      EXPECT_EQ(j.at("area_table").at("node"), node);
    }
}

TEST(Evaluator, DatasetLabelsGiveTheAcceleratorsAccuracy) {
  eval::Evaluator ev;
  const auto qn = ev.weights("mnist_lenet", "random", 8, 7);
  // Labels: the reference's prediction for even images, another class for odd ones → 3 of 5.
  auto ds = std::make_shared<Dataset>(random_images(qn->net.input, 5, 11));
  for (std::size_t i = 0; i < ds->size(); ++i) {
    const int pred = argmax(int_forward(*qn, 4, quantize_image(*qn, ds->image(i))).back());
    ds->labels[i] = std::uint8_t(i % 2 == 0 ? pred : (pred + 1) % 10);
  }
  eval::EvalRequest r = lenet_request(4, 0);
  r.images = eval::ImageSpec::from_dataset(ds, 0);  // 0 = every image
  const eval::EvalResult res = ev.evaluate(r);
  EXPECT_EQ(res.images, 5u);
  ASSERT_TRUE(res.accuracy.has_value());
  EXPECT_DOUBLE_EQ(*res.accuracy, 3.0 / 5.0);
  EXPECT_DOUBLE_EQ(eval::reference_accuracy(*qn, *ds)[3], 3.0 / 5.0);
  r.images = eval::ImageSpec::from_dataset(ds, 2);  // the first two: one right, one wrong
  EXPECT_DOUBLE_EQ(*ev.evaluate(r).accuracy, 0.5);
}

TEST(Evaluator, BadRequestsAreInputErrors) {
  eval::Evaluator ev;
  eval::EvalRequest r = lenet_request(2, 1);
  r.accel.compute_outputs = false;  // timing only: nothing to check against the reference
  EXPECT_THROW(ev.evaluate(r), InputError);
  r = lenet_request(5, 1);
  EXPECT_THROW(ev.evaluate(r), InputError);
  r = lenet_request(2, 0);
  EXPECT_THROW(ev.evaluate(r), InputError);  // no images
  r = lenet_request(2, 1);
  r.images = eval::ImageSpec::from_dataset(std::make_shared<Dataset>(random_images({3, 32, 32}, 1, 1)), 1);
  EXPECT_THROW(ev.evaluate(r), InputError);  // CIFAR-shaped images for LeNet
  r = lenet_request(2, 1);
  r.arch_sets = {"act_buffer.size_bytes=1024"};
  EXPECT_THROW(ev.evaluate(r), ConfigError);
}

TEST(Evaluator, CachesHandOutOneObjectPerKey) {
  eval::Evaluator ev;
  EXPECT_EQ(ev.network("mnist_lenet"), ev.network("mnist_lenet"));
  EXPECT_NE(ev.network("mnist_lenet"), ev.network("svhn"));
  const auto a = ev.weights("mnist_lenet", "random", 8, 1);
  EXPECT_EQ(a, ev.weights("mnist_lenet", "random", 8, 1));
  EXPECT_NE(a, ev.weights("mnist_lenet", "random", 8, 2));
  EXPECT_NE(a, ev.weights("mnist_lenet", "random", 16, 1));
  EXPECT_EQ(ev.weights("mnist_lenet", "random", 16, 1)->bits, 16);
  EXPECT_EQ(&ev.energy_table("45nm"), &ev.energy_table("45nm"));
  // prepare() resolves the full width and uses the caches.
  eval::EvalRequest r = lenet_request(1, 1);
  r.width.reset();
  r.seed = 1;
  const eval::PreparedRun p = ev.prepare(r);
  EXPECT_EQ(p.width, 4);
  EXPECT_EQ(p.weights, a);
}

// AcceleratorSim used to keep references into the caller's network: a temporary dangled.
TEST(AcceleratorSimOwnership, ANetworkPassedAsATemporaryStaysValid) {
  const ArchParams arch = load_arch("default");
  AccelOptions opts;
  opts.mode = ExecMode::Fast;
  AcceleratorSim sim(random_quantized_network(load_network("mnist_lenet"), 8, 5), arch, opts);
  // Reuse the freed heap before running.
  std::vector<std::vector<std::int32_t>> noise(64, std::vector<std::int32_t>(4096, -1));
  const QuantizedNetwork same = random_quantized_network(load_network("mnist_lenet"), 8, 5);
  const auto image = test::random_image(same, 3);
  const auto ref = int_forward(same, 2, image);
  const auto runs = sim.run({image}, 2);
  ASSERT_EQ(runs[0].layers.size(), ref.size());
  for (std::size_t i = 0; i < ref.size(); ++i) EXPECT_EQ(runs[0].layers[i].output, ref[i]) << i;
}

TEST(AcceleratorSimOwnership, RunEachStreamsTheSameRunsAsRun) {
  const auto qn = std::make_shared<const QuantizedNetwork>(random_quantized_network(load_network("svhn"), 8, 2));
  AccelOptions opts;
  opts.mode = ExecMode::Fast;
  AcceleratorSim sim(qn, test::arch_with({"array.dataflow=os"}), opts);
  std::vector<std::vector<std::int32_t>> images;
  for (std::uint64_t s = 0; s < 3; ++s) images.push_back(test::random_image(*qn, s));
  const auto all = sim.run(images, 3);
  std::vector<std::size_t> order;
  sim.run_each(
      images.size(), 3, [&](std::size_t i) -> const std::vector<std::int32_t>& { return images[i]; },
      [&](std::size_t i, InferenceRun&& r) {
        order.push_back(i);
        EXPECT_EQ(r.cycles, all[i].cycles);
        for (std::size_t l = 0; l < r.layers.size(); ++l) EXPECT_EQ(r.layers[l].output, all[i].layers[l].output);
      });
  EXPECT_EQ(order, (std::vector<std::size_t>{0, 1, 2}));
}

}  // namespace
}  // namespace rcsim
