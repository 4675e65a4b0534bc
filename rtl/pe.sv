// One weight-stationary processing element, exactly the per-PE rule of docs/pe-array-timing.md:
//
//   a_out, a_valid_out, a_sel_out <= a_in, a_valid_in, a_sel_in       (operand moves right)
//   p_out       <= a_valid_in ? p_in + w_buf[a_sel_in] * a_in : p_in  (int32 wrap; sum moves down)
//   p_valid_out <= a_valid_in
//   if load: w_buf[load_sel] <= w_in                                  (preload shifts down)
//
// w_out = w_buf[load_sel] feeds the PE below during preload. Weights used by this edge's MAC are
// the values before the edge (a simultaneous load of the same buffer takes effect next cycle).
//
// Every register is marked public_flat_rd: the rtl backend (sim/cosim) reads them through the
// scope table of the Verilated model, so its waveforms show each PE's state like the C++ model's.
module pe #(
    parameter int DATA_W = 8
) (
    input  logic                     clk,
    input  logic                     rst,
    // operand from the left / to the right
    input  logic signed [DATA_W-1:0] a_in,
    input  logic                     a_valid_in,
    input  logic                     a_sel_in,
    output logic signed [DATA_W-1:0] a_out /*verilator public_flat_rd*/,
    output logic                     a_valid_out /*verilator public_flat_rd*/,
    output logic                     a_sel_out /*verilator public_flat_rd*/,
    // partial sum from above / to below
    input  logic signed [31:0]       p_in,
    output logic signed [31:0]       p_out /*verilator public_flat_rd*/,
    output logic                     p_valid_out /*verilator public_flat_rd*/,
    // weight preload chain (top to bottom)
    input  logic                     load,
    input  logic                     load_sel,
    input  logic signed [DATA_W-1:0] w_in,
    output logic signed [DATA_W-1:0] w_out
);
  logic signed [DATA_W-1:0] w_buf0 /*verilator public_flat_rd*/;
  logic signed [DATA_W-1:0] w_buf1 /*verilator public_flat_rd*/;
  logic signed [DATA_W-1:0] w_use;
  logic signed [31:0]       p_mac;

  assign w_use = a_sel_in ? w_buf1 : w_buf0;
  assign w_out = load_sel ? w_buf1 : w_buf0;
  mul_add #(.DATA_W(DATA_W)) u_mul_add (.w(w_use), .x(a_in), .acc_in(p_in), .acc_out(p_mac));

  always_ff @(posedge clk) begin
    if (rst) begin
      a_out       <= '0;
      a_valid_out <= 1'b0;
      a_sel_out   <= 1'b0;
      p_out       <= '0;
      p_valid_out <= 1'b0;
      w_buf0      <= '0;
      w_buf1      <= '0;
    end else begin
      a_out       <= a_in;
      a_valid_out <= a_valid_in;
      a_sel_out   <= a_sel_in;
      p_out       <= a_valid_in ? p_mac : p_in;
      p_valid_out <= a_valid_in;
      if (load && !load_sel) w_buf0 <= w_in;
      if (load && load_sel) w_buf1 <= w_in;
    end
  end
endmodule
