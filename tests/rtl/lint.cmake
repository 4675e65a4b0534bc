# cmake -DVERILATOR=<bin> -DRTL=<rtl dir> -P lint.cmake
# `verilator --lint-only -Wall` on every top at every precision the project builds; any warning
# fails (Verilator exits non-zero on warnings under -Wall).
# Each check: "<top>|<parameters>|<comma-separated .sv files>".
set(checks
  "mac|-GDATA_W=8|mul_add.sv,mac.sv"
  "mac|-GDATA_W=16|mul_add.sv,mac.sv"
  "requant|-GOUT_W=8|requant.sv"
  "requant|-GOUT_W=16|requant.sv"
  "pe|-GDATA_W=8|mul_add.sv,pe.sv"
  "pe_array|-GROWS=16 -GCOLS=16 -GDATA_W=8|mul_add.sv,pe.sv,pe_array.sv"
  "pe_array|-GROWS=4 -GCOLS=16 -GDATA_W=8|mul_add.sv,pe.sv,pe_array.sv"
  "pe_array|-GROWS=1 -GCOLS=1 -GDATA_W=16|mul_add.sv,pe.sv,pe_array.sv"
  "pe_os|-GDATA_W=8|mul_add.sv,pe_os.sv"
  "pe_os|-GDATA_W=16|mul_add.sv,pe_os.sv"
  "pe_array_os|-GROWS=16 -GCOLS=16 -GDATA_W=8|mul_add.sv,pe_os.sv,pe_array_os.sv"
  "pe_array_os|-GROWS=4 -GCOLS=16 -GDATA_W=16|mul_add.sv,pe_os.sv,pe_array_os.sv"
  "pe_array_os|-GROWS=1 -GCOLS=1 -GDATA_W=8|mul_add.sv,pe_os.sv,pe_array_os.sv")
set(failed 0)
foreach(check IN LISTS checks)
  string(REPLACE "|" ";" parts "${check}")
  list(GET parts 0 top)
  list(GET parts 1 params)
  list(GET parts 2 files)
  string(REPLACE "," ";" files "${files}")
  list(TRANSFORM files PREPEND "${RTL}/")
  separate_arguments(params)
  execute_process(COMMAND ${VERILATOR} --lint-only -Wall --top-module ${top} ${params} ${files}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(rc)
    message("FAIL ${top} ${params}:\n${out}")
    set(failed 1)
  else()
    message("ok   ${top} ${params}")
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "RTL lint failed")
endif()
