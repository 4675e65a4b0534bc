# `rcsim cosim ARGS` must stop with a one-line input
# error (exit 2). -DARGS="a;b;..." gives other arguments. Prints "exit <code>: <stderr>" (and "multi-line" if stderr has several lines) for the test's
# pass/fail regular expressions.
if(NOT DEFINED ARGS)
  message(FATAL_ERROR "expect_exit2.cmake: give -DARGS=...")
endif()
execute_process(COMMAND ${CMD} cosim ${ARGS}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(STRIP "${err}" err)
if(err MATCHES "\n")
  message("multi-line")
endif()
message("exit ${rc}: ${err}")
