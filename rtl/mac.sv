// A stand-alone multiply-accumulate unit: signed DATA_W x DATA_W multiply, int32 wrap-around
// accumulate (rcsim::arith::mac), synchronous clear.
//
// At each rising edge:
//   base      = clear ? 0 : acc
//   acc      <= valid ? base + w*a : base     (clear together with valid starts a new sum with
//                                             this cycle's product, like acc = 0; acc = mac(acc..))
//   acc_valid <= valid                        (acc now includes this cycle's product)
// rst (synchronous) zeroes acc and acc_valid.
module mac #(
    parameter int DATA_W = 8
) (
    input  logic                     clk,
    input  logic                     rst,
    input  logic                     clear,
    input  logic                     valid,
    input  logic signed [DATA_W-1:0] a,
    input  logic signed [DATA_W-1:0] w,
    output logic signed [31:0]       acc,
    output logic                     acc_valid
);
  logic signed [31:0] base;
  logic signed [31:0] next;
  assign base = clear ? 32'sd0 : acc;
  mul_add #(.DATA_W(DATA_W)) u_mul_add (.w(w), .x(a), .acc_in(base), .acc_out(next));

  always_ff @(posedge clk) begin
    if (rst) begin
      acc       <= 32'sd0;
      acc_valid <= 1'b0;
    end else begin
      acc       <= valid ? next : base;
      acc_valid <= valid;
    end
  end
endmodule
