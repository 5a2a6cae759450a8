# SystemC embeds the C++ standard it was built with in a link-time symbol
# (sc_api_version_X_cxxYYYYMML). Code compiled with another -std fails to link unless
# SC_CPLUSPLUS names the library's standard. Find it in the installed library, once.
set(_sc_lib "")
foreach(_d ${SYSTEMC_LIBRARY_DIRS} /usr/lib/x86_64-linux-gnu /usr/lib)
  if(EXISTS "${_d}/libsystemc.so")
    set(_sc_lib "${_d}/libsystemc.so")
    break()
  endif()
endforeach()
if(NOT _sc_lib)
  message(FATAL_ERROR "libsystemc.so not found: run tools/setup.sh (installs libsystemc-dev)")
endif()
execute_process(COMMAND nm -D --defined-only "${_sc_lib}" OUTPUT_VARIABLE _sc_syms)
string(REGEX MATCH "sc_api_version_[0-9_]+_cxx([0-9]+)L" _m "${_sc_syms}")
if(NOT CMAKE_MATCH_1)
  message(FATAL_ERROR "cannot find the sc_api_version symbol in ${_sc_lib}")
endif()
set(OFFSCHED_SC_CPLUSPLUS "${CMAKE_MATCH_1}L")
message(STATUS "SystemC built for C++ ${OFFSCHED_SC_CPLUSPLUS} (${_sc_lib})")

add_library(offsched_systemc INTERFACE)
target_link_libraries(offsched_systemc INTERFACE PkgConfig::SYSTEMC)
target_compile_definitions(offsched_systemc INTERFACE SC_CPLUSPLUS=${OFFSCHED_SC_CPLUSPLUS})
