// Requantization lane of the post-processing unit, one pipeline stage, bit-exact with
// rcsim::arith::wrap_add + requantize() (sim/core/int_arith.h):
//   s   = acc + bias                         int32 wrap-around
//   y   = round(s / 2^shift)                 round half AWAY from zero; shift 0 = identity
//   y   = relu ? max(y, 0) : y
//   out = saturate(y) to OUT_W bits
// out/out_valid are registered: they show the result of the inputs of the previous edge.
module requant #(
    parameter int OUT_W = 8  // 8 or 16: the activation precision
) (
    input  logic                    clk,
    input  logic                    rst,
    input  logic                    in_valid,
    input  logic signed [31:0]      acc,
    input  logic signed [31:0]      bias,
    input  logic [4:0]              shift,  // 0..31
    input  logic                    relu,
    output logic                    out_valid,
    output logic signed [OUT_W-1:0] out
);
  localparam logic signed [31:0] QMAX = 32'sd2 ** (OUT_W - 1) - 32'sd1;
  localparam logic signed [31:0] QMIN = -(32'sd2 ** (OUT_W - 1));

  logic signed [31:0] s;
  logic signed [33:0] half;      // 2^(shift-1); 0 when shift == 0
  logic signed [33:0] biased;    // s + half, minus 1 for negative s (see below)
  // Bits 33:32 of the shifted value are pure sign extension (see `rounded`), never read.
  /* verilator lint_off UNUSEDSIGNAL */
  logic signed [33:0] shifted;
  /* verilator lint_on UNUSEDSIGNAL */
  logic signed [31:0] rounded;
  logic signed [31:0] rectified;
  logic signed [OUT_W-1:0] saturated;

  assign s = acc + bias;
  assign half = (shift == 5'd0) ? 34'sd0 : (34'sd1 <<< (shift - 5'd1));
  // Half away from zero: s >= 0 -> floor((s + h) / 2^n); s < 0 -> -floor((-s + h) / 2^n), which
  // equals floor((s + h - 1) / 2^n) because 2^n - h = h. One adder and an arithmetic shift.
`ifdef RCSIM_MUTANT_ROUND_HALF_UP
  // Deliberately broken (mutation check, docs/validation.md): ties round toward +infinity.
  assign biased = 34'(s) + half;
`else
  assign biased = 34'(s) + half - ((s < 0 && shift != 5'd0) ? 34'sd1 : 34'sd0);
`endif
  assign shifted = biased >>> shift;
  // |s| <= 2^31, so for shift >= 1 the result fits in 31 bits; shift 0 gives s itself.
  assign rounded = shifted[31:0];
  assign rectified = (relu && rounded < 0) ? 32'sd0 : rounded;
  assign saturated = rectified > QMAX ? QMAX[OUT_W-1:0]
                   : rectified < QMIN ? QMIN[OUT_W-1:0]
                   : rectified[OUT_W-1:0];

  always_ff @(posedge clk) begin
    if (rst) begin
      out_valid <= 1'b0;
      out       <= '0;
    end else begin
      out_valid <= in_valid;
      out       <= saturated;
    end
  end
endmodule
