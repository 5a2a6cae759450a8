# Writes OUT from IN with the project VERSION and the git revision of SRC (none outside git),
# touching OUT only when the text changes, so an unchanged revision rebuilds nothing.
set(OFFSCHED_GIT_REVISION "")
find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} describe --always --dirty --abbrev=12 WORKING_DIRECTORY ${SRC}
                  OUTPUT_VARIABLE OFFSCHED_GIT_REVISION OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
endif()
set(PROJECT_VERSION ${VERSION})
configure_file(${IN} ${OUT}.new @ONLY)
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.new ${OUT})
file(REMOVE ${OUT}.new)
