#!/usr/bin/python3
"""Defines the PyTorch CNNs rcsim's ONNX import is tested on and exports them with PyTorch's own
exporter (opset 13, static batch 1, input "input", output "logits").

Run with Debian's interpreter (/usr/bin/python3: python3-torch, python3-torchvision, python3-onnx,
python3-numpy); a pyenv python3 earlier on PATH lacks them.

  export_models.py small  --out DIR   the small test models + DIR/manifest.json     (seconds)
  export_models.py large  --out DIR [--if-stale]
                                      torchvision resnet18 and mobilenet_v2 (224x224, random
                                      seeded weights and BN statistics) + DIR/manifest.json
                                                                                     (~1 minute)
  export_models.py train  --out DIR   trains fmnist_small on Fashion-MNIST, writes
                                      fmnist_small.onnx and fmnist_small.json          (minutes)
  export_models.py check-small --out DIR --against workloads/onnx/models
                                      re-exports the small models into DIR and compares them
                                      byte for byte with the checked-in ones (exit 77 = skipped
                                      because the installed torch is not the one that made them)

Checked in (workloads/onnx/models/): every `small` model with its manifest.json, and the trained
fmnist_small.onnx with fmnist_small.json. The large models (~14 MB and ~45 MB) are generated into
the build directory by CMake (ctest fixture onnx_large_models), never committed.

Every model takes one 1x1x28x28 image (Fashion-MNIST's shape, pixels in [0,1] as rcsim's loader
gives them) except resnet18/mobilenet_v2 (1x3x224x224), and returns 1x10 logits. Everything is
seeded and single-threaded: the same torch build exports byte-identical files.

manifest.json, per model: file, description, input/output name and shape, node count, op counts,
initializer count and element total (read back with the onnx package), and `reference`: the
PyTorch logits for given inputs (Fashion-MNIST test images by index for the 28x28 models; for the
224x224 models the synthetic image x[i] = (i mod 251) / 250 over the flattened NCHW tensor).
"""
import argparse
import gzip
import json
import os
import re
import struct
import sys
import time
import warnings

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

OPSET = 13
DEFAULT_DATA = "/usr/share/datasets/fashion-mnist"
REFERENCE_IMAGES = [0, 1, 2, 3]  # Fashion-MNIST test indices whose logits go into manifest.json


# ---------------------------------------------------------------------------------------------
# Building blocks


def conv_bn(cin, cout, k, stride=1, groups=1):
    """Conv (no bias, 'same' padding for odd k) followed by BatchNorm: folded by an eval export."""
    return nn.Sequential(nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False),
                         nn.BatchNorm2d(cout))


class BasicBlock(nn.Module):
    """ResNet basic block: conv-bn-relu-conv-bn plus the identity, or a 1x1 stride-s conv-bn
    projection when the stride or the channel count changes; ReLU after the residual Add."""

    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1 = conv_bn(cin, cout, 3, stride)
        self.conv2 = conv_bn(cout, cout, 3)
        self.shortcut = conv_bn(cin, cout, 1, stride) if stride != 1 or cin != cout else None

    def forward(self, x):
        y = self.conv2(F.relu(self.conv1(x)))
        return F.relu(y + (x if self.shortcut is None else self.shortcut(x)))


class DepthwiseSeparable(nn.Module):
    """MobileNet-v1 block: depthwise 3x3 (groups = channels), BN, ReLU6, pointwise 1x1, BN, ReLU6.
    torch 1.13 exports F.relu6 as Relu followed by Clip(min=0, max=6) with the bounds as
    Constant inputs (nn.ReLU6, a Hardtanh, exports as the Clip alone)."""

    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.dw = conv_bn(cin, cin, 3, stride, groups=cin)
        self.pw = conv_bn(cin, cout, 1)

    def forward(self, x):
        return F.relu6(self.pw(F.relu6(self.dw(x))))


def randomize_batch_norm(model, gen):
    """Non-trivial BN statistics and affine parameters, so folding them is visible in the
    weights (a fresh BN is the identity) and no two BN tensors are equal (the exporter would
    replace equal initializers by Identity nodes)."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                n = m.num_features
                m.weight.copy_(0.5 + torch.rand(n, generator=gen))
                m.bias.copy_(0.2 * torch.randn(n, generator=gen))
                m.running_mean.copy_(0.1 * torch.randn(n, generator=gen))
                m.running_var.copy_(0.5 + torch.rand(n, generator=gen))


# ---------------------------------------------------------------------------------------------
# The small test models (random seeded weights). Each is 1x1x28x28 -> 1x10.


class ResBlockNet(nn.Module):
    """resblock: stem conv-bn-relu (8 ch), an identity residual block (8 ch) and a projection
    block (8 -> 16 ch, stride 2, 1x1 stride-2 conv-bn shortcut), global average pool, fc."""

    def __init__(self):
        super().__init__()
        self.stem = conv_bn(1, 8, 3)
        self.block1 = BasicBlock(8, 8, 1)
        self.block2 = BasicBlock(8, 16, 2)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.block2(self.block1(F.relu(self.stem(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class DwSepNet(nn.Module):
    """dwsep: stem conv-bn-ReLU6 (16 ch, stride 2; nn.ReLU6 -> Clip), a depthwise-separable
    block (depthwise 3x3 groups=16, BN, ReLU6, pointwise 1x1 16 -> 32, BN, ReLU6; F.relu6 ->
    Relu + Clip), global average pool, fc."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(conv_bn(1, 16, 3, 2), nn.ReLU6())
        self.block = DepthwiseSeparable(16, 32)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = self.block(self.stem(x))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class BnNet(nn.Module):
    """bn_nodes / bn_folded: conv-bn-relu (8 ch), conv-bn-relu (16 ch, stride 2), max-pool 2x2,
    a BatchNorm after the pool (no conv to fold it into: stays a node in both exports), flatten,
    fc. Exported twice from the same weights: BN kept as nodes (TrainingMode.PRESERVE) and
    folded into the convs (eval export)."""

    def __init__(self):
        super().__init__()
        self.c1 = conv_bn(1, 8, 3)
        self.c2 = conv_bn(8, 16, 3, 2)
        self.bn_after_pool = nn.BatchNorm2d(16)
        self.fc = nn.Linear(16 * 7 * 7, 10)

    def forward(self, x):
        x = F.relu(self.c2(F.relu(self.c1(x))))
        x = self.bn_after_pool(F.max_pool2d(x, 2))
        return self.fc(torch.flatten(x, 1))


class GroupedConcatNet(nn.Module):
    """grouped_concat: stem conv-bn-relu (16 ch, stride 2), a grouped 3x3 conv (groups=4), an
    inception-like pair of branches (1x1 conv 16 -> 8 and 3x3 conv 16 -> 8 with groups=2)
    concatenated on channels, ReduceMean over H,W (x.mean((2, 3))), fc."""

    def __init__(self):
        super().__init__()
        self.stem = conv_bn(1, 16, 3, 2)
        self.grouped = conv_bn(16, 16, 3, groups=4)
        self.branch1x1 = conv_bn(16, 8, 1)
        self.branch3x3 = conv_bn(16, 8, 3, groups=2)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = F.relu(self.grouped(F.relu(self.stem(x))))
        x = torch.cat([F.relu(self.branch1x1(x)), F.relu(self.branch3x3(x))], dim=1)
        return self.fc(x.mean(dim=(2, 3)))


class PoolNet(nn.Module):
    """pool_flatten / pool_reshape_matmul (same weights): conv 3x3 (8 ch, with bias) + relu,
    average-pool 2x2 (exported as a zero Pad + AveragePool), asymmetric zero padding
    F.pad(x, (0, 1, 0, 1)) (a Pad node before the conv), conv 3x3 (16 ch, stride 2, 14x14 ->
    7x7) + relu, max-pool 3x3 stride 2 pad 1 (4x4), then
    - pool_flatten: torch.flatten(x, 1) -> Flatten, nn.Linear -> Gemm;
    - pool_reshape_matmul: x.reshape(x.size(0), -1) -> Reshape(1, -1), x @ W.T + b -> MatMul+Add."""

    def __init__(self, head):
        super().__init__()
        self.head = head
        self.c1 = nn.Conv2d(1, 8, 3, padding=1)
        self.c2 = nn.Conv2d(8, 16, 3, stride=2)
        self.fc = nn.Linear(16 * 4 * 4, 10)

    def forward(self, x):
        x = F.avg_pool2d(F.relu(self.c1(x)), 2)           # 14x14
        x = F.relu(self.c2(F.pad(x, (0, 1, 0, 1))))        # 15x15 -> 7x7
        x = F.max_pool2d(x, 3, stride=2, padding=1)        # 4x4
        if self.head == "flatten":
            return self.fc(torch.flatten(x, 1))
        return x.reshape(x.size(0), -1) @ self.fc.weight.t() + self.fc.bias


class AvgPadNet(nn.Module):
    """avgpool_pad: average pools with padding in both of PyTorch's forms: conv 3x3 (8 ch) +
    relu; nn.AvgPool2d(3, stride=1, padding=1) (count_include_pad=True: exported as a Pad +
    AveragePool, the zeros count in the divisor); nn.AvgPool2d(2, stride=2, padding=1,
    count_include_pad=False) (28x28 -> 15x15); conv 3x3 stride 2 (16 ch, 7x7) + relu; a
    non-square nn.AvgPool2d((3, 2), stride=(2, 1), padding=(1, 0)) (4x6); flatten, fc."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 8, 3, padding=1)
        self.pool1 = nn.AvgPool2d(3, stride=1, padding=1)
        self.pool2 = nn.AvgPool2d(2, stride=2, padding=1, count_include_pad=False)
        self.c2 = nn.Conv2d(8, 16, 3, stride=2)
        self.pool3 = nn.AvgPool2d((3, 2), stride=(2, 1), padding=(1, 0))
        self.fc = nn.Linear(16 * 4 * 6, 10)

    def forward(self, x):
        x = self.pool2(self.pool1(F.relu(self.c1(x))))
        x = self.pool3(F.relu(self.c2(x)))
        return self.fc(torch.flatten(x, 1))


class FmnistSmall(nn.Module):
    """fmnist_small (trained): stem conv-bn-relu (16 ch, stride 2, 14x14), a residual basic
    block (16 ch), a depthwise-separable block (16 -> 32 ch, stride 2, 7x7), global average
    pool, fc. ~6k parameters; BN folded into the convs by the eval export."""

    def __init__(self):
        super().__init__()
        self.stem = conv_bn(1, 16, 3, 2)
        self.block = BasicBlock(16, 16, 1)
        self.dwsep = DepthwiseSeparable(16, 32, 2)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = self.dwsep(self.block(F.relu(self.stem(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def small_models():
    """(name, module, training mode, description) of every small test model, all seeded."""
    def seeded(seed, make):
        torch.manual_seed(seed)
        m = make()
        randomize_batch_norm(m, torch.Generator().manual_seed(seed + 1000))
        return m.eval()

    eval_mode, preserve = torch.onnx.TrainingMode.EVAL, torch.onnx.TrainingMode.PRESERVE
    bn = seeded(3, BnNet)
    pool = seeded(5, lambda: PoolNet("flatten"))
    pool_mm = PoolNet("matmul").eval()
    pool_mm.load_state_dict(pool.state_dict())
    return [
        ("resblock", seeded(1, ResBlockNet), eval_mode, ResBlockNet.__doc__),
        ("dwsep", seeded(2, DwSepNet), eval_mode, DwSepNet.__doc__),
        ("bn_nodes", bn, preserve, "BatchNormalization kept as nodes. " + BnNet.__doc__),
        ("bn_folded", bn, eval_mode, "BatchNormalization folded by the exporter. " + BnNet.__doc__),
        ("grouped_concat", seeded(4, GroupedConcatNet), eval_mode, GroupedConcatNet.__doc__),
        ("pool_flatten", pool, eval_mode, PoolNet.__doc__),
        ("pool_reshape_matmul", pool_mm, eval_mode, PoolNet.__doc__),
        ("avgpool_pad", seeded(6, AvgPadNet), eval_mode, AvgPadNet.__doc__),
    ]


# ---------------------------------------------------------------------------------------------
# Export, manifest, data


def export(model, shape, path, mode=torch.onnx.TrainingMode.EVAL):
    with warnings.catch_warnings():
        # PRESERVE on a model in eval mode warns about constant folding of training parameters;
        # there are none (the model is in eval mode), so the warning does not apply.
        warnings.simplefilter("ignore")
        torch.onnx.export(model, torch.zeros(*shape), path, opset_version=OPSET, training=mode,
                          input_names=["input"], output_names=["logits"],
                          do_constant_folding=True)


def value_shape(v):
    return [d.dim_value if d.HasField("dim_value") else d.dim_param
            for d in v.type.tensor_type.shape.dim]


def onnx_summary(path):
    """What rcsim's reader must see in the file, read back with the onnx package."""
    m = onnx.load(path)
    onnx.checker.check_model(m)
    ops = {}
    for n in m.graph.node:
        ops[n.op_type] = ops.get(n.op_type, 0) + 1
    inits = list(m.graph.initializer)
    return {
        "file": os.path.basename(path),
        "bytes": os.path.getsize(path),
        "opset": m.opset_import[0].version,
        "input": {"name": m.graph.input[0].name, "shape": value_shape(m.graph.input[0])},
        "output": {"name": m.graph.output[0].name, "shape": value_shape(m.graph.output[0])},
        "nodes": len(m.graph.node),
        "op_counts": dict(sorted(ops.items())),
        "initializers": {"count": len(inits),
                         "elements": int(sum(int(np.prod(t.dims)) for t in inits))},
    }


def f32_list(values):
    """Shortest decimal strings that read back as the same float32 values."""
    return [float(np.format_float_positional(np.float32(v), unique=True, trim="-"))
            for v in np.asarray(values, dtype=np.float32).ravel()]


def read_idx_gz(path, magic):
    with gzip.open(path, "rb") as f:
        data = f.read()
    got, = struct.unpack(">I", data[:4])
    if got != magic:
        sys.exit(f"{path}: not an IDX file with magic {magic:#x}")
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def fashion_mnist(data_dir, split):
    """Images as float32 N x 1 x 28 x 28 in [0,1] (pixel / 255, as rcsim's loader) and labels."""
    prefix = "train" if split == "train" else "t10k"
    images = read_idx_gz(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"), 0x803)
    labels = read_idx_gz(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"), 0x801)
    x = torch.from_numpy(images.astype(np.float32) / np.float32(255.0)).unsqueeze(1)
    return x, torch.from_numpy(labels.astype(np.int64))


def synthetic_image(shape):
    """x[i] = (i mod 251) / 250 over the flattened NCHW tensor: easy to rebuild in C++."""
    n = int(np.prod(shape))
    return torch.from_numpy((np.arange(n) % 251).astype(np.float32) / np.float32(250.0)).reshape(shape)


def write_json(path, obj):
    """Indented JSON with every array of plain numbers on one line (a logits row, a shape)."""
    text = json.dumps(obj, indent=1)
    text = re.sub(r"\[\s+([-+0-9.eE,\s]+?)\s+\]", lambda m: "[" + " ".join(m.group(1).split()) + "]", text)
    with open(path, "w") as f:
        f.write(text + "\n")


def header():
    return {"generator": "workloads/onnx/export_models.py", "torch": torch.__version__,
            "onnx": onnx.__version__, "opset": OPSET}


# ---------------------------------------------------------------------------------------------
# Commands


def cmd_small(args):
    os.makedirs(args.out, exist_ok=True)
    x, _ = fashion_mnist(args.data, "test")
    images = x[REFERENCE_IMAGES]
    manifest = header()
    manifest["models"] = {}
    for name, model, mode, doc in small_models():
        path = os.path.join(args.out, name + ".onnx")
        export(model, (1, 1, 28, 28), path, mode)
        entry = onnx_summary(path)
        entry["description"] = " ".join(doc.split())
        with torch.no_grad():
            logits = torch.cat([model(images[i:i + 1]) for i in range(len(REFERENCE_IMAGES))])
        entry["reference"] = {"fashion_mnist_test_indices": REFERENCE_IMAGES,
                              "logits": [f32_list(row) for row in logits]}
        manifest["models"][name] = entry
        print(f"{path}: {entry['bytes']} bytes, {entry['nodes']} nodes")
    write_json(os.path.join(args.out, "manifest.json"), manifest)


def cmd_large(args):
    import torchvision
    os.makedirs(args.out, exist_ok=True)
    manifest_path = os.path.join(args.out, "manifest.json")
    if args.if_stale and os.path.exists(manifest_path) and \
            os.path.getmtime(manifest_path) >= os.path.getmtime(__file__):
        print(f"{manifest_path}: up to date")
        return 0
    manifest = header()
    manifest["models"] = {}
    shape = (1, 3, 224, 224)
    for seed, name in enumerate(["resnet18", "mobilenet_v2"]):
        torch.manual_seed(seed)
        model = getattr(torchvision.models, name)(weights=None, num_classes=1000).eval()
        # A fresh BN is the identity, and MobileNetV2's fresh signal then fades to logits within
        # 3e-9 of each other: random statistics make folding visible and the logits comparable.
        randomize_batch_norm(model, torch.Generator().manual_seed(seed + 1000))
        path = os.path.join(args.out, name + ".onnx")
        export(model, shape, path)
        entry = onnx_summary(path)
        entry["description"] = (f"torchvision {name}, random weights (torch.manual_seed({seed})) and batch-norm "
                                f"statistics (seed {seed + 1000}), eval export")
        with torch.no_grad():
            logits = model(synthetic_image(shape))
        entry["reference"] = {"input": "x[i] = (i mod 251) / 250, flattened NCHW",
                              "logits": [f32_list(logits[0])]}
        manifest["models"][name] = entry
        print(f"{path}: {entry['bytes']} bytes, {entry['nodes']} nodes")
    write_json(os.path.join(args.out, "manifest.json"), manifest)


def evaluate(model, x, batch=1000):
    with torch.no_grad():
        return torch.cat([model(x[i:i + batch]) for i in range(0, len(x), batch)])


def cmd_train(args):
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(args.seed)
    x_train, y_train = fashion_mnist(args.data, "train")
    x_test, y_test = fashion_mnist(args.data, "test")
    model = FmnistSmall()
    steps_per_epoch = (len(x_train) + args.batch - 1) // args.batch
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=5e-4,
                          nesterov=True)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, epochs=args.epochs,
                                                steps_per_epoch=steps_per_epoch)
    gen = torch.Generator().manual_seed(args.seed)
    start = time.time()
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(x_train), generator=gen)
        total = 0.0
        for i in range(0, len(order), args.batch):
            idx = order[i:i + args.batch]
            opt.zero_grad()
            loss = F.cross_entropy(model(x_train[idx]), y_train[idx])
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss) * len(idx)
        model.eval()
        acc = int((evaluate(model, x_test).argmax(1) == y_test).sum()) / len(y_test)
        print(f"epoch {epoch + 1}/{args.epochs}: train loss {total / len(order):.4f}, "
              f"test accuracy {acc:.4f} ({time.time() - start:.0f} s)", flush=True)

    model.eval()
    path = os.path.join(args.out, "fmnist_small.onnx")
    export(model, (1, 1, 28, 28), path)
    logits_all = evaluate(model, x_test)
    pred_all = logits_all.argmax(1)
    n = args.first
    # The logits of the first n images are recomputed one image at a time: batch 1 is what
    # the exported graph (and rcsim) runs.
    with torch.no_grad():
        logits = torch.cat([model(x_test[i:i + 1]) for i in range(n)])
    pred = logits.argmax(1)
    result = header()
    result.update({
        "model": "fmnist_small.onnx",
        "description": " ".join(FmnistSmall.__doc__.split()),
        "summary": onnx_summary(path),
        "parameters": sum(p.numel() for p in model.parameters()),
        "dataset": "fashion-mnist", "split": "test",
        "preprocessing": "pixel / 255 (float32), NCHW 1x1x28x28, as rcsim's Fashion-MNIST loader",
        "training": {"seed": args.seed, "epochs": args.epochs, "batch": args.batch,
                     "optimizer": "SGD nesterov momentum 0.9, weight decay 5e-4, one-cycle lr",
                     "max_lr": args.lr, "train_images": len(x_train),
                     "seconds": round(time.time() - start), "threads": torch.get_num_threads()},
        "accuracy_all": int((pred_all == y_test).sum()) / len(y_test),
        "correct_all": int((pred_all == y_test).sum()),
        "images_all": len(y_test),
        "first_n": n,
        "accuracy_first_n": int((pred == y_test[:n]).sum()) / n,
        "correct_first_n": int((pred == y_test[:n]).sum()),
        "indices": list(range(n)),
        "labels": [int(v) for v in y_test[:n]],
        "predictions": [int(v) for v in pred],
        "logits": [f32_list(row) for row in logits],
    })
    write_json(os.path.join(args.out, "fmnist_small.json"), result)
    print(f"{path}: {os.path.getsize(path)} bytes; accuracy {result['accuracy_all']:.4f} on "
          f"{len(y_test)} test images, {result['accuracy_first_n']:.4f} on the first {n}")


def cmd_check_small(args):
    with open(os.path.join(args.against, "manifest.json")) as f:
        recorded = json.load(f)
    if recorded["torch"] != torch.__version__:
        print(f"skipped: the checked-in models were exported by torch {recorded['torch']}, "
              f"this is torch {torch.__version__}")
        return 77
    cmd_small(args)
    bad = []
    for name in sorted(os.listdir(args.against)):
        if name.endswith(".onnx") and not name.startswith("fmnist_small"):
            with open(os.path.join(args.against, name), "rb") as a, \
                 open(os.path.join(args.out, name), "rb") as b:
                if a.read() != b.read():
                    bad.append(name)
    with open(os.path.join(args.out, "manifest.json")) as f:
        if json.load(f) != recorded:
            bad.append("manifest.json")
    if bad:
        print("differ from a fresh export (rerun `export_models.py small --out "
              f"{args.against}`): {', '.join(bad)}")
        return 1
    print(f"{args.against}: the checked-in small models equal a fresh export")
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ["small", "large", "train", "check-small"]:
        s = sub.add_parser(name)
        s.add_argument("--out", required=True, help="output directory")
        s.add_argument("--data", default=DEFAULT_DATA, help="Fashion-MNIST directory (gz IDX)")
        if name == "large":
            s.add_argument("--if-stale", action="store_true",
                           help="do nothing when OUT/manifest.json is newer than this script")
        if name == "check-small":
            s.add_argument("--against", required=True, help="directory of the checked-in models")
        if name == "train":
            s.add_argument("--epochs", type=int, default=6)
            s.add_argument("--batch", type=int, default=128)
            s.add_argument("--lr", type=float, default=0.1)
            s.add_argument("--seed", type=int, default=0)
            s.add_argument("--first", type=int, default=1000,
                           help="test images whose logits go into the JSON")
    args = p.parse_args()
    torch.set_num_threads(1)  # deterministic, and the machine's cores are shared
    return {"small": cmd_small, "large": cmd_large, "train": cmd_train,
            "check-small": cmd_check_small}[args.cmd](args) or 0


if __name__ == "__main__":
    sys.exit(main())
