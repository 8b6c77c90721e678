# Helpers so that each folder states its library and tests in one line each.

# Warnings for the project's own targets.
set(RESIHMR_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)

# resihmr_add_library(NAME SOURCES a.cc b.cc PUBLIC_DEPS ... PRIVATE_DEPS ...)
# Adds a static library whose headers are included as "<folder>/<file>.h"
# from the project root.
function(resihmr_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_compile_options(${name} PRIVATE ${RESIHMR_WARNINGS})
  target_link_libraries(${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()

# resihmr_add_test(NAME SOURCES a_test.cc DEPS ... [LABELS ...])
# Adds a GoogleTest executable and registers each of its tests with CTest.
# Tests run from the project root so that ../shared/data resolves.
function(resihmr_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${RESIHMR_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    RESIHMR_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    RESIHMR_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${name} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    PROPERTIES LABELS "${ARG_LABELS}" DISCOVERY_TIMEOUT 60)
endfunction()

# resihmr_add_benchmark(NAME SOURCES a_bench.cc DEPS ...)
function(resihmr_add_benchmark name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${RESIHMR_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} benchmark::benchmark)
  target_compile_definitions(${name} PRIVATE RESIHMR_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
endfunction()
