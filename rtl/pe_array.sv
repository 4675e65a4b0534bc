// ROWS x COLS weight-stationary PE array: the cycle contract of docs/pe-array-timing.md.
// Operands enter at the left edge (row r, already skewed r cycles by the controller), move one
// PE right per cycle; partial sums start at 0 at the top and move one PE down per cycle; weights
// preload from the top, one row per cycle, into the buffer named by load_sel.
//   psum_out[c]   = p_reg(ROWS-1, c)
//   psum_valid[c] = p_valid(ROWS-1, c)
// rst (synchronous) zeroes every register (the contract's initial state).
module pe_array #(
    parameter int ROWS   = 16,
    parameter int COLS   = 16,
    parameter int DATA_W = 8
) (
    input  logic                     clk,
    input  logic                     rst,
    input  logic signed [DATA_W-1:0] act_in       [ROWS],
    input  logic                     act_valid_in [ROWS],
    input  logic                     act_sel_in   [ROWS],
    input  logic signed [DATA_W-1:0] w_in         [COLS],
    input  logic                     load,
    input  logic                     load_sel,
    output logic signed [31:0]       psum_out     [COLS],
    output logic                     psum_valid   [COLS]
);
  // Inter-PE wires. a_*[r][c] is the operand entering PE(r,c) from the left (c == 0: the array
  // input; c == COLS: leaving the right edge, unused). p[r][c] is the sum entering PE(r,c) from
  // above (r == 0: zero; r == ROWS: the bottom output). wv[r][c] is the preload chain likewise.
  logic signed [DATA_W-1:0] a_w  [ROWS][COLS+1];
  logic                     av_w [ROWS][COLS+1];
  logic                     as_w [ROWS][COLS+1];
  logic signed [31:0]       p_w  [ROWS+1][COLS];
  logic                     pv_w [ROWS+1][COLS];
  logic signed [DATA_W-1:0] w_w  [ROWS+1][COLS];

  for (genvar r = 0; r < ROWS; r++) begin : g_left
    assign a_w[r][0]  = act_in[r];
    assign av_w[r][0] = act_valid_in[r];
    assign as_w[r][0] = act_sel_in[r];
  end
  for (genvar c = 0; c < COLS; c++) begin : g_top
    assign p_w[0][c]      = 32'sd0;
    assign pv_w[0][c]     = 1'b0;  // the top has no incoming sum; validity comes from the operand
    assign w_w[0][c]      = w_in[c];
    assign psum_out[c]    = p_w[ROWS][c];
    assign psum_valid[c]  = pv_w[ROWS][c];
  end

  for (genvar r = 0; r < ROWS; r++) begin : g_row
    for (genvar c = 0; c < COLS; c++) begin : g_col
      pe #(.DATA_W(DATA_W)) u_pe (
          .clk        (clk),
          .rst        (rst),
          .a_in       (a_w[r][c]),
          .a_valid_in (av_w[r][c]),
          .a_sel_in   (as_w[r][c]),
          .a_out      (a_w[r][c+1]),
          .a_valid_out(av_w[r][c+1]),
          .a_sel_out  (as_w[r][c+1]),
          .p_in       (p_w[r][c]),
          .p_out      (p_w[r+1][c]),
          .p_valid_out(pv_w[r+1][c]),
          .load       (load),
          .load_sel   (load_sel),
          .w_in       (w_w[r][c]),
          .w_out      (w_w[r+1][c])
      );
    end
  end
endmodule
