# The libFuzzer targets (fuzz/) need clang; the project builds with g++. When clang++ is there
# (tools/setup.sh installs it), fuzz/ is built as its own CMake project with it, and ctest runs:
#   fuzz.<target>       10 s each from the seeds and regressions: part of the default suite
#   fuzz.long.<target>  10 million executions each, label `fuzz` (tools/test.sh leaves the label
#                       out; `ctest -L fuzz` runs them: about 3 hours on 2 cores, figures in
#                       bench/RESULTS.md, "Robustness")
# New inputs go to build/fuzz/work/<target> (the checked-in seeds are never written to);
# a finding is written to build/fuzz/findings/ and fails the test.
find_program(OFFSCHED_CLANGXX clang++)
if(NOT OFFSCHED_CLANGXX)
  message(STATUS "clang++ not found: the fuzz tests are left out (install clang: tools/setup.sh)")
  return()
endif()
include(ExternalProject)
set(_fuzz_bin ${CMAKE_BINARY_DIR}/fuzz)
ExternalProject_Add(offsched_fuzz
  SOURCE_DIR ${CMAKE_SOURCE_DIR}/fuzz
  BINARY_DIR ${_fuzz_bin}
  CMAKE_ARGS -DCMAKE_CXX_COMPILER=${OFFSCHED_CLANGXX} -DCMAKE_BUILD_TYPE=RelWithDebInfo
  INSTALL_COMMAND ""
  BUILD_ALWAYS ON)
set(_seeds_scenario_loader ${CMAKE_SOURCE_DIR}/scenarios ${CMAKE_SOURCE_DIR}/tests/scenarios/bad)
set(_seeds_service_config ${CMAKE_SOURCE_DIR}/tests/kernel)
foreach(t parse_frame rtop_decode firewall_step napi_step synproxy_state channel_text scenario_loader service_config prefix_set)
  set(_seeds ${_seeds_${t}})
  if(EXISTS ${CMAKE_SOURCE_DIR}/fuzz/corpus/${t})
    list(APPEND _seeds ${CMAKE_SOURCE_DIR}/fuzz/corpus/${t})
  endif()
  if(EXISTS ${CMAKE_SOURCE_DIR}/fuzz/regressions/${t})
    list(APPEND _seeds ${CMAKE_SOURCE_DIR}/fuzz/regressions/${t})
  endif()
  foreach(kind short long)
    if(kind STREQUAL short)
      set(_name fuzz.${t})
      set(_budget 10s)
      set(_timeout 100)
    else()
      set(_name fuzz.long.${t})
      set(_budget 10000000)
      set(_timeout 14400)
    endif()
    add_test(NAME ${_name}
             COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
                     ${CMAKE_SOURCE_DIR}/tools/run_fuzzer.sh ${_fuzz_bin}/fuzz_${t} ${_budget} ${_fuzz_bin}/work/${t}
                     ${_fuzz_bin}/findings ${_seeds})
    set_tests_properties(${_name} PROPERTIES TIMEOUT ${_timeout} RESOURCE_LOCK offsched_fuzz_${kind})
    if(kind STREQUAL long)
      set_tests_properties(${_name} PROPERTIES LABELS fuzz)
    endif()
  endforeach()
endforeach()
