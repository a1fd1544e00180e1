# Run by pos_manual (PosManual.cmake): fills @POS_MAN_COMMANDS@ or
# @POS_MAN_KEYS@ of IN from PROG and writes OUT. No configuration of the
# machine is read, so the page is the same wherever it is built.
set(ENV{POS_SYSTEM_CONFIG} "")
set(ENV{POS_CENTRAL_SYSTEM_CONFIG} "")
set(ENV{XDG_CONFIG_HOME} "${CMAKE_CURRENT_BINARY_DIR}/no-such-dir")
set(ENV{ASAN_OPTIONS} "detect_leaks=0")
if(WHAT STREQUAL "keys")
  set(args config keys --man)
else()
  set(args help --man)
endif()
execute_process(COMMAND ${PROG} ${args} OUTPUT_VARIABLE text
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${PROG} ${args}: exit ${rc}")
endif()
string(STRIP "${text}" text)
set(POS_MAN_COMMANDS "${text}")
set(POS_MAN_KEYS "${text}")
configure_file(${IN} ${OUT} @ONLY)
