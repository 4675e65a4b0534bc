// One multiply-accumulate step, combinational: acc_out = acc_in + w * x with 32-bit
// two's-complement wrap-around, exactly rcsim::arith::mac() in sim/core/int_arith.h.
// mac.sv and pe.sv both instantiate it, so the arithmetic (and its mutation hook) lives here once.
module mul_add #(
    parameter int DATA_W = 8  // operand precision: 8 or 16 (int8 / int16)
) (
    input  logic signed [DATA_W-1:0] w,
    input  logic signed [DATA_W-1:0] x,
    input  logic signed [31:0]       acc_in,
    output logic signed [31:0]       acc_out
);
  // A DATA_W x DATA_W signed product needs 2*DATA_W bits (-2^(2D-2) .. 2^(2D-2)), never overflows.
  logic signed [2*DATA_W-1:0] prod;
  logic signed [31:0]         sum;
  assign prod = w * x;
  assign sum  = acc_in + 32'(prod);  // signed size cast sign-extends; the 32-bit add wraps
`ifdef RCSIM_MUTANT_ACC24
  // Deliberately broken (mutation check, docs/validation.md): a 24-bit accumulator.
  /* verilator lint_off UNUSEDSIGNAL */
  logic signed [31:0] sum_unused;
  /* verilator lint_on UNUSEDSIGNAL */
  assign sum_unused = sum;
  assign acc_out = 32'(signed'(sum[23:0]));
`else
  assign acc_out = sum;
`endif
endmodule
