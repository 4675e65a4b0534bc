# `cmake --install build --prefix P`: the rcsim binary (workloads and energy tables are embedded),
# the trained weights, the Python package (python/CMakeLists.txt), and the C++ libraries with
# their public headers and a CMake package config, so that a user's project can
#   find_package(rcsim REQUIRED)
#   target_link_libraries(my_testbench PRIVATE rcsim::rcsim)
# (every library; or one of rcsim::rcsim_eval, rcsim::rcsim_accel, …). Not exported: the libtorch
# trainer (rcsim_train) and the Verilated co-simulation (rcsim_cosim).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS rcsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/workloads/weights/ DESTINATION ${CMAKE_INSTALL_DATADIR}/rcsim/weights)

set(rcsim_export_libs rcsim_core rcsim_host rcsim_mapper rcsim_accel rcsim_energy rcsim_area rcsim_dram
    rcsim_eval rcsim_sweep)
if(TARGET rcsim_onnx)
  list(APPEND rcsim_export_libs rcsim_onnx)
endif()
# rcsim::rcsim: all of them.
add_library(rcsim_all INTERFACE)
target_link_libraries(rcsim_all INTERFACE ${rcsim_export_libs})
set_target_properties(rcsim_all PROPERTIES EXPORT_NAME rcsim)
install(TARGETS ${rcsim_export_libs} rcsim_all EXPORT rcsimTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/rcsim)
# Public headers keep their folder (#include "eval/evaluator.h").
install(DIRECTORY ${PROJECT_SOURCE_DIR}/sim/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/rcsim
        FILES_MATCHING PATTERN "*.h"
        PATTERN "cli" EXCLUDE PATTERN "train" EXCLUDE PATTERN "cosim" EXCLUDE)
install(EXPORT rcsimTargets NAMESPACE rcsim:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/rcsim)
set(RCSIM_CONFIG_HAVE_ONNX ${RCSIM_HAVE_ONNX})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/rcsimConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/rcsimConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/rcsim)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/rcsimConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/rcsimConfig.cmake ${PROJECT_BINARY_DIR}/rcsimConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/rcsim)
