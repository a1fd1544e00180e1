# The one place compiler warnings are chosen (after curl's PickyWarnings.cmake).
# pos_warnings(TARGET) applies them to a target of ours; POS_WERROR adds -Werror.
set(POS_WARNING_FLAGS
  -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
  -Wformat=2 -Wwrite-strings -Wvla -Wnull-dereference)
if(POS_WERROR)
  list(APPEND POS_WARNING_FLAGS -Werror)
endif()

function(pos_warnings target)
  target_compile_options(${target} PRIVATE ${POS_WARNING_FLAGS})
endfunction()
