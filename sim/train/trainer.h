#pragma once
// The trainer: float training of a Network's width configurations with libtorch. This header is
// torch-free on purpose (a TU that includes <torch/torch.h> costs ~25 s to compile): all of
// libtorch stays in trainer.cpp.
//
// Incremental training (Tann et al. 2016, the default): step k = 1..G trains the width-k network
// and updates only the weights of the width-k network that are not in the width-(k−1) network
// (see trainable_slices.h); everything trained in earlier steps stays bit-identical, so width
// configuration k computes exactly what it computed right after step k.
// Joint training (slimmable networks): every batch trains the smallest, the largest and one
// random middle width together (sum of their losses); all weights train.
// Any network of the graph IR trains (grouped/depthwise convs, adds, concats, pools, ReLU6): the
// forward pass follows host/float_reference.cpp. A node with `batchnorm` gets a switchable batch
// norm, one per width (affine and running statistics); FloatLayerParams::bn_scale/bn_shift hold
// it folded per width, and incremental step k trains width k's batch norm only.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/quantized_network.h"
#include "host/dataset.h"

namespace rcsim {

enum class TrainAlgo { Incremental, Joint };

const char* to_string(TrainAlgo algo);
/// "incremental" or "joint"; anything else is an InputError.
TrainAlgo parse_train_algo(const std::string& name);

struct TrainOptions {
  TrainAlgo algo = TrainAlgo::Incremental;
  int epochs = 10;              ///< incremental: epochs per step; joint: epochs in total
  double lr = 0.05;             ///< peak SGD learning rate: 5 % warm-up, then cosine decay to 0, per step
  double momentum = 0.9;        ///< SGD (Nesterov) momentum; buffers start at 0 in every step
  double weight_decay = 5e-4;   ///< L2, applied to trainable entries only
  double clip_grad_norm = 5.0;  ///< clip the trainable gradients' global L2 norm (0 = off)
  int batch = 64;
  int threads = 2;              ///< torch::set_num_threads; results depend on it
  std::uint64_t seed = 1;       ///< weight init (torch), shuffling and augmentation (mt19937_64)
  int shift_augment = 2;        ///< random ±N-pixel translations of training images (0 = off)
  std::size_t eval_images = 0;  ///< test images for the progress accuracy (0 = all)
};

/// Progress after one epoch. `accuracy[j]` is the test accuracy (0..1) of width j+1; it holds
/// the widths trained so far (incremental: 1..step; joint: 1..G).
struct EpochReport {
  int step = 1;  ///< incremental step k (joint: always 1)
  int epoch = 1;
  double loss = 0;  ///< mean training loss of the epoch (joint: sum over the sandwich widths)
  std::vector<double> accuracy;
  double seconds = 0;  ///< wall time of the epoch including evaluation
};

/// Progress within an epoch: after each batch.
struct BatchReport {
  int step = 1;  ///< incremental step k (joint: always 1)
  int epoch = 1;
  std::size_t batch = 1;    ///< 1-based, of `batches`
  std::size_t batches = 1;  ///< per epoch
};

struct TrainHooks {
  std::function<void(const EpochReport&)> on_epoch;
  /// After every batch (progress meters; keep it cheap).
  std::function<void(const BatchReport&)> on_batch;
  /// The full-size float parameters: once before training with step 0 (the initial weights),
  /// then after incremental step k = 1..G (joint: once more, with k = G).
  std::function<void(int step, const std::vector<FloatLayerParams>&)> on_step;
};

struct TrainResult {
  std::vector<FloatLayerParams> params;  ///< indexed like net.layers (pools empty)
  std::vector<double> step_seconds;      ///< training time per step, without evaluation
  double seconds = 0;                    ///< total wall time
};

/// Trains `net` on `train`, reporting accuracy on `test` (may be empty: no evaluation).
/// Throws InputError when the datasets do not fit the network or an option is out of range.
/// Deterministic for a given seed and thread count.
TrainResult train_network(const Network& net, const Dataset& train, const Dataset& test,
                          const TrainOptions& opts, const TrainHooks& hooks = {});

/// Logits of width configuration k (the trainer's own libtorch forward pass) for the first n
/// images of `data` (all if n == 0): n × num_classes values, row-major.
std::vector<float> train_forward_logits(const Network& net, const std::vector<FloatLayerParams>& params,
                                        int k, const Dataset& data, std::size_t n, int threads);

}  // namespace rcsim
