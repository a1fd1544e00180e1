# pos_manual(TARGET SOURCE_IN SECTION): a manual page whose command and key
# lists come from the program itself (`help --man`, `config keys --man`),
# so they are the rows --help and `config keys` print. Installed under
# share/man.
function(pos_manual target source section)
  get_filename_component(name ${source} NAME_WE)
  get_filename_component(base ${source} NAME)
  string(REGEX REPLACE "\\.in$" "" page ${base})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${page})
  if(page MATCHES "conf")
    set(what keys)
  else()
    set(what commands)
  endif()
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DPROG=$<TARGET_FILE:${target}> -DWHAT=${what}
            -DIN=${CMAKE_CURRENT_SOURCE_DIR}/${source} -DOUT=${out}
            -DPROJECT_VERSION=${PROJECT_VERSION}
            -P ${PROJECT_SOURCE_DIR}/.cmake/PosManualPage.cmake
    DEPENDS ${target} ${CMAKE_CURRENT_SOURCE_DIR}/${source}
            ${PROJECT_SOURCE_DIR}/.cmake/PosManualPage.cmake
    COMMENT "manual ${page}")
  add_custom_target(man-${page} ALL DEPENDS ${out})
  install(FILES ${out} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endfunction()
