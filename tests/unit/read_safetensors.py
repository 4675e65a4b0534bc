#!/usr/bin/env python3
"""Independent check of rcsim's weights file: a minimal safetensors reader using only the
standard library (json + struct), run on files written by write_test_weights.

Usage: read_safetensors.py WRITER_EXE OUT_DIR

For 8- and 16-bit weights it checks the container (header length and padding, no duplicate
names, offsets contiguous in header order and covering the data buffer, sizes = shape x dtype),
then the rcsim layout against the network YAML embedded in the metadata (shapes derived here
from the YAML, group boundaries = ceil(k*N/G), shift chain), and finally every tensor's decoded
values against checksums the C++ writer printed from its in-memory network, plus
float == int * 2^-shift for the dequantized floats.
"""
import json
import os
import re
import struct
import subprocess
import sys

DTYPES = {"F32": ("f", 4), "F64": ("d", 8), "I8": ("b", 1), "U8": ("B", 1),
          "I16": ("h", 2), "I32": ("i", 4), "I64": ("q", 8)}


class CheckError(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise CheckError(msg)


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    check(len(keys) == len(set(keys)), "duplicate keys in JSON object: %s" % keys)
    return dict(pairs)


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    check(len(raw) >= 8, "file shorter than 8 bytes")
    (n,) = struct.unpack("<Q", raw[:8])
    check(n % 8 == 0, "header length %d is not a multiple of 8" % n)
    check(8 + n <= len(raw), "header length %d exceeds file size %d" % (n, len(raw)))
    text = raw[8:8 + n].decode("utf-8")
    check(text.startswith("{"), "header does not start with '{'")
    stripped = text.rstrip(" ")
    check(len(text) - len(stripped) < 8, "more than 7 padding spaces")
    # object_pairs_hook sees keys in file order; Python dicts keep that order.
    header = json.loads(text, object_pairs_hook=lambda p: no_duplicates(p))
    buf = raw[8 + n:]
    metadata = header.pop("__metadata__", {})
    check(all(isinstance(v, str) for v in metadata.values()), "metadata values must be strings")
    tensors = {}
    pos = 0
    for name, info in header.items():
        fmt, size = DTYPES[info["dtype"]]
        begin, end = info["data_offsets"]
        check(begin == pos, "%s starts at %d, expected %d (tensors must follow header order)" % (name, begin, pos))
        count = 1
        for d in info["shape"]:
            count *= d
        check(end - begin == count * size, "%s: %d bytes for shape %s %s" % (name, end - begin, info["shape"], info["dtype"]))
        values = struct.unpack("<%d%s" % (count, fmt), buf[begin:end])
        tensors[name] = (info["dtype"], list(info["shape"]), values)
        pos = end
    check(pos == len(buf), "data buffer has %d bytes, tensors cover %d" % (len(buf), pos))
    return tensors, metadata


def parse_network_yaml(text):
    """The subset to_yaml() writes: scalar lines and one flow map per layer."""
    def scalar(v):
        v = v.strip()
        if v.startswith('"'):
            return json.loads(v)
        if v in ("true", "false"):
            return v == "true"
        return int(v) if re.fullmatch(r"-?\d+", v) else v

    def flow_map(v):
        v = v.strip()
        check(v.startswith("{") and v.endswith("}"), "not a flow map: " + v)
        out = {}
        for item in re.findall(r'(\w+): ("(?:[^"\\]|\\.)*"|[^,}]+)', v[1:-1]):
            out[item[0]] = scalar(item[1])
        return out

    net = {"layers": []}
    for line in text.splitlines():
        if line.startswith("  - "):
            net["layers"].append(flow_map(line[4:]))
        elif line.startswith("input:"):
            net["input"] = flow_map(line[len("input:"):])
        elif ":" in line and not line.startswith(" "):
            key, val = line.split(":", 1)
            if val.strip():
                net[key] = scalar(val)
    return net


def derive_shapes(net):
    """(name, type, weight shape, bias shape, split, out channels) per layer, from the YAML."""
    c, h, w = net["input"]["channels"], net["input"]["height"], net["input"]["width"]
    out = []
    layers = net["layers"]
    for i, l in enumerate(layers):
        last = i == len(layers) - 1
        if l["type"] == "conv":
            k, s, p = l["kernel"], l.get("stride", 1), l.get("pad", 0)
            oc = l["out_channels"]
            out.append((l["name"], "conv", [oc, c, k, k], [oc], True, oc))
            c, h, w = oc, (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
        elif l["type"] == "maxpool":
            k, s = l["kernel"], l.get("stride", l["kernel"])
            out.append((l["name"], "maxpool", None, None, False, c))
            h, w = (h - k) // s + 1, (w - k) // s + 1
        else:
            features = c * h * w
            oc = l["out_features"]
            out.append((l["name"], "fc", [oc, features], [oc], not last, oc))
            c, h, w = oc, 1, 1
    return out


def check_file(path, bits, sums):
    tensors, meta = read_safetensors(path)
    check(meta["rcsim.format"] == "1", "rcsim.format is %r" % meta.get("rcsim.format"))
    check(int(meta["bits"]) == bits, "bits metadata %s, expected %d" % (meta["bits"], bits))
    check(meta.get("dataset") == "none", "QuantizedNetwork::metadata entry 'dataset' lost")
    net = parse_network_yaml(meta["network_yaml"])
    check(net["name"] == meta["network"] == "mnist_lenet", "network name %r / %r" % (net["name"], meta["network"]))
    groups = int(meta["width_groups"])
    check(groups == net["width_groups"], "width_groups metadata differs from the YAML")
    boundaries = json.loads(meta["group_boundaries"])
    shifts = json.loads(meta["shifts"])
    qtype = "I8" if bits == 8 else "I16"
    qmax = 2 ** (bits - 1)
    expected_names = set()
    split_layers = set()
    prev_out_shift = int(meta["input_shift"])
    for name, kind, wshape, bshape, split, oc in derive_shapes(net):
        if split:
            split_layers.add(name)
            want = [-(-k * oc // groups) for k in range(groups + 1)]
            check(boundaries.get(name) == want, "%s group boundaries %s, expected %s" % (name, boundaries.get(name), want))
        if wshape is None:
            continue
        sh = shifts[name]
        check(sh["in_shift"] == prev_out_shift, "%s in_shift %d != previous out_shift %d" % (name, sh["in_shift"], prev_out_shift))
        prev_out_shift = sh["out_shift"]
        for suffix, dtype, shape in ((".weight_q", qtype, wshape), (".bias_q", "I32", bshape),
                                     (".weight", "F32", wshape), (".bias", "F32", bshape)):
            t = name + suffix
            expected_names.add(t)
            check(t in tensors, "missing tensor " + t)
            got_dtype, got_shape, values = tensors[t]
            check(got_dtype == dtype, "%s dtype %s, expected %s" % (t, got_dtype, dtype))
            check(got_shape == shape, "%s shape %s, expected %s (from network_yaml)" % (t, got_shape, shape))
            s = sums[t]
            check(len(values) == s["count"], "%s has %d values, C++ wrote %d" % (t, len(values), s["count"]))
            check(values[0] == s["first"] and values[-1] == s["last"], "%s first/last differ from the C++ side" % t)
            check(abs(sum(values) - s["sum"]) <= 1e-9 * max(1.0, abs(s["sum"])), "%s sum %r, C++ %r" % (t, sum(values), s["sum"]))
        wq = tensors[name + ".weight_q"][2]
        check(all(-qmax <= v < qmax for v in wq), "%s.weight_q values do not fit %d bits" % (name, bits))
        wf, bq, bf = tensors[name + ".weight"][2], tensors[name + ".bias_q"][2], tensors[name + ".bias"][2]
        check(all(f == q * 2.0 ** -sh["w_shift"] for f, q in zip(wf, wq)), "%s.weight != weight_q * 2^-w_shift" % name)
        scale = 2.0 ** -(sh["in_shift"] + sh["w_shift"])
        check(all(f == struct.unpack("<f", struct.pack("<f", q * scale))[0] for f, q in zip(bf, bq)),
              "%s.bias != bias_q * 2^-(in_shift + w_shift)" % name)
    check(set(boundaries) == split_layers, "group_boundaries layers %s, split layers %s" % (sorted(boundaries), sorted(split_layers)))
    check(set(tensors) == expected_names, "unexpected tensors %s" % sorted(set(tensors) - expected_names))
    return len(tensors)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    writer, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    for bits in (8, 16):
        path = os.path.join(out_dir, "lenet_%d.safetensors" % bits)
        res = subprocess.run([writer, path, str(bits)], stdout=subprocess.PIPE, check=True, text=True)
        try:
            n = check_file(path, bits, json.loads(res.stdout))
        except (CheckError, KeyError, ValueError, struct.error) as e:
            print("read_safetensors.py: %s: %s: %s" % (path, type(e).__name__, e), file=sys.stderr)
            return 1
        print("read_safetensors.py: %s: %d tensors OK" % (path, n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
