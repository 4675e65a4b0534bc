// One output-stationary processing element, exactly the per-PE rule of the C++ model
// (sim/accel/pe_array/systolic_os_pe_array.cpp) and docs/pe-array-timing.md, "Output-stationary":
//
//   a_out, a_valid_out, a_last_out <= a_in, a_valid_in, a_last_in   (operand moves right)
//   w_out                          <= w_in                           (weight moves down)
//   if a_valid_in:
//     s = acc + w_in * a_in                                          (int32 wrap, mul_add.sv)
//     if a_last_in: sum_out <= s, sum_valid <= 1, acc <= 0           (hand out; next fold from 0)
//     else:         acc <= s,     sum_valid <= 0
//   else: acc holds, sum_valid <= 0
//
// acc and sum_out are the "double-buffered accumulator" of `overlapped` timing: the next fold's
// first product lands in acc at the edge after the hand-out, while sum_out still holds the result.
// The PE carries no fold number: every PE hands out exactly one sum per fold, in fold order, so
// the controller knows which fold a sum belongs to by counting (sim/cosim does).
//
// Every register is marked public_flat_rd: the rtl backend (sim/cosim) reads them through the
// scope table of the Verilated model for its waveforms.
module pe_os #(
    parameter int DATA_W = 8
) (
    input  logic                     clk,
    input  logic                     rst,
    // operand from the left / to the right
    input  logic signed [DATA_W-1:0] a_in,
    input  logic                     a_valid_in,
    input  logic                     a_last_in,
    output logic signed [DATA_W-1:0] a_out /*verilator public_flat_rd*/,
    output logic                     a_valid_out /*verilator public_flat_rd*/,
    output logic                     a_last_out /*verilator public_flat_rd*/,
    // weight from above / to below
    input  logic signed [DATA_W-1:0] w_in,
    output logic signed [DATA_W-1:0] w_out /*verilator public_flat_rd*/,
    // finished sum of the fold whose last operand passed at the last edge
    output logic signed [31:0]       sum_out /*verilator public_flat_rd*/,
    output logic                     sum_valid /*verilator public_flat_rd*/
);
  logic signed [31:0] acc /*verilator public_flat_rd*/;
  logic signed [31:0] acc_next;

  mul_add #(.DATA_W(DATA_W)) u_mul_add (.w(w_in), .x(a_in), .acc_in(acc), .acc_out(acc_next));

  always_ff @(posedge clk) begin
    if (rst) begin
      a_out       <= '0;
      a_valid_out <= 1'b0;
      a_last_out  <= 1'b0;
      w_out       <= '0;
      acc         <= '0;
      sum_out     <= '0;
      sum_valid   <= 1'b0;
    end else begin
      a_out       <= a_in;
      a_valid_out <= a_valid_in;
      a_last_out  <= a_last_in;
      w_out       <= w_in;
      sum_valid   <= a_valid_in && a_last_in;
      if (a_valid_in && a_last_in) begin
        sum_out <= acc_next;
`ifdef RCSIM_MUTANT_OS_NO_CLEAR
        // Deliberately broken (mutation check, docs/validation.md): the next fold starts from
        // the previous fold's sum.
        acc     <= acc_next;
`else
        acc     <= '0;
`endif
      end else if (a_valid_in) begin
        acc <= acc_next;
      end
    end
  end
endmodule
