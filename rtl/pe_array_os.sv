// ROWS x COLS output-stationary PE array: the C++ model's cycle contract
// (sim/accel/pe_array/i_os_pe_array.h, docs/pe-array-timing.md "Output-stationary").
// Operands enter at the left edge (row r, skewed r cycles by the controller) with a valid and a
// "last operand of its fold" bit and move one PE right per cycle; weights enter at the top
// (column c, skewed c cycles) and move one PE down per cycle; PE(r,c) accumulates output
// (m0+r, n0+c) in place and hands it out at the edge where its fold's last operand passes:
//   sum_out[r][c]   = the finished sum of PE(r,c)
//   sum_valid[r][c] = PE(r,c) handed out a sum at the last edge
// rst (synchronous) zeroes every register (the contract's initial state).
module pe_array_os #(
    parameter int ROWS   = 16,
    parameter int COLS   = 16,
    parameter int DATA_W = 8
) (
    input  logic                     clk,
    input  logic                     rst,
    input  logic signed [DATA_W-1:0] act_in       [ROWS],
    input  logic                     act_valid_in [ROWS],
    input  logic                     act_last_in  [ROWS],
    input  logic signed [DATA_W-1:0] w_in         [COLS],
    output logic signed [31:0]       sum_out      [ROWS][COLS],
    output logic                     sum_valid    [ROWS][COLS]
);
  // Inter-PE wires. a_*[r][c] is the operand entering PE(r,c) from the left (c == 0: the array
  // input; c == COLS: leaving the right edge, unused). w_w[r][c] is the weight entering PE(r,c)
  // from above (r == 0: the array input; r == ROWS: leaving the bottom, unused).
  logic signed [DATA_W-1:0] a_w  [ROWS][COLS+1];
  logic                     av_w [ROWS][COLS+1];
  logic                     al_w [ROWS][COLS+1];
  logic signed [DATA_W-1:0] w_w  [ROWS+1][COLS];

  for (genvar r = 0; r < ROWS; r++) begin : g_left
    assign a_w[r][0]  = act_in[r];
    assign av_w[r][0] = act_valid_in[r];
    assign al_w[r][0] = act_last_in[r];
  end
  for (genvar c = 0; c < COLS; c++) begin : g_top
    assign w_w[0][c] = w_in[c];
  end

  for (genvar r = 0; r < ROWS; r++) begin : g_row
    for (genvar c = 0; c < COLS; c++) begin : g_col
      pe_os #(.DATA_W(DATA_W)) u_pe (
          .clk        (clk),
          .rst        (rst),
          .a_in       (a_w[r][c]),
          .a_valid_in (av_w[r][c]),
          .a_last_in  (al_w[r][c]),
          .a_out      (a_w[r][c+1]),
          .a_valid_out(av_w[r][c+1]),
          .a_last_out (al_w[r][c+1]),
          .w_in       (w_w[r][c]),
          .w_out      (w_w[r+1][c]),
          .sum_out    (sum_out[r][c]),
          .sum_valid  (sum_valid[r][c])
      );
    end
  end
endmodule
