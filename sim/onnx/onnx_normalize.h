#pragma once
// normalize(): rewrites an OnnxModel as read from a PyTorch export into the small canonical
// subset that rcsim's graph import maps one node to one layer. Done on OnnxModel itself so
// that every rule is testable without the graph IR.
//
// What it does, in order of the graph:
//   - check_supported_ops() (onnx_ops.h); exactly one graph input, N x C x H x W with N = 1;
//   - Constant nodes become initializers; Identity and Dropout (inference) are elided;
//   - shape arithmetic on constants (Shape, Gather, Unsqueeze, Concat, Slice, Cast, ... as
//     PyTorch emits for x.view(x.size(0), -1) and F.pad) is evaluated;
//   - Reshape to (N, -1) and Flatten become Flatten(axis=1); ReduceMean over H,W becomes
//     GlobalAveragePool (+ Flatten when keepdims=0); Clip(0, inf) becomes Relu; a Relu feeding
//     only a Clip(0, 6) is dropped (torch 1.13 exports F.relu6 as Relu + Clip);
//   - MatMul by a constant (+ Add of a constant bias) and Gemm become one canonical Gemm;
//   - a zero-valued Pad is elided or merged into the Conv(s) and AveragePool(s) it feeds (an
//     AveragePool then counts the padded zeros: count_include_pad = 1, nn.AvgPool2d's default);
//   - BatchNormalization is folded into the Conv that produces its input when that Conv has no
//     other consumer; otherwise it stays a node;
//   - dead nodes and unused initializers are dropped; `shapes` gets every tensor's shape.
// Anything rcsim cannot run is one InputError line naming the file and the node: dilation != 1,
// auto_pad SAME_*, ceil_mode, pooling pads >= the kernel,
// training-mode BatchNormalization/Dropout, Clip bounds other than (0, 6) and (0, inf), an Add
// with broadcasting, a Reshape that is not a flatten, a Concat not on channels, non-constant
// weights, shapes that do not fit together. Asymmetric pads are fine.
//
// The result has only these nodes, each with one output and explicit attributes:
//   Conv(X, W[M, C/group, kh, kw], B[M])  kernel_shape, strides, pads [top, left, bottom, right],
//                                         dilations [1, 1], group
//   BatchNormalization(X, scale, bias, mean, var) (all [C])  epsilon     (not foldable ones)
//   Relu(X)        Clip(X) min = 0, max = 6 (ReLU6)       Add(A, B) same shapes
//   Concat(X...) axis = 1                                 GlobalAveragePool(X) -> [1, C, 1, 1]
//   MaxPool(X), AveragePool(X)  kernel_shape, strides, pads; AveragePool count_include_pad (0 or 1,
//                               1 only with padding)
//   Flatten(X) axis = 1 (4-D -> [1, C*H*W])
//   Gemm(X[1, K], W[N, K], C[N])  alpha = 1, beta = 1, transA = 0, transB = 1
// with weights, biases and BN parameters as initializers, 4-D activations N x C x H x W (N = 1)
// before the first Flatten/GlobalAveragePool-with-flatten and [1, K] after.
#include "onnx/onnx_model.h"

namespace rcsim {

void normalize(OnnxModel& model);

}  // namespace rcsim
