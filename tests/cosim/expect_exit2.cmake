# `rcsim cosim ARGS` (default: on an output-stationary arch) must stop with a one-line input
# error (exit 2). -DARGS="a;b;..." gives other arguments. Prints "exit <code>: <stderr>" (and "multi-line" if stderr has several lines) for the test's
# pass/fail regular expressions.
if(NOT DEFINED ARGS)
  set(ARGS --net mnist_lenet --weights random --set array.dataflow=os)
endif()
execute_process(COMMAND ${CMD} cosim ${ARGS}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(STRIP "${err}" err)
if(err MATCHES "\n")
  message("multi-line")
endif()
message("exit ${rc}: ${err}")
