#pragma once
// The SystemC top: the accelerator's modules and the channels between them.
//
//   Controller ──pe_array──────▶ PeArray      (slot for the PE-array backend; stepped per clock)
//       │ ──weight_sram───▶ WeightSram   (row reads, refill writes, bank-state commands)
//       │ ──act_buffer────▶ ActBuffer    (operand reads, tensor release per node; a chain: ping-pong)
//       │ ──post_proc─────▶ PostProc ──act_out──▶ ActBuffer (results, pools, add, concat, clamp)
//       └ ──dram────────▶ Dram         (DMA transfers per tile → completion cycles; sim/dram model)
//
// SystemC allows no new module once sc_start ran, so one Accelerator is elaborated per process
// and serves every AcceleratorSim configuration in turn: the configuration-dependent state
// (weight layout, PE-array backend, layer programs) belongs to the AcceleratorSim and is
// installed into the modules before each run (install()).
#include <cstdint>
#include <memory>
#include <systemc>

#include "accel/act_buffer.h"
#include "accel/controller.h"
#include "accel/dram.h"
#include "accel/pe_array/pe_array_module.h"
#include "accel/post_proc.h"
#include "accel/weight_sram.h"

namespace rcsim {

class Accelerator final : public sc_core::sc_module {
 public:
  Controller controller;    ///< layer sequencing, the one per-cycle thread
  PeArray pe_array;         ///< R×C PEs behind the dataflow's array interface
  WeightSram weight_sram;   ///< banked, per-group weight storage
  ActBuffer act_buffer;     ///< resident activation tensors (a chain: ping-pong)
  PostProc post_proc;       ///< requantization, ReLU/ReLU6, the activation-path nodes
  Dram dram;                ///< off-chip memory behind the DMA (sim/dram timing and energy)

  explicit Accelerator(const sc_core::sc_module_name& name)
      : sc_core::sc_module(name),
        controller("controller"),
        pe_array("pe_array"),
        weight_sram("weight_sram"),
        act_buffer("act_buffer"),
        post_proc("post_proc"),
        dram("dram") {
    controller.pe_array(pe_array.port);
    controller.weight_sram(weight_sram.port);
    controller.act_buffer(act_buffer.port);
    controller.post_proc(post_proc.port);
    controller.dram(dram.port);
    post_proc.act_out(act_buffer.port);
  }

  /// Puts one configuration's state into the modules (before its run).
  void install(ControllerSetup& setup, const WeightLayout& layout, std::shared_ptr<const dram::DramConfig> dram_cfg) {
    pe_array.install(setup.pe.get());
    weight_sram.configure(&layout, setup.arch.gating);
    post_proc.configure(setup.arch.precision, setup.arch.cols);
    dram.configure(std::move(dram_cfg), setup.arch, setup.opts.dram_trace_path, dram::parse_trace_format(setup.opts.dram_trace_format));
  }
};

}  // namespace rcsim
