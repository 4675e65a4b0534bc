# `rcsim cosim` on an output-stationary arch must stop with a one-line input error (exit 2).
# Prints "exit <code>: <stderr>" (and "multi-line" if stderr has several lines) for the test's
# pass/fail regular expressions.
execute_process(COMMAND ${CMD} cosim --net mnist_lenet --weights random --set array.dataflow=os
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(STRIP "${err}" err)
if(err MATCHES "\n")
  message("multi-line")
endif()
message("exit ${rc}: ${err}")
